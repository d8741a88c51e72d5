#!/usr/bin/python3
"""A dns-01 hook for real ACME clients: publishes and removes _acme-challenge TXT records through
the pebble-challtestsrv-style management API of mockdns (standalone, or embedded in mockca).

    lego (--dns exec, EXEC_PATH=this file):  mockdns_txt_hook.py present|cleanup FQDN VALUE
    certbot (--manual-auth-hook / --manual-cleanup-hook "mockdns_txt_hook.py certbot-auth|certbot-cleanup"):
        reads CERTBOT_DOMAIN and CERTBOT_VALIDATION from the environment

Environment: MOCKDNS_MANAGEMENT = http://HOST:PORT of the management API (required);
HOOK_LOG = a file each call appends one JSON line to (optional; tests use it to prove the hook ran).
"""
import json
import os
import sys
import urllib.error
import urllib.request


def post(path, body):
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


def main(argv):
    if not argv:
        sys.exit(__doc__)
    action = argv[0]
    if action in ("present", "cleanup"):  # lego's exec provider: FQDN already has _acme-challenge.
        if len(argv) < 2:
            sys.exit(__doc__)
        host, value = argv[1], (argv[2] if len(argv) > 2 else "")
    elif action in ("certbot-auth", "certbot-cleanup"):
        host = "_acme-challenge." + os.environ["CERTBOT_DOMAIN"] + "."
        value = os.environ.get("CERTBOT_VALIDATION", "")
    else:
        sys.exit(f"mockdns_txt_hook: unknown action {action!r}\n{__doc__}")
    if not host.endswith("."):
        host += "."
    if action in ("present", "certbot-auth"):
        post("/set-txt", {"host": host, "value": value})
    else:
        post("/clear-txt", {"host": host})
    log({"action": action, "host": host, "value": value})


if __name__ == "__main__":
    main(sys.argv[1:])
