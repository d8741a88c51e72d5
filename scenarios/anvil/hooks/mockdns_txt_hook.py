#!/usr/bin/python3
"""A dns-01 hook for real ACME clients: publishes and removes _acme-challenge TXT records through
the pebble-challtestsrv-style management API of mockdns (standalone, or embedded in mockca).
The first argument says which client calls (their vocabularies do not overlap):

    lego (--dns exec, EXEC_PATH=this file):  mockdns_txt_hook.py present|cleanup FQDN VALUE
    certbot (--manual-auth-hook / --manual-cleanup-hook "mockdns_txt_hook.py certbot-auth|certbot-cleanup"):
        reads CERTBOT_DOMAIN and CERTBOT_VALIDATION from the environment
    dehydrated (HOOK=this file):  deploy_challenge|clean_challenge DOMAIN TOKEN_FILENAME TOKEN_VALUE
        (one or more triples, HOOK_CHAIN=yes passes several); TOKEN_VALUE is already the dns-01
        digest. dehydrated's other hooks (deploy_cert, exit_hook, ...) do nothing and exit 0.
    uacme (--hook this file):  begin|done|failed TYPE IDENT TOKEN AUTH
        AUTH is already the dns-01 digest (uacme(1)); a TYPE other than dns-01 is declined with
        exit 1, so uacme picks the dns-01 challenge.

Environment: MOCKDNS_MANAGEMENT = http://HOST:PORT of the management API (required);
HOOK_LOG = a file each call appends one JSON line to (optional; tests use it to prove the hook ran).
"""
import json
import os
import sys
import urllib.error
import urllib.request

# dehydrated 0.7.0's hooks that have nothing to do with DNS: accepted and ignored.
DEHYDRATED_OTHER_HOOKS = {"deploy_cert", "deploy_ocsp", "exit_hook", "generate_csr",
                          "invalid_challenge", "request_failure", "startup_hook", "sync_cert",
                          "unchanged_cert"}
DEHYDRATED_PROBE = "this_hookscript_is_broken__"  # dehydrated checks that unknown hooks exit 0


def post(path, body):
    """POSTs body to the management API; exits non-zero unless it answers 200."""
    url = os.environ["MOCKDNS_MANAGEMENT"].rstrip("/") + path
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status != 200:
        sys.exit(f"mockdns_txt_hook: POST {url} {body} -> {status} {text}")


def log(entry):
    if os.environ.get("HOOK_LOG"):
        with open(os.environ["HOOK_LOG"], "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")


def challenge_host(domain):
    """The TXT owner name proving domain: _acme-challenge.<domain without "*.">, dot-terminated."""
    domain = domain.removeprefix("*.").rstrip(".")
    return f"_acme-challenge.{domain}."


def publish(action, host, value):
    """Adds value to host's TXT records."""
    post("/set-txt", {"host": host, "value": value})
    log({"action": action, "host": host, "value": value})


def withdraw(action, host, value=""):
    """Removes every TXT record of host."""
    post("/clear-txt", {"host": host})
    log({"action": action, "host": host, "value": value})


def lego(action, argv):
    if not argv:
        sys.exit(__doc__)
    host = argv[0] if argv[0].endswith(".") else argv[0] + "."
    value = argv[1] if len(argv) > 1 else ""
    (publish if action == "present" else withdraw)(action, host, value)


def certbot(action):
    host = challenge_host(os.environ["CERTBOT_DOMAIN"])
    value = os.environ.get("CERTBOT_VALIDATION", "")
    (publish if action == "certbot-auth" else withdraw)(action, host, value)


def dehydrated(action, argv):
    if not argv or len(argv) % 3:
        sys.exit(f"mockdns_txt_hook: {action} wants DOMAIN TOKEN_FILENAME TOKEN_VALUE triples")
    for index in range(0, len(argv), 3):
        domain, value = argv[index], argv[index + 2]
        (publish if action == "deploy_challenge" else withdraw)(action, challenge_host(domain),
                                                                value)


def uacme(method, argv):
    if len(argv) != 4:
        sys.exit("mockdns_txt_hook: uacme passes METHOD TYPE IDENT TOKEN AUTH")
    challenge_type, ident, _token, auth = argv
    if challenge_type != "dns-01":
        sys.exit(1)  # declined: uacme tries the authorization's next challenge
    (publish if method == "begin" else withdraw)(f"uacme-{method}", challenge_host(ident), auth)


def main(argv):
    if not argv:
        sys.exit(__doc__)
    action, rest = argv[0], argv[1:]
    if action in ("present", "cleanup"):  # lego's FQDN already carries _acme-challenge.
        lego(action, rest)
    elif action in ("certbot-auth", "certbot-cleanup"):
        certbot(action)
    elif action in ("deploy_challenge", "clean_challenge"):
        dehydrated(action, rest)
    elif action in ("begin", "done", "failed"):
        uacme(action, rest)
    elif action in DEHYDRATED_OTHER_HOOKS or action.startswith(DEHYDRATED_PROBE):
        return
    else:
        sys.exit(f"mockdns_txt_hook: unknown action {action!r}\n{__doc__}")


if __name__ == "__main__":
    main(sys.argv[1:])
