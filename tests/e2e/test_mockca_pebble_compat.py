"""mockca as a drop-in for Pebble (issue 4): started exactly as client projects start Pebble in CI
(pebble.md §8), with Pebble's -config JSON, flags and PEBBLE_* variables, then driven by the real
clients (certbot, lego) the same way test_mockca_clients.py does.

Every listener is on a free port (the configs are generated with them, or flags override the
shipped config), so the tests run in parallel.
"""
import json
import pathlib
import ssl
import subprocess
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from conftest import MOCKCA, MOCKCA_TLS_ROOT, free_port, make_tls_files
from test_mockca_clients import (LEGO, PYTHON, TXT_HOOK, Ca, assert_chain, certbot, lego, needs_certbot,
                                 needs_lego, needs_python_acme, run_client)

REPO = pathlib.Path(__file__).parents[2]
ARI_RENEWAL = pathlib.Path(__file__).parent / "clients" / "acme_ari_renewal.py"
SHIPPED_CONFIG = REPO / "mockca" / "config" / "pebble-config.json"
SHIPPED_EAB_CONFIG = REPO / "mockca" / "config" / "pebble-config-external-account-bindings.json"


def get_text(url, cafile):
    context = ssl.create_default_context(cafile=str(cafile))
    with urllib.request.urlopen(url, context=context, timeout=5) as response:
        return response.read().decode()


def get_json(url, cafile):
    return json.loads(get_text(url, cafile))


def write_config(path, **pebble):
    path.write_text(json.dumps({"pebble": pebble}, indent=2))
    return path


def run_mockca(*args, env=None):
    """Runs mockca to completion (for flags that exit at once); returns the CompletedProcess."""
    return subprocess.run([str(MOCKCA), *args], capture_output=True, text=True, timeout=20,
                          env=env)


# --- certbot's CI (certbot-ci acme_server.py, pebble.md §8) ----------------------------------

@needs_certbot
def test_certbot_ci_recipe_standalone_http01(mockca_exactly_factory, mockdns_factory, tmp_path):
    """S-ORD-01, S-CHAL-03, S-CERT-01: challtestsrv's flags on a standalone mockdns, then
    `-config <generated> -dnsserver 127.0.0.1:<port> -strict` with certbot's three variables."""
    dns = mockdns_factory("-defaultIPv6", "", "-defaultIPv4", "127.0.0.1", "-http01", "",
                          "-tlsalpn01", "", "-https01", "")
    cert, key = make_tls_files(tmp_path)
    port, management, http_port, tls_port = free_port(), free_port(), free_port(), free_port()
    config = write_config(tmp_path / "pebble-config.json",
                          listenAddress=f"127.0.0.1:{port}",
                          managementListenAddress=f"127.0.0.1:{management}",
                          certificate=str(cert), privateKey=str(key), httpPort=http_port,
                          tlsPort=tls_port, ocspResponderURL="http://127.0.0.1:4002")
    server = mockca_exactly_factory(
        "-config", str(config), "-dnsserver", f"127.0.0.1:{dns.port('dnsserver')}", "-strict",
        env={"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0",
             "PEBBLE_AUTHZREUSE": "100"})
    assert server.ready["directory"] == f"https://127.0.0.1:{port}/dir"
    assert server.ready["management"] == [f"127.0.0.1:{management}"]
    assert server.ready["dnsserver"] == f"127.0.0.1:{dns.port('dnsserver')}"
    assert "mockdns" not in server.ready  # -dnsserver: no embedded mockdns
    assert "pebble.ocspResponderURL" not in server.stderr()  # a key mockca uses: no warning

    # The config's certificate serves HTTPS; Pebble's defaults fill what the config leaves out.
    directory = get_json(server.directory, cert)
    assert directory["meta"]["caaIdentities"] == ["pebble.letsencrypt.org"]
    assert directory["meta"]["externalAccountRequired"] is False

    ca = Ca(server.directory, cert, dns, http_port, tls_port,
            f"https://127.0.0.1:{management}/roots/0", cert, server.stderr)
    names = ["certbot-ci.example.test"]
    chain = certbot(ca, tmp_path, names, "--standalone", "--http-01-port", str(http_port),
                    "--http-01-address", "127.0.0.1")
    assert_chain(ca, chain, names, tmp_path / "check")
    # ocspResponderURL goes into the leaf's authorityInfoAccess, as Pebble puts it there.
    leaf = x509.load_pem_x509_certificate(chain.encode())
    access = leaf.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert [(d.access_method, d.access_location.value) for d in access] == [
        (x509.oid.AuthorityInformationAccessOID.OCSP, "http://127.0.0.1:4002")]
    # keyAlgorithm absent from the config: Pebble's default, RSA roots.
    root_dir = tmp_path / "root"
    root_dir.mkdir()
    root = x509.load_pem_x509_certificate(ca.root_pem(root_dir).read_bytes())
    assert isinstance(root.public_key(), rsa.RSAPublicKey)


