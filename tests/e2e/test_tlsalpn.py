"""The tls-alpn-01 responder (RFC 8737), its certificate checked with OpenSSL, and its history."""
import hashlib
import ssl
import subprocess

import pytest
from cryptography import x509

ACME_IDENTIFIER = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.31")


def handshake(server, sni, alpn=("acme-tls/1",)):
    """Returns the peer certificate (cryptography x509) or raises ssl.SSLError."""
    import socket
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if alpn:
        context.set_alpn_protocols(list(alpn))
    host, port = server.address("tlsalpn01")
    with socket.create_connection((host, port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=sni) as tls:
            assert tls.selected_alpn_protocol() == "acme-tls/1"
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def test_certificate_has_critical_acme_identifier_and_san(mockdns):
    mockdns.ok("/add-tlsalpn01", {"host": "alpn.example", "content": "token.thumbprint"})
    cert = handshake(mockdns, "alpn.example")
    extension = cert.extensions.get_extension_for_oid(ACME_IDENTIFIER)
    assert extension.critical
    digest = hashlib.sha256(b"token.thumbprint").digest()
    assert extension.value.value == b"\x04\x20" + digest
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["alpn.example"]


def test_openssl_sees_the_extension_as_critical(mockdns):
    mockdns.ok("/add-tlsalpn01", {"host": "ossl.example", "content": "ka"})
    host, port = mockdns.address("tlsalpn01")
    handshake_out = subprocess.run(
        ["openssl", "s_client", "-connect", f"{host}:{port}", "-servername", "ossl.example",
         "-alpn", "acme-tls/1"], input="", capture_output=True, text=True, timeout=10).stdout
    assert "ALPN protocol: acme-tls/1" in handshake_out
    text = subprocess.run(["openssl", "x509", "-noout", "-text"], input=handshake_out,
                          capture_output=True, text=True, timeout=10).stdout
    assert "1.3.6.1.5.5.7.1.31: critical" in text
    assert "DNS:ossl.example" in text
    der = subprocess.run(["openssl", "x509", "-outform", "DER"], input=handshake_out.encode(),
                         capture_output=True, timeout=10).stdout
    # Extension ::= SEQUENCE { OID 1.3.6.1.5.5.7.1.31, BOOLEAN TRUE, OCTET STRING { OCTET STRING
    # (32 octets) SHA-256(key authorization) } }
    oid = bytes.fromhex("06082b0601050507011f")
    assert oid + bytes.fromhex("0101ff04220420") + hashlib.sha256(b"ka").digest() in der

def test_reverse_name_sni_gets_an_ip_san(mockdns):
    mockdns.ok("/add-tlsalpn01", {"host": "127.0.0.1", "content": "ip-ka"})
    cert = handshake(mockdns, "1.0.0.127.in-addr.arpa")
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]


@pytest.mark.parametrize("sni,alpn", [("unknown.example", ("acme-tls/1",)),
                                      ("known.example", ("h2", "acme-tls/1")),
                                      ("known.example", ())])
def test_handshake_fails_without_exact_alpn_or_known_sni(mockdns, sni, alpn):
    mockdns.ok("/add-tlsalpn01", {"host": "known.example", "content": "ka"})
    with pytest.raises(ssl.SSLError, match="INTERNAL_ERROR"):
        handshake(mockdns, sni, alpn)


def test_history_records_server_name_and_protocols(mockdns):
    mockdns.ok("/add-tlsalpn01", {"host": "hist.example", "content": "ka"})
    handshake(mockdns, "hist.example")
    assert mockdns.history("tlsalpn01", "hist.example") == [
        {"ServerName": "hist.example", "SupportedProtos": ["acme-tls/1"]}]
    mockdns.ok("/del-tlsalpn01", {"host": "hist.example"})
    with pytest.raises(ssl.SSLError):
        handshake(mockdns, "hist.example")
