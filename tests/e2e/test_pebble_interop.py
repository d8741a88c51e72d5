"""Interop with the reference: Debian's Pebble validates and issues with every answer served by
mockdns (DNS via -dnsserver, http-01 via httpPort, tls-alpn-01 via tlsPort), driven by lego
(dns-01 through its exec provider calling /set-txt) and by a python3-acme client (all three types).
"""
import os
import pathlib
import shutil
import subprocess

import pytest
from cryptography import x509

from conftest import make_tls_files, stop, wait_for_https, write_pebble_config

HERE = pathlib.Path(__file__).parent
PEBBLE = shutil.which("pebble")
LEGO = shutil.which("lego")

pytestmark = pytest.mark.skipif(PEBBLE is None, reason="Debian's pebble is not installed (ci/setup)")


@pytest.fixture
def stack(mockdns_factory, tmp_path):
    """mockdns on free ports and Pebble pointed at it; yields (mockdns, directory URL, CA file)."""
    dns = mockdns_factory("-defaultIPv6", "")  # Pebble's VA would try ::1 first otherwise
    cert, key = make_tls_files(tmp_path)
    config_file, directory = write_pebble_config(tmp_path, cert, key, dns)
    # Every authorization is validated afresh (no reuse), without Pebble's random sleeps or nonce
    # rejections, so each test proves a validation that went through mockdns.
    env = dict(os.environ, PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0", PEBBLE_AUTHZREUSE="0")
    env.pop("PEBBLE_VA_ALWAYS_VALID", None)
    pebble = subprocess.Popen([PEBBLE, "-config", str(config_file),
                               "-dnsserver", f"127.0.0.1:{dns.port('dnsserver')}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        wait_for_https(directory, cert)
        yield dns, directory, cert
    finally:
        stop(pebble)


def names_in(chain_pem):
    leaf = x509.load_pem_x509_certificate(chain_pem.encode())  # the first PEM block
    return sorted(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
                  .value.get_values_for_type(x509.DNSName))


def mgmt_url(dns):
    host, port = dns.address("management")
    return f"http://{host}:{port}"


@pytest.mark.parametrize("challenge", ["http-01", "dns-01", "tls-alpn-01"])
def test_python_acme_gets_a_certificate_validated_through_mockdns(stack, challenge):
    dns, directory, ca_file = stack
    domains = [f"{challenge}.interop.example", f"www.{challenge}.interop.example"]
    result = subprocess.run(["/usr/bin/python3", str(HERE / "acme_client.py"), directory,
                             str(ca_file), mgmt_url(dns), challenge, *domains],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert names_in(result.stdout) == sorted(domains)
    for domain in domains:
        if challenge == "http-01":
            events = dns.history("http", domain)
            assert events and events[0]["URL"].startswith("/.well-known/acme-challenge/")
        elif challenge == "dns-01":
            events = dns.history("dns", f"_acme-challenge.{domain}")
            assert any(e["Question"]["Qtype"] == 16 for e in events)
        else:
            events = dns.history("tlsalpn01", domain)
            assert events and events[0]["SupportedProtos"] == ["acme-tls/1"]
        # Pebble found the host through mockdns as well (A lookups for http-01 / tls-alpn-01).
        if challenge != "dns-01":
            assert any(e["Question"]["Qtype"] == 1 for e in dns.history("dns", domain))


@pytest.mark.skipif(LEGO is None, reason="Debian's lego is not installed (ci/setup)")
def test_lego_dns01_with_exec_provider_calling_set_txt(stack, tmp_path):
    dns, directory, ca_file = stack
    hook = tmp_path / "set-txt.sh"
    hook.write_text(f"""#!/bin/sh
# lego exec provider: $1 = present|cleanup, $2 = FQDN, $3 = value
case "$1" in
  present) curl -sf -d "{{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}}" {mgmt_url(dns)}/set-txt ;;
  cleanup) curl -sf -d "{{\\"host\\":\\"$2\\"}}" {mgmt_url(dns)}/clear-txt ;;
esac
""")
    hook.chmod(0o755)
    env = dict(os.environ, EXEC_PATH=str(hook), LEGO_CA_CERTIFICATES=str(ca_file),
               EXEC_POLLING_INTERVAL="1", EXEC_PROPAGATION_TIMEOUT="30")
    result = subprocess.run(
        [LEGO, "--server", directory, "--accept-tos", "--email", "ci@interop.example",
         "--path", str(tmp_path / "lego"), "--domains", "lego.interop.example",
         "--dns", "exec", "--dns.disable-cp",
         "--dns.resolvers", f"127.0.0.1:{dns.port('dnsserver')}", "run"],
        capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    chain = (tmp_path / "lego" / "certificates" / "lego.interop.example.crt").read_text()
    assert names_in(chain) == ["lego.interop.example"]
    txt_queries = [e for e in dns.history("dns", "_acme-challenge.lego.interop.example")
                   if e["Question"]["Qtype"] == 16]
    assert len(txt_queries) >= 2  # lego's own check and Pebble's validation
