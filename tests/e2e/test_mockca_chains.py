"""Pebble's alternate chains end to end (pebble.md §1.3, §2.8, §3; S-CERT-02, S-CERT-03, S-REV-05).

mockca starts with PEBBLE_ALTERNATE_ROOTS / MOCKCA_ALTERNATE_ROOTS (and PEBBLE_CHAIN_LENGTH); the
management API serves every chain's root, and certbot's --preferred-chain "<root CN>" must pick the
alternate chain whose last intermediate that root issued.
"""
import ssl
import subprocess
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from conftest import MOCKCA_TLS_ROOT, free_port
from test_mockca_clients import Ca, certbot, needs_certbot

ALTERNATES = 2


def management(server, path):
    """GETs path from mockca's management listener: (status, headers, text)."""
    context = ssl.create_default_context(cafile=str(MOCKCA_TLS_ROOT))
    url = f"https://{server.ready['management'][0]}{path}"
    try:
        with urllib.request.urlopen(url, context=context, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def common_name(name):
    return name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


@pytest.fixture(params=["PEBBLE_ALTERNATE_ROOTS", "MOCKCA_ALTERNATE_ROOTS"])
def chains_ca(request, mockca_factory):
    http_port = free_port()
    server = mockca_factory("--http-port", str(http_port), "--tls-port", str(free_port()),
                            extra_env={request.param: str(ALTERNATES)})
    return server, Ca(server.directory, MOCKCA_TLS_ROOT, server, http_port, None,
                      f"https://{server.ready['management'][0]}/roots/0", MOCKCA_TLS_ROOT,
                      server.stderr)


def test_management_serves_every_chain(chains_ca):
    server, _ = chains_ca
    subjects = set()
    for n in range(ALTERNATES + 1):
        status, headers, text = management(server, f"/roots/{n}")
        assert status == 200, f"/roots/{n}: {status} (are the alternate-roots env vars wired?)"
        root = x509.load_pem_x509_certificate(text.encode())
        assert common_name(root.subject).startswith("Anvil mockca Root CA ")
        subjects.add(root.subject)
        links = headers.get_all("Link") or []
        assert sorted(links) == sorted(
            f"<https://{server.ready['management'][0]}/roots/{j}>;rel=\"alternate\""
            for j in range(ALTERNATES + 1) if j != n)
        status, _, text = management(server, f"/intermediates/{n}")
        assert status == 200
        assert x509.load_pem_x509_certificate(text.encode()).issuer == root.subject
        for keys in ("root-keys", "intermediate-keys"):
            status, headers, text = management(server, f"/{keys}/{n}")
            assert status == 200 and text.startswith("-----BEGIN EC PRIVATE KEY-----")
    assert len(subjects) == ALTERNATES + 1
    for path in (f"/roots/{ALTERNATES + 1}", "/roots/x", f"/intermediates/{ALTERNATES + 1}"):
        status, _, text = management(server, path)
        assert (status, text) == (404, "")


@needs_certbot
@pytest.mark.parametrize("preferred", [1, ALTERNATES])
def test_certbot_preferred_chain_picks_the_alternate(chains_ca, tmp_path, preferred):
    server, ca = chains_ca
    _, _, root_text = management(server, f"/roots/{preferred}")
    root = x509.load_pem_x509_certificate(root_text.encode())
    names = ["chains.example.test"]
    fullchain = certbot(ca, tmp_path, names, "--standalone", "--http-01-port", str(ca.http_port),
                        "--http-01-address", "127.0.0.1",
                        "--preferred-chain", common_name(root.subject))
    blocks = [block + "-----END CERTIFICATE-----\n"
              for block in fullchain.split("-----END CERTIFICATE-----")[:-1]]
    chain = [x509.load_pem_x509_certificate(block.encode()) for block in blocks]
    assert len(chain) == 2  # S-CERT-02: leaf + the chain's intermediate, no root
    assert chain[-1].issuer == root.subject
    (tmp_path / "root.pem").write_text(root_text)
    (tmp_path / "intermediate.pem").write_text(blocks[1])
    (tmp_path / "leaf.pem").write_text(blocks[0])
    verified = subprocess.run(["openssl", "verify", "-CAfile", str(tmp_path / "root.pem"),
                               "-untrusted", str(tmp_path / "intermediate.pem"),
                               str(tmp_path / "leaf.pem")], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert chain[0].extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName) == names
    # S-REV-05's other half: the issued leaf is in the management API's cert status.
    status, _, text = management(server, f"/cert-status-by-serial/{chain[0].serial_number:x}")
    assert status == 200 and '"Status":"Valid"' in text


def test_chain_length_adds_intermediates(mockca_factory):
    server = mockca_factory(extra_env={"PEBBLE_CHAIN_LENGTH": "2"})
    _, _, root_text = management(server, "/roots/0")
    _, _, issuer_text = management(server, "/intermediates/0")
    root = x509.load_pem_x509_certificate(root_text.encode())
    issuer = x509.load_pem_x509_certificate(issuer_text.encode())
    # The leaf-issuing intermediate hangs under "... Intermediate CA #1 ...", not the root.
    assert issuer.issuer != root.subject
    assert common_name(issuer.issuer).startswith("Anvil mockca Intermediate CA #1 ")