@needs_python_acme
def test_certbot_ci_recipe_ari_renewal(mockca_exactly_factory, mockdns_factory, tmp_path):
    """S-ARI-01..05 through python3-acme, started as certbot's CI starts Pebble for its ARI test
    (certbot PR #10311): renewalInfo for a fresh certificate is a future window; after
    /set-renewal-info/ moves it into the past the client renews with `replaces`, which the new
    order echoes; replacing the same certificate again is 409 alreadyReplaced."""
    dns = mockdns_factory("-defaultIPv6", "", "-defaultIPv4", "127.0.0.1", "-http01", "",
                          "-tlsalpn01", "", "-https01", "")
    cert, key = make_tls_files(tmp_path)
    port, management = free_port(), free_port()
    config = write_config(tmp_path / "pebble-config.json",
                          listenAddress=f"127.0.0.1:{port}",
                          managementListenAddress=f"127.0.0.1:{management}",
                          certificate=str(cert), privateKey=str(key), httpPort=free_port(),
                          tlsPort=free_port(), ocspResponderURL="")
    server = mockca_exactly_factory(
        "-config", str(config), "-dnsserver", f"127.0.0.1:{dns.port('dnsserver')}", "-strict",
        env={"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0",
             "PEBBLE_AUTHZREUSE": "100"})
    ca = Ca(server.directory, cert, dns, 0, 0, f"https://127.0.0.1:{management}/roots/0", cert,
            server.stderr)
    names = ["ari-renewal.example.test"]
    out = tmp_path / "ari"
    out.mkdir()
    run_client(ca, [PYTHON, str(ARI_RENEWAL), server.directory, str(cert), ca.management_url,
                    f"https://127.0.0.1:{management}", str(out), *names], None,
               "acme_ari_renewal.py")
    report = json.loads((out / "report.json").read_text())
    steps = json.dumps(report, indent=1)[-6000:]

    before = report["renewal_info_before"]
    assert before["status"] == 200 and before["retry_after"] == "21600", steps  # S-ARI-04
    window = before["body"]["suggestedWindow"]
    assert window["start"] < window["end"], steps  # S-ARI-03 (RFC 3339 UTC strings sort)
    assert report["renewal_info_after"]["status"] == 200, steps
    assert report["renew_now"] is True, steps
    assert report["order_b"]["replaces"] == report["cert_id_a"], steps  # S-ARI-05
    assert report["cert_id_b"] != report["cert_id_a"], steps
    again = report["replace_again"]
    assert (again["status"], again["type"]) == (409, "urn:ietf:params:acme:error:alreadyReplaced"), \
        steps
    for chain in ("a.pem", "b.pem"):
        assert_chain(ca, (out / chain).read_text(), names, tmp_path / chain)


# --- lego's e2e (lego's own loader, pebble.md §8) -------------------------------------------

