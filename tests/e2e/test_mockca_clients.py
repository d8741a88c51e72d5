"""Debian's real ACME clients get certificates from mockca: lego (http-01 with its own server,
dns-01 through the exec provider calling the embedded mockdns's /set-txt, wildcard included,
tls-alpn-01), certbot (standalone http-01, manual dns-01 with hooks) and a python3-acme script
that also revokes, rolls the account key over and deactivates the account.

Each test checks the chain it got: `openssl verify` against the root from mockca's management
/roots/0 with the chain's intermediates as untrusted, and the leaf's DNS SANs equal to the names
asked for. mockca runs on free ports (the VA's http-01 / tls-alpn-01 ports too), every client
writes only under tmp_path, and the mockca fixture fails the test unless mockca exits 0 on SIGTERM.

ANVIL_CLIENTS_CA=pebble runs the same tests against Debian's Pebble plus a standalone mockdns
(the reference), to tell a client-side problem from a mockca one.
"""
import json
import os
import pathlib
import shutil
import ssl
import subprocess
import urllib.request

import pytest

from chain_check import assert_chain
from conftest import (MOCKCA_TLS_ROOT, free_port, make_tls_files, start_mockdns, stop,
                      stop_checked, wait_for_https)

HERE = pathlib.Path(__file__).parent
CLIENTS = HERE / "clients"
TXT_HOOK = CLIENTS / "mockdns_txt_hook.py"
LIFECYCLE = CLIENTS / "acme_lifecycle.py"
PYTHON = "/usr/bin/python3"  # Debian's, with python3-acme (python3 on PATH may be another build)
LEGO = shutil.which("lego")
CERTBOT = shutil.which("certbot")
CLIENT_TIMEOUT = 45  # seconds; each test must finish well under a minute
AGAINST = os.environ.get("ANVIL_CLIENTS_CA", "mockca")

needs_lego = pytest.mark.skipif(LEGO is None, reason="Debian's lego is not installed (ci/setup)")
needs_certbot = pytest.mark.skipif(CERTBOT is None,
                                   reason="Debian's certbot is not installed (ci/setup)")
needs_python_acme = pytest.mark.skipif(
    subprocess.run([PYTHON, "-c", "import acme, josepy"], capture_output=True).returncode != 0
    if os.path.exists(PYTHON) else True,
    reason="Debian's python3-acme is not installed for /usr/bin/python3 (ci/setup)")


class Ca:
    """The CA under test: its directory, what to trust for HTTPS, the management API used to
    publish TXT records (dns), the VA's http-01 / tls-alpn-01 ports, and the issuing root."""

    def __init__(self, directory, https_ca, dns, http_port, tls_port, root_url, root_ca, logs):
        self.directory = directory
        self.https_ca = https_ca
        self.dns = dns
        self.http_port = http_port
        self.tls_port = tls_port
        self.root_url = root_url
        self.root_ca = root_ca
        self.logs = logs  # callable: the server's stderr so far

    @property
    def management_url(self):
        host, port = self.dns.address("management")
        return f"http://{host}:{port}"

    @property
    def dns_server(self):
        host, port = self.dns.address("dnsserver")
        return f"{host}:{port}"

    def root_pem(self, directory):
        context = ssl.create_default_context(cafile=str(self.root_ca))
        with urllib.request.urlopen(self.root_url, context=context, timeout=5) as response:
            assert response.status == 200
            text = response.read().decode()
        path = directory / "issuing-root.pem"
        path.write_text(text)
        return path


@pytest.fixture
def ca(request, tmp_path):
    http_port, tls_port = free_port(), free_port()
    if AGAINST == "pebble":
        yield from _pebble(tmp_path, http_port, tls_port)
        return
    # mockca_factory is requested lazily so that the pebble mode does not need the binary.
    factory = request.getfixturevalue("mockca_factory")
    server = factory("--http-port", str(http_port), "--tls-port", str(tls_port))
    yield Ca(server.directory, MOCKCA_TLS_ROOT, server, http_port, tls_port,
             f"https://{server.ready['management'][0]}/roots/0", MOCKCA_TLS_ROOT, server.stderr)
    # mockca_factory's teardown: SIGTERM, then the test fails unless mockca exited 0.


