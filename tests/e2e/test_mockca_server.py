"""mockca as a process: flags, the ready line, HTTPS with the built-in or a given certificate, the
management listener, and a clean exit on SIGTERM."""
import json
import os
import pty
import select
import signal
import ssl
import subprocess
import time
import urllib.request

import pytest

from acme_probe import Probe
from conftest import MOCKCA, MOCKCA_TLS_ROOT, make_tls_files, start_mockca, stop, stop_checked


def get(url, ca_file, method="GET"):
    context = ssl.create_default_context(cafile=str(ca_file))
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, context=context, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


def test_ready_line_names_every_listener(mockca):
    ready = mockca.ready
    assert ready["ready"] == "mockca"
    assert isinstance(ready["seed"], int)
    assert ready["directory"].startswith("https://127.0.0.1:") and ready["directory"].endswith("/dir")
    assert ready["dnsserver"] == ready["mockdns"]["dnsserver"][0]
    for server in ("management", "http01", "tlsalpn01"):
        assert ready["mockdns"][server], server
    assert ready["management"]


def test_directory_over_https_trusting_the_shipped_root(mockca):
    """S-DIR-01/02: the directory is served over TLS with the repository's test certificate."""
    status, headers, body = get(mockca.directory, MOCKCA_TLS_ROOT)
    directory = json.loads(body)
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    base = mockca.directory.removesuffix("/dir")
    for key, path in [("newNonce", "/nonce-plz"), ("newAccount", "/sign-me-up"),
                      ("newOrder", "/order-plz"), ("revokeCert", "/revoke-cert"),
                      ("keyChange", "/rollover-account-key")]:
        assert directory[key] == base + path
    assert "termsOfService" in directory["meta"]