@needs_lego
def test_lego_ci_recipe_with_nonce_rejection(mockca_exactly_factory, mockdns_factory, tmp_path):
    """lego runs Pebble with `-strict -config fixtures/pebble-config.json`,
    PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=20 (badNonce retries exercised, S-NONCE-05) and,
    for its DNS suite, -dnsserver localhost:<port>."""
    dns = mockdns_factory("-defaultIPv6", "", "-http01", ":0", "-tlsalpn01", ":0")
    cert, key = make_tls_files(tmp_path)
    port, management, http_port, tls_port = free_port(), free_port(), free_port(), free_port()
    config = write_config(tmp_path / "pebble-config.json",
                          listenAddress=f"127.0.0.1:{port}",
                          managementListenAddress=f"127.0.0.1:{management}",
                          certificate=str(cert), privateKey=str(key), httpPort=http_port,
                          tlsPort=tls_port, ocspResponderURL="",
                          externalAccountBindingRequired=False,
                          profiles={"default": {"description": "default profile"},
                                    "shortlived": {"description": "short",
                                                   "validityPeriod": 518400}})
    server = mockca_exactly_factory(
        "-strict", "-config", str(config), "-dnsserver", f"localhost:{dns.port('dnsserver')}",
        env={"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "20"})
    assert "reject 20% of good nonces" in server.stderr()
    ca = Ca(server.directory, cert, dns, http_port, tls_port,
            f"https://127.0.0.1:{management}/roots/0", cert, server.stderr)
    names = ["lego-ci.example.test", "www.lego-ci.example.test"]
    chain = lego(ca, tmp_path, names, "--http", "--http.port", f"127.0.0.1:{http_port}")
    assert_chain(ca, chain, names, tmp_path / "check")


# --- node-acme-client and instant-acme (pebble.md §8) --------------------------------------

@needs_lego
@pytest.mark.parametrize("recipe", ["node-acme-client", "instant-acme"])
def test_more_ci_recipes_with_lego_dns01(mockca_exactly_factory, mockdns_factory, tmp_path,
                                         recipe):
    """S-ORD-01, S-CERT-03: node-acme-client's challtestsrv flags (the old `-dns01`, every
    responder, `-defaultIPv4 127.0.0.1 -defaultIPv6 ""`) with `-strict -config -dnsserver` and
    PEBBLE_ALTERNATE_ROOTS=2; instant-acme's DNS on [::1] with `-dnsserver [::1]:<port>` and
    PEBBLE_AUTHZREUSE. lego answers dns-01 through /set-txt."""
    if recipe == "node-acme-client":
        dns = mockdns_factory("-dns01", ":0", "-tlsalpn01", ":0", "-http01", ":0", "-https01", ":0",
                              "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
        dns_server = f"127.0.0.1:{dns.port('dnsserver')}"
        env = {"PEBBLE_ALTERNATE_ROOTS": "2"}
    else:
        dns = mockdns_factory("-dns01", "[::1]:0", "-http01", ":0", "-tlsalpn01", ":0",
                              "-https01", "", "-doh", "")
        dns_server = f"[::1]:{dns.port('dnsserver')}"
        env = {"PEBBLE_AUTHZREUSE": "50"}
    cert, key = make_tls_files(tmp_path)
    port, management = free_port(), free_port()
    config = write_config(tmp_path / "pebble.json", listenAddress=f"127.0.0.1:{port}",
                          managementListenAddress=f"127.0.0.1:{management}",
                          certificate=str(cert), privateKey=str(key), httpPort=free_port(),
                          tlsPort=free_port(), ocspResponderURL="",
                          externalAccountBindingRequired=False)
    server = mockca_exactly_factory("-strict", "-config", str(config), "-dnsserver", dns_server,
                                    env=env)
    assert server.ready["dnsserver"] == dns_server
    ca = Ca(server.directory, cert, dns, 0, 0, f"https://127.0.0.1:{management}/roots/0", cert,
            server.stderr)
    names = [f"{recipe}.example.test"]
    hook_log = tmp_path / "hook.log"
    host, dns_port = dns.address("dnsserver")
    resolver = f"[{host}]:{dns_port}" if ":" in host else f"{host}:{dns_port}"
    chain = lego(ca, tmp_path, names, "--dns", "exec", "--dns.disable-cp",
                 "--dns.resolvers", resolver,
                 extra_env={"MOCKDNS_MANAGEMENT": ca.management_url, "HOOK_LOG": str(hook_log),
                            "EXEC_PATH": str(TXT_HOOK), "EXEC_POLLING_INTERVAL": "1",
                            "EXEC_PROPAGATION_TIMEOUT": "20", "EXEC_SEQUENCE_INTERVAL": "1"})
    assert_chain(ca, chain, names, tmp_path / "check")
    if recipe == "node-acme-client":
        roots = [get_text(f"https://127.0.0.1:{management}/roots/{n}", cert) for n in range(3)]
        assert len(set(roots)) == 3  # three distinct roots: chain 0 and two alternates


# --- cert-manager (make/config/pebble, pebble.md §8) ----------------------------------------

@needs_lego
@pytest.mark.parametrize("strict", ["true", "false"])
def test_cert_manager_recipe(mockca_exactly_factory, tmp_path, strict):
    """cert-manager: `-config=<file> -strict=<value>`, NOSLEEP and NONCEREJECT=0, httpPort 80 /
    tlsPort 443 (made free here), EAB kid-1 listed but not required, domainBlocklist google.com.
    It has no -dnsserver, so mockca's embedded mockdns answers (its ports made free by flags)."""
    port, management, http_port, tls_port = free_port(), free_port(), free_port(), free_port()
    config = write_config(
        tmp_path / "config.json", listenAddress=f"127.0.0.1:{port}",
        managementListenAddress=f"127.0.0.1:{management}", httpPort=http_port, tlsPort=tls_port,
        ocspResponderURL="", externalAccountBindingRequired=False,
        externalAccountMACKeys={
            "kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"},
        domainBlocklist=["google.com"])
    server = mockca_exactly_factory(
        f"-config={config}", f"-strict={strict}", "--mockdns-dns", ":0", "--mockdns-management",
        ":0", "--mockdns-http01", "", "--mockdns-tlsalpn01", "",
        env={"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"})
    assert ("strict mode" in server.stderr()) == (strict == "true")
    # cert-manager's readiness probe: GET /dir.
    directory = get_json(server.directory, MOCKCA_TLS_ROOT)
    assert directory["meta"]["externalAccountRequired"] is False
    ca = Ca(server.directory, MOCKCA_TLS_ROOT, server, http_port, tls_port,
            f"https://{server.ready['management'][0]}/roots/0", MOCKCA_TLS_ROOT, server.stderr)
    names = ["cm.example.test"]
    chain = lego(ca, tmp_path, names, "--http", "--http.port", f"127.0.0.1:{http_port}")
    assert_chain(ca, chain, names, tmp_path / "check")

    # domainBlocklist (S-ORD-02): the name and every name under it are rejectedIdentifier.
    argv = [LEGO, "--server", ca.directory, "--accept-tos", "--email", "lego@example.com",
            "--path", str(tmp_path / "lego-blocked"), "--key-type", "ec256",
            "--domains", "www.google.com", "--http", "--http.port", f"127.0.0.1:{http_port}",
            "run"]
    env = dict(LEGO_CA_CERTIFICATES=str(MOCKCA_TLS_ROOT), PATH="/usr/bin:/bin")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=45, env=env)
    assert result.returncode != 0
    assert "rejectedIdentifier" in result.stdout + result.stderr, result.stderr[-3000:]


# --- the shipped example config --------------------------------------------------------------

@needs_lego
def test_shipped_pebble_config_with_ports_from_flags(mockca_factory, tmp_path):
    """mockca/config/pebble-config.json, its ports overridden by explicit flags (flags > config):
    ECDSA roots (keyAlgorithm), Retry-After from retryAfter, the blocklist, profiles served."""
    http_port, tls_port = free_port(), free_port()
    server = mockca_factory("-config", str(SHIPPED_CONFIG), "--http-port", str(http_port),
                            "--tls-port", str(tls_port),
                            extra_env={"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"})
    assert server.ready["listen"][0].startswith("127.0.0.1:")  # --listen :0 won over 0.0.0.0:14000
    assert not server.ready["listen"][0].endswith(":14000")
    assert "pebble.profiles" not in server.stderr()  # profiles are served, not warned about
    directory = get_json(server.directory, MOCKCA_TLS_ROOT)
    assert directory["meta"]["caaIdentities"] == ["pebble.letsencrypt.org"]
    ca = Ca(server.directory, MOCKCA_TLS_ROOT, server, http_port, tls_port,
            f"https://{server.ready['management'][0]}/roots/0", MOCKCA_TLS_ROOT, server.stderr)
    names = ["shipped.example.test"]
    chain = lego(ca, tmp_path, names, "--http", "--http.port", f"127.0.0.1:{http_port}")
    assert_chain(ca, chain, names, tmp_path / "check")
    root = x509.load_pem_x509_certificate(server.root_pem(tmp_path).read_bytes())
    assert isinstance(root.public_key(), ec.EllipticCurvePublicKey)


@needs_lego
def test_lego_eab_with_the_shipped_eab_config(mockca_factory, tmp_path):
    """S-EAB-01..03: the shipped EAB config requires a binding; lego without one is refused with
    lego (it reads meta.externalAccountRequired), lego with `--eab --kid kid-1 --hmac <key>` gets a certificate."""
    http_port, tls_port = free_port(), free_port()
    server = mockca_factory("-config", str(SHIPPED_EAB_CONFIG), "--http-port", str(http_port),
                            "--tls-port", str(tls_port),
                            extra_env={"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"})
    directory = get_json(server.directory, MOCKCA_TLS_ROOT)
    assert directory["meta"]["externalAccountRequired"] is True
    ca = Ca(server.directory, MOCKCA_TLS_ROOT, server, http_port, tls_port,
            f"https://{server.ready['management'][0]}/roots/0", MOCKCA_TLS_ROOT, server.stderr)
    names = ["eab.example.test"]
    # lego reads meta.externalAccountRequired and refuses before registering.
    with pytest.raises(AssertionError, match="requires External Account Binding"):
        lego(ca, tmp_path / "without", names, "--http", "--http.port", f"127.0.0.1:{http_port}")
    hmac = json.loads(SHIPPED_EAB_CONFIG.read_text())["pebble"]["externalAccountMACKeys"]["kid-1"]
    chain = lego(ca, tmp_path, names, "--eab", "--kid", "kid-1", "--hmac", hmac,
                 "--http", "--http.port", f"127.0.0.1:{http_port}")
    assert_chain(ca, chain, names, tmp_path / "check")


# --- the command line ------------------------------------------------------------------------

def test_version_flag():
    for flag in ("-version", "--version"):
        result = run_mockca(flag)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().startswith("mockca version ")
        assert result.stdout.strip().endswith("(Pebble-compatible)")


def test_positional_argument_exits_2():
    # Pebble's README form `-strict false` is a positional argument (pebble.md §1.1).
    result = run_mockca("-strict", "false")
    assert result.returncode == 2
    assert 'unexpected argument "false"' in result.stderr


def test_config_errors_exit_1_naming_the_key(tmp_path):
    missing = run_mockca("-config", str(tmp_path / "absent.json"))
    assert missing.returncode == 1
    assert "absent.json: cannot be read" in missing.stderr
    bad = write_config(tmp_path / "bad.json", httpPort="5002")
    result = run_mockca("-config", str(bad))
    assert result.returncode == 1
    assert "pebble.httpPort" in result.stderr
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    assert run_mockca("-config", str(junk)).returncode == 1
    mac = write_config(tmp_path / "mac.json", externalAccountMACKeys={"kid-1": "not=base64"})
    result = run_mockca("-config", str(mac))
    assert result.returncode == 1
    assert "pebble.externalAccountMACKeys.kid-1" in result.stderr


def test_unknown_config_key_warns_only(mockca_factory, tmp_path):
    config = write_config(tmp_path / "c.json", shinyNewKey=True, CERTIFICATEVALIDITYPERIOD=5)
    server = mockca_factory("-config", str(config))
    assert "pebble.shinyNewKey: unknown key, ignored" in server.stderr()
    assert "certificateValidityPeriod" in server.stderr() or \
        "CERTIFICATEVALIDITYPERIOD" in server.stderr()


def test_chain_length_zero_does_not_panic(mockca_factory):
    server = mockca_factory(extra_env={"PEBBLE_CHAIN_LENGTH": "0"})
    assert "PEBBLE_CHAIN_LENGTH=0" in server.stderr()
    status, _ = server.management_get("/roots/0")
    assert status == 200


# --- the knobs, probed on the wire (acme_probe) -------------------------------------------

def probe_for(server):
    from acme_probe import Probe
    return Probe(server.directory, MOCKCA_TLS_ROOT)


def test_nonce_reject_rate_on_the_wire(mockca_factory):
    """PEBBLE_WFE_NONCEREJECT=100 is clipped to 99 (Pebble rejects every nonce): valid nonces are
    mostly refused with badNonce (S-NONCE-05), and the client's retry with the fresh nonce of the
    refusal eventually succeeds."""
    from acme_probe import Key, expect_problem
    server = mockca_factory(extra_env={"PEBBLE_WFE_NONCEREJECT": "100"})
    assert "PEBBLE_WFE_NONCEREJECT=100 is above 99" in server.stderr()
    probe = probe_for(server)
    key = Key("p256")

    def attempt():
        response = probe.signed(probe.url("newAccount"), key, {"termsOfServiceAgreed": True})
        if response.status_code in (200, 201):
            return True
        expect_problem(response, 400, "badNonce")  # with a fresh Replay-Nonce for the retry
        return False

    rejected = sum(not attempt() for _ in range(200))
    assert rejected >= 180, rejected  # 99 %: mean 198
    # Never every nonce: retrying succeeds (the chance of 3000 refusals is about 1e-13).
    assert any(attempt() for _ in range(3000))


def test_strict_mode_on_the_wire(mockca_factory):
    """-strict: a JWS payload with "resource" and a challenge body other than {} are malformed
    (pebble.md §1.1); {} passes."""
    from acme_probe import expect_problem
    server = mockca_factory("-strict", extra_env={"PEBBLE_VA_ALWAYS_VALID": "1"})
    probe = probe_for(server)
    account = probe.new_account()
    expect_problem(probe.as_account(account, probe.url("newOrder"), {
        "resource": "new-order", "identifiers": [{"type": "dns", "value": "a.example.test"}]}),
        400, "malformed")
    order = probe.new_order(account, ["a.example.test"])
    authz = probe.fetch(account, order["authorizations"][0]).json()
    challenge = authz["challenges"][0]["url"]
    expect_problem(probe.as_account(account, challenge, {"keyAuthorization": "x"}), 400,
                   "malformed")
    assert probe.as_account(account, challenge, {}).status_code == 200


def test_authz_reuse_zero_and_always_valid(mockca_factory):
    """PEBBLE_AUTHZREUSE=0 never reuses (Pebble still reuses 1 %), PEBBLE_VA_ALWAYS_VALID=1
    validates without any network (S-ORD-09)."""
    server = mockca_factory(extra_env={"PEBBLE_AUTHZREUSE": "0", "PEBBLE_VA_ALWAYS_VALID": "1"})
    probe = probe_for(server)
    account = probe.new_account()
    first = probe.new_order(account, ["reuse.example.test"])
    authz_url = first["authorizations"][0]
    authz = probe.fetch(account, authz_url).json()
    http01 = next(c for c in authz["challenges"] if c["type"] == "http-01")
    assert probe.as_account(account, http01["url"], {}).status_code == 200  # nobody serves it
    probe.wait_status(account, authz_url, ["valid"])
    for _ in range(5):
        again = probe.new_order(account, ["reuse.example.test"])
        assert again["authorizations"][0] != authz_url


def test_domain_blocklist_on_the_wire(mockca_factory):
    """The shipped config's domainBlocklist: rejectedIdentifier with one subproblem per blocked
    identifier, carrying it (S-ORD-02, S-ERR-03)."""
    from acme_probe import expect_problem
    server = mockca_factory("-config", str(SHIPPED_CONFIG))
    probe = probe_for(server)
    account = probe.new_account()
    response = probe.as_account(account, probe.url("newOrder"), {"identifiers": [
        {"type": "dns", "value": "ok.example.test"},
        {"type": "dns", "value": "www.blocked-domain.example"},
        {"type": "dns", "value": "*.blocked-domain.example"}]})
    expect_problem(response, 400, "rejectedIdentifier")
    body = response.json()
    assert [sub["identifier"]["value"] for sub in body["subproblems"]] == \
        ["www.blocked-domain.example", "*.blocked-domain.example"]
    assert "identifier" not in body