def _pebble(tmp_path, http_port, tls_port):
    dns = start_mockdns("-defaultIPv6", "")
    cert, key = make_tls_files(tmp_path)
    port, management = free_port(), free_port()
    config = tmp_path / "pebble-config.json"
    config.write_text(json.dumps({"pebble": {
        "listenAddress": f"127.0.0.1:{port}", "managementListenAddress": f"127.0.0.1:{management}",
        "certificate": str(cert), "privateKey": str(key), "httpPort": http_port,
        "tlsPort": tls_port, "ocspResponderURL": "", "externalAccountBindingRequired": False}}))
    env = dict(os.environ, PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0")
    env.pop("PEBBLE_VA_ALWAYS_VALID", None)
    log = tmp_path / "pebble.log"
    with open(log, "w", encoding="utf-8") as out:
        pebble = subprocess.Popen([shutil.which("pebble"), "-config", str(config),
                                   "-dnsserver", f"127.0.0.1:{dns.port('dnsserver')}"],
                                  stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        wait_for_https(f"https://127.0.0.1:{port}/dir", cert)
        yield Ca(f"https://127.0.0.1:{port}/dir", cert, dns, http_port, tls_port,
                 f"https://127.0.0.1:{management}/roots/0", cert, log.read_text)
    finally:
        stop(pebble)
        stop_checked(dns)


# --- checks ---------------------------------------------------------------------------------------

def run_client(ca, argv, env, what):
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=CLIENT_TIMEOUT,
                                env=env)
    except subprocess.TimeoutExpired as timeout:
        result = subprocess.CompletedProcess(argv, f"timeout after {CLIENT_TIMEOUT} s",
                                             _text(timeout.stdout), _text(timeout.stderr))
    assert result.returncode == 0, (
        f"{what} exited {result.returncode}\n--- {what} stdout:\n{result.stdout[-4000:]}\n"
        f"--- {what} stderr:\n{result.stderr[-6000:]}\n--- server log:\n{ca.logs()[-6000:]}")
    return result


def _text(output):
    return output.decode(errors="replace") if isinstance(output, bytes) else (output or "")


def hook_env(ca, tmp_path):
    return {"MOCKDNS_MANAGEMENT": ca.management_url, "HOOK_LOG": str(tmp_path / "hook.log")}


def hook_calls(tmp_path):
    log = tmp_path / "hook.log"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


# --- lego -----------------------------------------------------------------------------------------

def lego_command(ca, tmp_path, names, *challenge_flags, extra_env=None):
    """`lego ... run` for names, under tmp_path: (argv, env, the bundle file it saves)."""
    argv = [LEGO, "--server", ca.directory, "--accept-tos", "--email", "lego@example.com",
            "--path", str(tmp_path / "lego"), "--key-type", "ec256"]
    for name in names:
        argv += ["--domains", name]
    argv += [*challenge_flags, "run"]
    env = dict(os.environ, LEGO_CA_CERTIFICATES=str(ca.https_ca), **(extra_env or {}))
    bundle = tmp_path / "lego" / "certificates" / f"{names[0].replace('*', '_')}.crt"
    return argv, env, bundle


def lego(ca, tmp_path, names, *challenge_flags, extra_env=None):
    """Runs `lego ... run` for names; returns the bundle it saved (leaf + issuer)."""
    argv, env, bundle = lego_command(ca, tmp_path, names, *challenge_flags, extra_env=extra_env)
    run_client(ca, argv, env, "lego")
    return bundle.read_text()


@needs_lego
def test_lego_http01_with_its_own_server(ca, tmp_path):
    names = ["a.example.test", "b.example.test"]
    chain = lego(ca, tmp_path, names, "--http", "--http.port", f"127.0.0.1:{ca.http_port}")
    assert_chain(ca, chain, names, tmp_path / "check")


@needs_lego
def test_lego_dns01_exec_hook_with_wildcard(ca, tmp_path):
    names = ["example.test", "*.example.test"]
    env = dict(hook_env(ca, tmp_path), EXEC_PATH=str(TXT_HOOK), EXEC_POLLING_INTERVAL="1",
               EXEC_PROPAGATION_TIMEOUT="20", EXEC_SEQUENCE_INTERVAL="1")
    chain = lego(ca, tmp_path, names, "--dns", "exec", "--dns.disable-cp",
                 "--dns.resolvers", ca.dns_server, extra_env=env)
    assert_chain(ca, chain, names, tmp_path / "check")
    calls = hook_calls(tmp_path)
    presents = [c for c in calls if c["action"] == "present"]
    # Both the apex and the wildcard are proven by a TXT at _acme-challenge.example.test.
    assert [c["host"] for c in presents] == ["_acme-challenge.example.test."] * 2, calls
    assert len({c["value"] for c in presents}) == 2, calls
    assert any(c["action"] == "cleanup" for c in calls), calls


@needs_lego
def test_lego_tlsalpn01_with_its_own_server(ca, tmp_path):
    names = ["alpn.example.test"]
    chain = lego(ca, tmp_path, names, "--tls", "--tls.port", f"127.0.0.1:{ca.tls_port}")
    assert_chain(ca, chain, names, tmp_path / "check")


# --- certbot --------------------------------------------------------------------------------------

def certbot(ca, tmp_path, names, *plugin_flags, extra_env=None):
    """Runs `certbot certonly` for names with every directory under tmp_path; returns the
    lineage's fullchain.pem."""
    argv = [CERTBOT, "certonly", *plugin_flags, "--server", ca.directory, "--agree-tos",
            "-m", "certbot@example.com", "--no-eff-email", "--non-interactive",
            "--config-dir", str(tmp_path / "certbot" / "config"),
            "--work-dir", str(tmp_path / "certbot" / "work"),
            "--logs-dir", str(tmp_path / "certbot" / "logs"), "--cert-name", "e2e"]
    for name in names:
        argv += ["-d", name]
    env = dict(os.environ, REQUESTS_CA_BUNDLE=str(ca.https_ca), **(extra_env or {}))
    try:
        run_client(ca, argv, env, "certbot")
    except AssertionError as error:
        log = tmp_path / "certbot" / "logs" / "letsencrypt.log"
        detail = log.read_text()[-6000:] if log.exists() else "(no certbot log)"
        raise AssertionError(f"{error}\n--- letsencrypt.log (tail):\n{detail}") from None
    live = tmp_path / "certbot" / "config" / "live" / "e2e"
    fullchain = (live / "fullchain.pem").read_text()
    assert (live / "cert.pem").read_text() in fullchain
    return fullchain


@needs_certbot
def test_certbot_standalone_http01(ca, tmp_path):
    names = ["certbot.example.test"]
    chain = certbot(ca, tmp_path, names, "--standalone", "--http-01-port", str(ca.http_port),
                    "--http-01-address", "127.0.0.1")
    assert_chain(ca, chain, names, tmp_path / "check")


@needs_certbot
def test_certbot_manual_dns01_hooks_with_wildcard(ca, tmp_path):
    names = ["manual.example.test", "*.manual.example.test"]
    chain = certbot(ca, tmp_path, names, "--manual", "--preferred-challenges", "dns",
                    "--manual-auth-hook", f"{PYTHON} {TXT_HOOK} certbot-auth",
                    "--manual-cleanup-hook", f"{PYTHON} {TXT_HOOK} certbot-cleanup",
                    extra_env=hook_env(ca, tmp_path))
    assert_chain(ca, chain, names, tmp_path / "check")
    calls = hook_calls(tmp_path)
    auths = [c for c in calls if c["action"] == "certbot-auth"]
    assert [c["host"] for c in auths] == ["_acme-challenge.manual.example.test."] * 2, calls
    assert any(c["action"] == "certbot-cleanup" for c in calls), calls


# --- python3-acme ---------------------------------------------------------------------------------

def problem(step):
    return step["status"], (step["type"] or "").rpartition(":")[2]


@needs_python_acme
def test_python_acme_revoke_rollover_deactivate(ca, tmp_path):
    names = ["lifecycle.example.test", "*.lifecycle.example.test"]
    out = tmp_path / "lifecycle"
    out.mkdir()
    run_client(ca, [PYTHON, str(LIFECYCLE), ca.directory, str(ca.https_ca), ca.management_url,
                    str(out), *names], dict(os.environ), "acme_lifecycle.py")
    assert_chain(ca, (out / "chain.pem").read_text(), names, tmp_path / "check")
    report = json.loads((out / "report.json").read_text())
    steps = json.dumps(report, indent=1)[-8000:]
    account_url = report["account"]["url"]
    assert report["account"]["status"] == "valid", steps
    assert report["order"]["status"] == "valid", steps

    assert report["revoke"]["status"] == 200, steps
    assert problem(report["revoke_again"]) == (400, "alreadyRevoked"), steps

    assert report["key_change_inner_header"] == ["alg", "jwk", "url"], steps
    assert report["key_change"]["status"] == 200, steps
    assert problem(report["old_key_lookup"]) == (400, "accountDoesNotExist"), steps
    assert report["new_key_lookup"]["status"] == 200, steps
    assert report["new_key_lookup"]["location"] == account_url, steps
    assert report["new_key_fetch"]["status"] == 200, steps
    assert report["new_key_fetch"]["body"]["status"] == "valid", steps
    # The old key signing with kid is no longer the account's key: the signature cannot verify.
    assert report["old_key_fetch"]["status"] in (400, 401, 403), steps
    assert report["old_key_fetch"]["type"] is not None, steps

    assert report["deactivate"]["status"] == 200, steps
    assert report["deactivate"]["body"]["status"] == "deactivated", steps
    # RFC 8555 §7.3.6 / conformance S-JWS-10: 401 unauthorized; Pebble answers 403 (Part E.1).
    refused = 403 if AGAINST == "pebble" else 401
    for step in ("after_deactivate_fetch", "after_deactivate_new_order",
                 "after_deactivate_lookup"):
        assert problem(report[step]) == (refused, "unauthorized"), f"{step}: {steps}"
