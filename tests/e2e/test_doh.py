"""DNS over HTTPS (RFC 8484 POST), with a certificate given by -doh-cert/-doh-cert-key."""
import ssl
import struct
import urllib.error
import urllib.request

from conftest import make_tls_files
from test_dns import query_bytes


def post(server, body, content_type="application/dns-message", method="POST"):
    host, port = server.address("doh")
    context = ssl.create_default_context(cafile=str(server.ca_file))
    request = urllib.request.Request(f"https://localhost:{port}/dns-query", data=body, method=method,
                                     headers={"Content-Type": content_type,
                                              "User-Agent": "doh-e2e"})
    try:
        with urllib.request.urlopen(request, context=context, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_doh_answers_and_records_user_agent(mockdns_factory, tmp_path):
    cert, key = make_tls_files(tmp_path)
    server = mockdns_factory("-doh", ":0", "-doh-cert", str(cert), "-doh-cert-key", str(key))
    server.ca_file = cert
    server.ok("/set-txt", {"host": "doh.example", "value": "over-https"})
    status, content_type, body = post(server, query_bytes("doh.example", qtype=16, qid=77))
    assert status == 200 and content_type == "application/dns-message"
    assert struct.unpack("!HHHH", body[:8]) == (77, 0x8100, 1, 1)
    assert b"over-https" in body
    assert server.history("dns", "doh.example")[0]["UserAgent"] == "doh-e2e"
    assert post(server, b"", method="GET")[0] == 405
    assert post(server, query_bytes("doh.example"), content_type="text/plain")[0] == 415


def test_doh_without_certificate_is_not_served(mockdns_factory):
    server = mockdns_factory("-doh", ":0")
    assert server.ready["doh"] == []
    assert "-doh needs -doh-cert" in server.stderr()