def test_tls_1_2_is_served(mockca):
    host, _, port = mockca.ready["listen"][0].rpartition(":")
    result = subprocess.run(["openssl", "s_client", "-connect", f"{host}:{port}", "-tls1_2",
                             "-CAfile", str(MOCKCA_TLS_ROOT), "-verify_return_error"],
                            input="", capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Protocol  : TLSv1.2" in result.stdout


def test_management_serves_the_issuing_root_and_intermediate(mockca, tmp_path):
    status, root = mockca.management_get("/roots/0")
    assert status == 200 and root.startswith("-----BEGIN CERTIFICATE-----")
    status, intermediate = mockca.management_get("/intermediates/0")
    assert status == 200 and intermediate.startswith("-----BEGIN CERTIFICATE-----")
    (tmp_path / "root.pem").write_text(root)
    (tmp_path / "intermediate.pem").write_text(intermediate)
    verified = subprocess.run(["openssl", "verify", "-CAfile", str(tmp_path / "root.pem"),
                               str(tmp_path / "intermediate.pem")], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert mockca.management_get("/roots/1")[0] == 404
    assert mockca.management_get("/nothing")[0] == 404


def test_tls_cert_flags_replace_the_built_in_certificate(mockca_factory, tmp_path):
    cert, key = make_tls_files(tmp_path)
    server = mockca_factory("--tls-cert", str(cert), "--tls-key", str(key))
    status, _, _ = get(server.directory, cert)
    assert status == 200
    with pytest.raises(urllib.error.URLError):
        get(server.directory, MOCKCA_TLS_ROOT)


def test_encrypted_tls_key_is_refused_without_a_passphrase_prompt(tmp_path):
    # On a terminal, OpenSSL's default passphrase callback would ask "Enter PEM pass phrase:" and
    # wait; so mockca runs here with a pseudo-terminal as its controlling terminal (pty.fork).
    cert, key = make_tls_files(tmp_path)
    encrypted = tmp_path / "encrypted.key"
    subprocess.run(["openssl", "pkcs8", "-topk8", "-v2", "aes-128-cbc", "-passout", "pass:x",
                    "-in", str(key), "-out", str(encrypted)], check=True, capture_output=True)
    argv = [str(MOCKCA), "--listen", ":0", "--management", ":0", "--mockdns-dns", ":0",
            "--mockdns-management", ":0", "--mockdns-http01", ":0", "--mockdns-tlsalpn01", ":0",
            "--tls-cert", str(cert), "--tls-key", str(encrypted)]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    output, exited = b"", False

    def read_available(timeout):
        """What the terminal has within timeout; b"" for nothing or a closed terminal."""
        if not select.select([fd], [], [], timeout)[0]:
            return b""
        try:
            return os.read(fd, 4096)
        except OSError:  # EIO: the other side is closed, mockca has exited
            return b""

    try:
        deadline = time.time() + 20
        while not exited and time.time() < deadline:
            chunk = read_available(0.2)
            output += chunk
            exited = not chunk and os.waitpid(pid, os.WNOHANG)[0] != 0
        while chunk := read_available(0):
            output += chunk
    finally:
        if not exited:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert exited, f"mockca still running after 20 s (waiting on a prompt?): {output[-500:]!r}"
    assert b"pass phrase" not in output, output
    assert b"no unencrypted PEM private key" in output, output


@pytest.mark.parametrize("args, message", [
    (["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"], "--tls-cert"),
    (["--tls-cert", "x.pem"], "--tls-cert and --tls-key go together"),
    (["--http-port", "70000"], "--http-port"),
    (["--key-algorithm", "dsa"], "--key-algorithm"),
    (["--listen", "example.com:1"], "--listen"),
    (["--no-such-flag"], "no-such-flag"),
    (["--management", "0.0.0.0:0"], "--management: 0.0.0.0:0 is not loopback"),
    (["--mockdns-management", "[::]:0"], "needs --expose-management"),
])
def test_bad_flags_fail_with_a_message(args, message):
    result = subprocess.run([str(MOCKCA), "--listen", ":0", "--management", ":0",
                             "--mockdns-dns", ":0", "--mockdns-management", ":0",
                             "--mockdns-http01", ":0", "--mockdns-tlsalpn01", ":0", *args],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    assert message in result.stderr


def test_rsa_hierarchy(mockca_factory):
    server = mockca_factory("--key-algorithm", "rsa")
    status, root = server.management_get("/roots/0")
    text = subprocess.run(["openssl", "x509", "-noout", "-text"], input=root, capture_output=True,
                          text=True).stdout
    assert status == 200 and "rsaEncryption" in text


def test_external_dns_server_disables_the_embedded_mockdns(mockdns, mockca_factory):
    host, port = mockdns.address("dnsserver")
    server = mockca_factory("--dns-server", f"{host}:{port}")
    assert "mockdns" not in server.ready
    assert server.ready["dnsserver"] == f"{host}:{port}"


def test_sigterm_exits_zero():
    server = start_mockca()
    stop_checked(server, "mockca")


def test_verbose_logs_one_line_per_acme_request(mockca_factory):
    """--verbose: each ACME request is logged with its method, target and status (and without
    the flag it is not)."""
    verbose = mockca_factory("--verbose")
    quiet = mockca_factory()
    for server in (verbose, quiet):
        get(server.directory, MOCKCA_TLS_ROOT)
        get(server.directory.replace("/dir", "/nonce-plz"), MOCKCA_TLS_ROOT, method="HEAD")
    log = verbose.stderr()
    assert "GET /dir -> 200" in log, log
    assert "HEAD /nonce-plz -> 200" in log, log
    assert "/dir -> " not in quiet.stderr()


def test_pebble_config_management_on_every_interface_serves_on_loopback(mockca_exactly_factory,
                                                                        tmp_path):
    """Pebble's example config binds the management API to 0.0.0.0; mockca keeps it on loopback
    (with a warning naming --expose-management), so the test CA's private keys stay on this
    machine."""
    config = tmp_path / "pebble-config.json"
    config.write_text(json.dumps({"pebble": {"listenAddress": "127.0.0.1:0",
                                             "managementListenAddress": "0.0.0.0:0"}}))
    server = mockca_exactly_factory("-config", str(config), "--mockdns-dns", ":0",
                                    "--mockdns-management", ":0", "--mockdns-http01", ":0",
                                    "--mockdns-tlsalpn01", ":0")
    [management] = server.ready["management"]
    assert management.startswith("127.0.0.1:"), management
    assert "--expose-management" in server.stderr()
    status, _ = server.management_get("/roots/0")
    assert status == 200


def test_sigterm_with_validations_queued_exits_quickly():
    """SIGTERM while 16 dns-01 validations are queued or running (each first sleeping up to 2 s,
    PEBBLE_VA_SLEEPTIME=3): the validations not started are dropped and the running ones finish
    against the still-running embedded mockdns, so mockca exits 0 within seconds (before, every
    queued validation ran after the embedded mockdns had stopped and waited out its DNS
    timeouts)."""
    server = start_mockca(extra_env={"PEBBLE_VA_SLEEPTIME": "3"})
    try:
        probe = Probe(server.directory, str(MOCKCA_TLS_ROOT))
        account = probe.new_account()
        order = probe.new_order(account, [f"q{i}.drain.example.test" for i in range(16)])
        for authz_url in order["authorizations"]:
            probe.solve_dns01(account, authz_url, server, wait=False)
        started = time.monotonic()
        server.process.terminate()
        status = server.process.wait(timeout=60)
        elapsed = time.monotonic() - started
    finally:
        stop(server.process)
    assert status == 0, server.stderr()
    assert elapsed < 5, f"exit took {elapsed:.1f} s:\n{server.stderr()[-3000:]}"
