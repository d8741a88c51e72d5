"""mockca against hostile clients: malformed, abusive and broken requests at every layer (TCP, TLS,
HTTP/1.x framing, README "Limits", JSON, JWS, nonces, object URLs, other accounts' objects), each
answered with the right HTTP status and ACME problem (application/problem+json,
urn:ietf:params:acme:error:*) or, where the protocol layer is broken, the right HTTP behaviour (400,
413, 431, or a closed connection) — and mockca still serving after every case (a directory GET, HEAD
and GET newNonce, and a POST redeeming that nonce, on fresh connections) and at the end.

Slow clients (slowloris heads, trickled bodies, a lying Content-Length, cut handshakes, idle
connections) start with the module's mockca and are judged by the tests at the end of the file, after
README's 30 s I/O timeout has run out meanwhile; every other case is served while they hang on. The
connection limit (256 per listener), a burst of concurrent clients, and SIGTERM with clients
mid-request each get their own mockca.

Where an RFC leaves a choice (a duplicate JSON member: reject, or use the last one, RFC 7515 §5.2
and RFC 8259 §4) the case accepts exactly those alternatives.

Runs under Debian's python3:
    /usr/bin/python3 -m pytest -p no:cacheprovider -n 2 tests/e2e/test_hostile_clients.py
"""
import functools
import hashlib
import hmac
import json
import secrets
import signal
import socket
import ssl
import threading
import time

import pytest
import requests

import hostile_wire as hw
from acme_probe import (JOSE, Key, Probe, b64u, describe, leaf_der, make_csr)
from acme_probe import expect_problem as expect_acme_problem
from conftest import MOCKCA_TLS_ROOT, start_mockca, stop, stop_checked

# README "Limits" (mockca): what this file holds the server to.
HEAD_LIMIT = 8 * 1024
BODY_LIMIT = 64 * 1024
IO_TIMEOUT = 30
MAX_CONNECTIONS = 256
# A timed-out connection must be closed within this window after its read began (the timer fires
# at 30 s; the rest is scheduling slack on a loaded 2-core machine).
TIMEOUT_WINDOW = (IO_TIMEOUT - 3, IO_TIMEOUT + 10)


# ----- the module's mockca, its slow clients and its shared objects ----------------------------
@pytest.fixture(scope="module")
def server():
    mockca = start_mockca()
    mockca.slow = SlowClients(mockca)
    mockca.slow.start()
    yield mockca
    stop_checked(mockca, "mockca")  # fails if a hostile client killed it


def unique(tag):
    return f"{tag}-{secrets.token_hex(4)}.hostile.example"


class World:
    """Objects the cases share, created lazily (one mockca per module and xdist worker)."""

    def __init__(self, server):
        self.server = server
        self.probe = Probe(server.directory, MOCKCA_TLS_ROOT, timeout=15)
        self.authority = server.directory.split("/")[2]

    @property
    def p(self):
        return self.probe

    @property
    def base(self):
        return self.server.directory.rsplit("/", 1)[0]

    def path(self, name):
        """The path of a directory URL (newAccount -> /sign-me-up)."""
        return "/" + self.p.url(name).split("/", 3)[3]

    @functools.cached_property
    def alice(self):
        return self.p.new_account()

    @functools.cached_property
    def bob(self):
        return self.p.new_account()

    @functools.cached_property
    def pending(self):
        """A pending order of alice's with its authorization and dns-01 challenge."""
        order = self.p.new_order(self.alice, [unique("pending")])
        authz = self.p.fetch(self.alice, order["authorizations"][0]).json()
        order["authz"] = authz
        order["authz_url"] = order["authorizations"][0]
        order["challenge"] = next(c for c in authz["challenges"] if c["type"] == "dns-01")
        return order

    @functools.cached_property
    def ready(self):
        names = [unique("ready")]
        order = self.p.ready_order(self.alice, names, self.server)
        order["names"] = names
        return order

    @functools.cached_property
    def valid(self):
        """(order, certificate key, PEM chain) of alice's."""
        return self.p.issue(self.alice, [unique("valid")], self.server)

    @functools.cached_property
    def foreign_nonces(self):
        """Nonces of another mockca run (stopped since)."""
        other = start_mockca()
        try:
            session = requests.Session()
            session.trust_env = False
            url = other.directory.replace("/dir", "/nonce-plz")
            nonces = [session.head(url, verify=str(MOCKCA_TLS_ROOT), timeout=10)
                      .headers["Replay-Nonce"] for _ in range(2)]
            session.close()
        finally:
            stop_checked(other, "mockca")
        return nonces

    # ----- still serving? --------------------------------------------------------------------
    def health(self):
        """A directory GET, HEAD and GET newNonce each on a fresh connection, then a POST-as-GET
        redeeming that nonce: mockca still serves, and its nonces still work."""
        session = requests.Session()
        session.trust_env = False
        session.verify = str(MOCKCA_TLS_ROOT)
        session.headers["Connection"] = "close"
        try:
            directory = session.get(self.server.directory, timeout=10)
            assert directory.status_code == 200, describe(directory)
            assert "newNonce" in directory.json(), describe(directory)
            head = session.head(self.p.url("newNonce"), timeout=10)
            assert head.status_code == 200 and head.headers.get("Replay-Nonce"), describe(head)
            get = session.get(self.p.url("newNonce"), timeout=10)
            assert get.status_code == 204 and get.headers.get("Replay-Nonce"), describe(get)
        finally:
            session.close()
        account = self.p.as_account(self.alice, self.alice.url, nonce=get.headers["Replay-Nonce"])
        assert account.status_code == 200, describe(account)
        assert account.json()["status"] == "valid", describe(account)
        assert self.server.alive(), self.server.stderr()


@pytest.fixture(scope="module")
def w(server):
    return World(server)


# ----- the case table ----------------------------------------------------------------------------
CASES = []


def case(category, name):
    """Registers run(w), which sends its request(s) and asserts the answer itself."""
    def register(run):
        CASES.append(pytest.param(run, id=f"{category}-{name}"))
        return run
    return register


def add(category, name, run, *args):
    """Registers run(w, *args)."""
    CASES.append(pytest.param(lambda w: run(w, *args), id=f"{category}-{name}"))


def request_bytes(w, method, target, headers=(), body=b"", host=None, version="HTTP/1.1",
                  close=True, content_length=True):
    if isinstance(target, str):
        target = target.encode()
    head = method.encode() + b" " + target + f" {version}\r\n".encode()
    if host is not False:
        head += b"Host: " + (host if isinstance(host, bytes) else
                             (host or w.authority).encode()) + b"\r\n"
    for header in headers:
        head += (header if isinstance(header, bytes) else header.encode()) + b"\r\n"
    if content_length and (body or method == "POST"):
        head += f"Content-Length: {len(body)}\r\n".encode()
    if close:
        head += b"Connection: close\r\n"
    return head + b"\r\n" + body


def jws_body(w, url, payload=None, account=None, key=None, **kw):
    """A flattened JWS (bytes) for url, signed by account (kid) or key (jwk)."""
    if account is not None:
        kw.setdefault("kid", account.url)
        key = key or account.key
    return json.dumps(w.p.jws(key or Key(), url, payload, **kw)).encode()


def raw_jws(w, key, protected_text, payload_text):
    """A flattened JWS over verbatim protected-header and payload bytes (duplicates, odd
    encodings), signed by key."""
    protected = b64u(protected_text)
    payload = b64u(payload_text)
    signature = b64u(key.sign(f"{protected}.{payload}".encode()))
    return {"protected": protected, "payload": payload, "signature": signature}


def kid_header(w, account, url, nonce=None, alg=None):
    return {"alg": alg or account.key.alg, "kid": account.url, "nonce": nonce or w.p.nonce(),
            "url": url}


def post(w, url, body, content_type=JOSE):
    return w.p.post(url, body, content_type)


def problem(response, status, types):
    return expect_acme_problem(response, status, types, post=response.request.method == "POST")


# ===== 1. TLS and TCP (raw sockets) ================================================================
def expect_no_http(data, how):
    """A connection the server ended without HTTP: nothing read, or a TLS alert, then closed."""
    assert not data.startswith(b"HTTP/"), data[:300]
    assert how in ("closed", "reset"), (how, data[:100])


@case("tls", "garbage-instead-of-clienthello")
def _(w):
    with hw.tcp(w.server) as sock:
        sock.sendall(secrets.token_bytes(512))
        expect_no_http(*hw.read_until_close(sock))


@case("tls", "nul-bytes-instead-of-clienthello")
def _(w):
    with hw.tcp(w.server) as sock:
        sock.sendall(b"\x00" * 1024)
        expect_no_http(*hw.read_until_close(sock))


@case("tls", "plain-http-get-on-https-port")
def _(w):
    with hw.tcp(w.server) as sock:
        sock.sendall(b"GET /dir HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data, how = hw.read_until_close(sock)
    # Closed, or a plain-text 400 (what some servers say to plain HTTP on a TLS port).
    if data:
        assert hw.parse_responses(data)[0].status == 400, data[:300]
    else:
        assert how in ("closed", "reset")


@case("tls", "plain-http-post-with-body-on-https-port")
def _(w):
    with hw.tcp(w.server) as sock:
        hw.send_tolerant(sock, b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\n"
                         b"Content-Type: application/jose+json\r\nContent-Length: 2\r\n\r\n{}")
        data, how = hw.read_until_close(sock)
    assert not data or hw.parse_responses(data)[0].status == 400, data[:300]


@case("tls", "record-header-claiming-16MiB")
def _(w):
    with hw.tcp(w.server) as sock:
        hw.send_tolerant(sock, b"\x16\x03\x01\xff\xff" + b"\x01" * 2048)
        expect_no_http(*hw.read_until_close(sock))


@case("tls", "sslv2-compatible-clienthello")
def _(w):
    # An SSLv2-format CLIENT-HELLO offering only SSLv2/3 ciphers (what 1990s clients send).
    hello = bytes.fromhex("802e0103000015000000100700c00500800300800100800600400400800200802f"
                          "a04e6f49a7ee7a9f8ba1e7bd96b3c0d4")
    with hw.tcp(w.server) as sock:
        hw.send_tolerant(sock, hello)
        expect_no_http(*hw.read_until_close(sock))


@case("tls", "clienthello-cut-in-half-then-fin")
def _(w):
    hello = hw.client_hello()
    with hw.tcp(w.server) as sock:
        sock.sendall(hello[:len(hello) // 2])
        sock.shutdown(socket.SHUT_WR)
        expect_no_http(*hw.read_until_close(sock))


@case("tls", "clienthello-cut-in-half-then-rst")
def _(w):
    hello = hw.client_hello()
    sock = hw.tcp(w.server)
    sock.sendall(hello[:len(hello) // 2])
    time.sleep(0.05)
    hw.rst_close(sock)


@case("tls", "clienthello-twice")
def _(w):
    hello = hw.client_hello()
    with hw.tcp(w.server) as sock:
        hw.send_tolerant(sock, hello + hello)
        expect_no_http(*hw.read_until_close(sock))


@case("tls", "clienthello-then-garbage-instead-of-finished")
def _(w):
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = hw.tls_context().wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        obj.do_handshake()
    with hw.tcp(w.server) as sock:
        sock.sendall(outgoing.read())
        time.sleep(0.2)  # the server's flight
        hw.send_tolerant(sock, b"\x14\x03\x03\x00\x01\x01" + b"\x16\x03\x03\x00\x20" +
                         secrets.token_bytes(32))
        expect_no_http(*hw.read_until_close(sock))


@case("tls", "handshake-then-fin-without-request")
def _(w):
    conn = hw.tls(w.server)
    socket.socket(fileno=conn.detach()).close()


@case("tls", "handshake-then-close-notify-without-request")
def _(w):
    conn = hw.tls(w.server)
    try:
        conn.unwrap()
    except (ssl.SSLError, OSError):
        pass
    conn.close()


@case("tls", "handshake-then-rst")
def _(w):
    hw.rst_close(hw.tls(w.server))


@case("tls", "half-a-request-then-rst")
def _(w):
    conn = hw.tls(w.server)
    conn.sendall(b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Len")
    time.sleep(0.05)
    hw.rst_close(conn)


@case("tls", "half-a-body-then-close-notify")
def _(w):
    conn = hw.tls(w.server)
    conn.sendall(b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                 b"application/jose+json\r\nContent-Length: 100\r\n\r\n{\"protected\":")
    try:
        conn.unwrap()
    except (ssl.SSLError, OSError):
        pass
    data, how = hw.read_until_close(conn, timeout=5)
    conn.close()
    # Nothing, or one complete 400 for the truncated message: never a partial answer.
    assert not data or hw.parse_responses(data)[0].status == 400, data[:300]


@case("tls", "plain-tcp-half-close-after-request-head")
def _(w):
    conn = hw.tls(w.server)
    conn.sendall(b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50\r\n\r\nab")
    raw = socket.socket(fileno=conn.detach())
    raw.shutdown(socket.SHUT_WR)  # a TCP FIN under TLS: stream truncated
    # The server sends close_notify and waits up to 5 s for ours before closing TCP.
    data, how = hw.read_until_close(raw, timeout=12)
    raw.close()
    assert how in ("closed", "reset"), how


def served_with_sni(w, sni, verify):
    context = hw.tls_context(verify=verify)
    with hw.tls(w.server, sni=sni, context=context) as conn:
        cert = conn.getpeercert(binary_form=not verify)
        conn.sendall(request_bytes(w, "GET", "/dir"))
        data, how = hw.read_until_close(conn)
    [response] = hw.parse_responses(data)
    assert response.status == 200 and "newAccount" in response.json(), response
    return cert


@case("tls", "wrong-sni-still-the-localhost-certificate")
def _(w):
    served_with_sni(w, "evil.example", verify=False)
    # The certificate is for localhost only: a verifying client refuses it for evil.example.
    with pytest.raises(ssl.SSLCertVerificationError):
        hw.tls(w.server, sni="evil.example").close()


@case("tls", "no-sni")
def _(w):
    served_with_sni(w, None, verify=False)


@case("tls", "sni-of-maximal-length")
def _(w):
    served_with_sni(w, ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61]), verify=False)


@case("tls", "sni-with-trailing-dot")
def _(w):
    served_with_sni(w, "localhost.", verify=False)


@case("tls", "tls-1.1-refused-readme-says-1.2-plus")
def _(w):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context = hw.tls_context(verify=False, minimum=ssl.TLSVersion.TLSv1,
                                 maximum=ssl.TLSVersion.TLSv1_1)
        try:
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        except ssl.SSLError:
            pass
    with pytest.raises((ssl.SSLError, ConnectionResetError)):
        hw.tls(w.server, context=context).close()


@case("tls", "tls-1.2-only-served")
def _(w):
    context = hw.tls_context(minimum=ssl.TLSVersion.TLSv1_2, maximum=ssl.TLSVersion.TLSv1_2)
    [response], _ = hw.exchange(w.server, request_bytes(w, "GET", "/dir"), context=context)
    assert response.status == 200


@case("tls", "tls-1.3-only-served")
def _(w):
    context = hw.tls_context(minimum=ssl.TLSVersion.TLSv1_3)
    [response], _ = hw.exchange(w.server, request_bytes(w, "GET", "/dir"), context=context)
    assert response.status == 200


@case("tls", "alpn-offering-only-h2-gets-http1.1")
def _(w):
    with hw.tls(w.server, context=hw.tls_context(alpn=["h2"])) as conn:
        assert conn.selected_alpn_protocol() in (None, "http/1.1")
        conn.sendall(request_bytes(w, "GET", "/dir"))
        [response] = hw.parse_responses(hw.read_until_close(conn)[0])
    assert response.status == 200


@case("tls", "alpn-with-unknown-protocol-names")
def _(w):
    context = hw.tls_context(alpn=["acme/9", "x" * 200])
    [response], _ = hw.exchange(w.server, request_bytes(w, "GET", "/dir"), context=context)
    assert response.status == 200


@case("tls", "http2-connection-preface-400")
def _(w):
    [response], how = hw.exchange(w.server, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" +
                                  b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
    hw.expect_problem(response, 400, "malformed")


# ===== 2. HTTP/1.x framing ====================================================================
def framing_400(w, raw):
    """Unparseable HTTP: one 400 malformed problem, then the connection is closed."""
    responses, how = hw.exchange(w.server, raw)
    assert len(responses) == 1, responses
    hw.expect_problem(responses[0], 400, "malformed")
    assert how in ("closed", "reset"), how


H = "Host: localhost"
for name, raw in {
    "http-0.9-request-line": b"GET /dir\r\n\r\n",
    "version-HTTP-1.2": b"GET /dir HTTP/1.2\r\nHost: a\r\n\r\n",
    "version-HTTP-2.0": b"GET /dir HTTP/2.0\r\nHost: a\r\n\r\n",
    "version-garbage": b"GET /dir HTTP/x.y\r\nHost: a\r\n\r\n",
    "protocol-not-HTTP": b"GET /dir FOO/1.1\r\nHost: a\r\n\r\n",
    "request-line-extra-token": b"GET /dir HTTP/1.1 extra\r\nHost: a\r\n\r\n",
    "empty-request-line": b"\r\n\r\n\r\n",
    "method-with-separator": b"G(T /dir HTTP/1.1\r\nHost: a\r\n\r\n",
    "space-in-target": b"GET /d ir HTTP/1.1\r\nHost: a\r\n\r\n",
    "tab-in-target": b"GET /d\tir HTTP/1.1\r\nHost: a\r\n\r\n",
    "nul-in-target": b"GET /dir\x00 HTTP/1.1\r\nHost: a\r\n\r\n",
    "nul-in-method": b"GE\x00T /dir HTTP/1.1\r\nHost: a\r\n\r\n",
    "nul-in-header-value": b"GET /dir HTTP/1.1\r\nHost: a\r\nX-A: a\x00b\r\n\r\n",
    "nul-in-header-name": b"GET /dir HTTP/1.1\r\nHost: a\r\nX\x00A: b\r\n\r\n",
    "control-char-in-header-value": b"GET /dir HTTP/1.1\r\nHost: a\r\nX-A: a\x01b\r\n\r\n",
    "header-line-without-colon": b"GET /dir HTTP/1.1\r\nHost: a\r\nXYZ\r\n\r\n",
    "space-in-header-name": b"GET /dir HTTP/1.1\r\nHost: a\r\nX Y: z\r\n\r\n",
    "space-before-colon": b"GET /dir HTTP/1.1\r\nHost : a\r\n\r\n",
    "bare-cr-line-ends": b"GET /dir HTTP/1.1\rHost: a\r\r",
    "bare-lf-line-ends": b"GET /dir HTTP/1.1\nHost: a\nConnection: close\n\n",
    "content-length-twice-differing":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
        b"\r\n123456",
    "content-length-and-chunked":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "content-length-negative": b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
    "content-length-hex": b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n",
    "content-length-plus-sign":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n12345",
    "content-length-overflows-64-bits":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    "chunk-size-not-hex":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
    "chunk-size-overflows-64-bits":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"ffffffffffffffffffff\r\nabc\r\n",
    "transfer-encoding-gzip-without-chunked":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Type: application/jose+json\r\n"
        b"Transfer-Encoding: gzip\r\n\r\n{}GET /dir HTTP/1.1\r\nHost: a\r\n\r\n",
}.items():
    add("http", name, framing_400, raw)


def unknown_coding_501(w, raw):
    """A transfer coding besides chunked (RFC 9112 §6.1): 501 malformed, then the connection is
    closed; the smuggled request after the body is never answered."""
    responses, how = hw.exchange(w.server, raw)
    assert len(responses) == 1, responses
    hw.expect_problem(responses[0], 501, "malformed", nonce=True)
    assert how in ("closed", "reset"), how


for name, raw in {
    "transfer-encoding-gzip-then-chunked":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Type: application/jose+json\r\n"
        b"Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\nGET /dir HTTP/1.1\r\n"
        b"Host: a\r\n\r\n",
    "transfer-encoding-two-fields-deflate-then-chunked":
        b"POST /sign-me-up HTTP/1.1\r\nHost: a\r\nContent-Type: application/jose+json\r\n"
        b"Transfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
}.items():
    add("http", name, unknown_coding_501, raw)


def missing_host_400(w, raw):
    responses, how = hw.exchange(w.server, raw)
    assert len(responses) == 1, responses
    hw.expect_problem(responses[0], 400, "malformed", nonce=raw.startswith(b"POST"))


# RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, with two, or with an invalid one (and
# every URL mockca serves is built from it).
for name, raw in {
    "host-missing": b"GET /dir HTTP/1.1\r\nConnection: close\r\n\r\n",
    "host-missing-http-1.0": b"GET /dir HTTP/1.0\r\n\r\n",
    "host-empty": b"GET /dir HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n",
    "host-twice": b"GET /dir HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n",
    "host-with-path-and-query": b"GET /dir HTTP/1.1\r\nHost: a/b?c\r\nConnection: close\r\n\r\n",
    "host-with-userinfo": b"GET /dir HTTP/1.1\r\nHost: evil@a\r\nConnection: close\r\n\r\n",
    "host-invalid-utf8": b"GET /dir HTTP/1.1\r\nHost: local\xffhost\r\nConnection: close\r\n\r\n",
    "host-missing-on-post":
        b"POST /sign-me-up HTTP/1.1\r\nContent-Type: application/jose+json\r\n"
        b"Content-Length: 2\r\nConnection: close\r\n\r\n{}",
}.items():
    add("http", name, missing_host_400, raw)


@case("http", "obs-fold-header-rejected-or-unfolded")
def _(w):
    # RFC 9112 §5.2: a server MUST reject obs-fold with 400 or replace it with spaces.
    [response], _ = hw.exchange(w.server, b"GET /dir HTTP/1.1\r\nHost: " + w.authority.encode() +
                                b"\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n")
    assert response.status in (200, 400), response
    if response.status == 400:
        hw.expect_problem(response, 400, "malformed")


@case("http", "invalid-utf8-in-user-agent-still-served")
def _(w):
    response = hw.one(w.server, request_bytes(w, "GET", "/dir", [b"User-Agent: \xff\xfe\xc0\xaf"]))
    assert response.status == 200 and "newNonce" in response.json(), response


@case("http", "invalid-utf8-in-content-type-415")
def _(w):
    body = jws_body(w, w.p.url("newAccount"), {"termsOfServiceAgreed": True})
    response = hw.one(w.server, request_bytes(w, "POST", w.path("newAccount"),
                                              [b"Content-Type: application/jose+json\xff"], body))
    hw.expect_problem(response, 415, "malformed", nonce=True)


@case("http", "invalid-utf8-in-path-404")
def _(w):
    response = hw.one(w.server, request_bytes(w, "GET", b"/dir\xff\xfe"))
    hw.expect_problem(response, 404, "malformed")


@case("http", "invalid-utf8-in-query-ignored")
def _(w):
    response = hw.one(w.server, b"GET /dir?x=\xff\xfe HTTP/1.1\r\nHost: " + w.authority.encode() +
                      b"\r\nConnection: close\r\n\r\n")
    assert response.status == 200, response


@case("http", "invalid-utf8-in-object-id-404")
def _(w):
    body = jws_body(w, w.base + "/my-order/x", account=w.alice)  # signed for another URL
    response = hw.one(w.server, b"POST /my-order/\xff\xfe HTTP/1.1\r\nHost: " +
                      w.authority.encode() + b"\r\nContent-Type: application/jose+json\r\n" +
                      f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    # No JWS "url" can name a target that is not UTF-8: 403 unauthorized (url mismatch) or 404.
    hw.expect_problem(response, response.status, ("malformed", "unauthorized"), nonce=True)
    assert (response.status, response.json()["type"].rsplit(":", 1)[1]) in (
        (403, "unauthorized"), (404, "malformed")), response


@case("http", "lowercase-method-is-another-method-405")
def _(w):
    response = hw.one(w.server, request_bytes(w, "get", "/dir"))
    hw.expect_problem(response, 405, "malformed")
    assert "GET" in response.header("allow")


@case("http", "200-char-method-405")
def _(w):
    response = hw.one(w.server, request_bytes(w, "M" * 200, "/dir"))
    hw.expect_problem(response, 405, "malformed")


@case("http", "absolute-form-target")
def _(w):
    # RFC 9112 §3.2.2: a server MUST accept the absolute form, and its authority replaces Host.
    response = hw.one(w.server, request_bytes(w, "GET", f"HTTPS://{w.authority}/dir",
                                              host="ignored.example"))
    assert response.status == 200, response
    assert response.json()["newNonce"].startswith(f"https://{w.authority}/"), response


@case("http", "absolute-form-target-with-userinfo")
def _(w):
    # The authority replaces Host, so it is checked as Host is: userinfo is not a host[:port].
    response = hw.one(w.server, request_bytes(w, "GET", f"https://user@{w.authority}/dir"))
    hw.expect_problem(response, 400, "malformed")


@case("http", "asterisk-form-options")
def _(w):
    response = hw.one(w.server, request_bytes(w, "OPTIONS", "*"))
    hw.expect_problem(response, 404, "malformed")


@case("http", "connect-authority-form")
def _(w):
    response = hw.one(w.server, request_bytes(w, "CONNECT", "localhost:443"))
    hw.expect_problem(response, 404, "malformed")


@case("http", "fragment-in-target")
def _(w):
    response = hw.one(w.server, request_bytes(w, "GET", "/dir#frag"))
    hw.expect_problem(response, 404, "malformed")


@case("http", "expect-100-continue-answered-after-body")
def _(w):
    body = jws_body(w, w.p.url("newAccount"), {"termsOfServiceAgreed": True})
    with hw.tls(w.server) as conn:
        conn.sendall(request_bytes(w, "POST", w.path("newAccount"),
                                   ["Content-Type: application/jose+json",
                                    "Expect: 100-continue"], content_length=False)
                     [:-2] + f"Content-Length: {len(body)}\r\n\r\n".encode())
        time.sleep(0.2)
        conn.sendall(body)
        data, how = hw.read_until_close(conn)
    responses = [r for r in hw.parse_responses(data) if r.status != 100]
    assert [r.status for r in responses] == [201], responses


@case("http", "chunked-body-decoded")
def _(w):
    body = jws_body(w, w.p.url("newAccount"), {"termsOfServiceAgreed": True})
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100])
                      for i in range(0, len(body), 100))
    response = hw.one(w.server, request_bytes(
        w, "POST", w.path("newAccount"),
        ["Content-Type: application/jose+json", "Transfer-Encoding: chunked"],
        chunks + b"0\r\nX-Trailer: t\r\n\r\n", content_length=False))
    assert response.status == 201, response


@case("http", "content-length-shorter-than-body")
def _(w):
    # The first 10 bytes are the body; the rest is read as the next request: not HTTP, so 400.
    body = jws_body(w, w.p.url("newAccount"), {"termsOfServiceAgreed": True})
    raw = (f"POST {w.path('newAccount')} HTTP/1.1\r\nHost: {w.authority}\r\n"
           f"Content-Type: application/jose+json\r\nContent-Length: 10\r\n\r\n").encode() + body
    responses, how = hw.exchange(w.server, raw)
    hw.expect_problem(responses[0], 400, "malformed", nonce=True)
    assert len(responses) <= 2, responses
    if len(responses) == 2:
        hw.expect_problem(responses[1], 400, "malformed")
    assert how in ("closed", "reset")


@case("http", "http-1.0-get-answered-1.0-and-closed")
def _(w):
    responses, how = hw.exchange(w.server, request_bytes(w, "GET", "/dir", version="HTTP/1.0",
                                                         close=False), timeout=5)
    assert [r.version for r in responses] == ["HTTP/1.0"] and responses[0].status == 200
    assert how in ("closed", "reset"), how  # no keep-alive asked for: closed at once


@case("http", "http-1.0-keep-alive-two-requests")
def _(w):
    one_request = request_bytes(w, "GET", "/dir", ["Connection: keep-alive"], version="HTTP/1.0",
                                close=False)
    with hw.tls(w.server) as conn:
        conn.sendall(one_request)
        conn.sendall(request_bytes(w, "HEAD", "/nonce-plz", version="HTTP/1.0", close=False))
        data, how = hw.read_until_close(conn, timeout=5)
    responses = hw.parse_responses(data, head_requests=(1,))
    assert [r.status for r in responses] == [200, 200], responses
    assert responses[1].header("replay-nonce")


@case("http", "http-1.0-post-garbage-problem")
def _(w):
    responses, _ = hw.exchange(w.server, request_bytes(
        w, "POST", w.path("newAccount"), ["Content-Type: application/jose+json"], b"nonsense",
        version="HTTP/1.0", close=False))
    assert responses[0].version == "HTTP/1.0"
    hw.expect_problem(responses[0], 400, "malformed", nonce=True)


@case("http", "connection-close-honoured")
def _(w):
    responses, how = hw.exchange(w.server, request_bytes(w, "GET", "/dir"), timeout=5)
    assert len(responses) == 1 and how in ("closed", "reset"), (responses, how)


def pipelined(w, requests_, statuses, head=(), closed=None):
    with hw.tls(w.server) as conn:
        conn.sendall(b"".join(requests_))
        data, how = hw.read_until_close(conn, timeout=5)
    responses = hw.parse_responses(data, head_requests=head)
    assert [r.status for r in responses] == statuses, responses
    if closed is not None:
        assert (how in ("closed", "reset")) == closed, how
    return responses


@case("http", "pipelined-three-gets-in-order")
def _(w):
    responses = pipelined(w, [request_bytes(w, "GET", "/dir", close=False),
                              request_bytes(w, "GET", "/nonce-plz", close=False),
                              request_bytes(w, "GET", "/dir")], [200, 204, 200])
    assert responses[1].header("replay-nonce")


@case("http", "pipelined-fifty-requests")
def _(w):
    reqs = [request_bytes(w, "HEAD", "/nonce-plz", close=False) for _ in range(49)]
    pipelined(w, reqs + [request_bytes(w, "GET", "/dir")], [200] * 50, head=range(49))


@case("http", "pipelined-404-then-get-both-answered")
def _(w):
    pipelined(w, [request_bytes(w, "GET", "/nope", close=False),
                  request_bytes(w, "GET", "/dir")], [404, 200])


@case("http", "pipelined-acme-400-then-get-both-answered")
def _(w):
    pipelined(w, [request_bytes(w, "POST", w.path("newOrder"),
                                ["Content-Type: application/jose+json"], b"{}", close=False),
                  request_bytes(w, "GET", "/dir")], [400, 200])


@case("http", "pipelined-signed-posts-use-their-nonces")
def _(w):
    url = w.alice.url
    path = "/" + url.split("/", 3)[3]
    first = jws_body(w, url, account=w.alice)
    second = jws_body(w, url, account=w.alice)
    responses = pipelined(w, [
        request_bytes(w, "POST", path, ["Content-Type: application/jose+json"], first,
                      close=False),
        request_bytes(w, "POST", path, ["Content-Type: application/jose+json"], second)],
        [200, 200])
    assert all(r.header("replay-nonce") for r in responses)


@case("http", "pipelined-same-nonce-twice-second-badnonce")
def _(w):
    url = w.alice.url
    path = "/" + url.split("/", 3)[3]
    body = jws_body(w, url, account=w.alice)
    responses = pipelined(w, [
        request_bytes(w, "POST", path, ["Content-Type: application/jose+json"], body,
                      close=False),
        request_bytes(w, "POST", path, ["Content-Type: application/jose+json"], body)],
        [200, 400])
    hw.expect_problem(responses[1], 400, "badNonce", nonce=True)


@case("http", "pipelined-after-431-nothing-more")
def _(w):
    pipelined(w, [request_bytes(w, "GET", "/dir", ["X-Big: " + "a" * (HEAD_LIMIT + 1024)],
                                close=False),
                  request_bytes(w, "GET", "/dir")], [431], closed=True)


@case("http", "pipelined-after-413-nothing-more")
def _(w):
    pipelined(w, [f"POST /sign-me-up HTTP/1.1\r\nHost: {w.authority}\r\nContent-Length: "
                  f"{BODY_LIMIT + 1}\r\n\r\n".encode(),
                  request_bytes(w, "GET", "/dir")], [413], closed=True)


@case("http", "pipelined-after-malformed-http-nothing-more")
def _(w):
    pipelined(w, [b"GET /dir HTTP/9.9\r\nHost: a\r\n\r\n", request_bytes(w, "GET", "/dir")],
              [400], closed=True)


# ===== 3. README "Limits": head, headers, body ==================================================
def head_of_size(w, size, name="X-Fill"):
    """A GET /dir request head of exactly size bytes (one filler header)."""
    base = request_bytes(w, "GET", "/dir")[:-2] + name.encode() + b": "
    filler = size - len(base) - 4
    raw = base + b"a" * filler + b"\r\n\r\n"
    assert len(raw) == size
    return raw


@case("limits", "head-of-exactly-8KiB-served")
def _(w):
    assert hw.one(w.server, head_of_size(w, HEAD_LIMIT)).status == 200


@case("limits", "head-of-9KiB-431")
def _(w):
    responses, how = hw.exchange(w.server, head_of_size(w, HEAD_LIMIT + 1024))
    hw.expect_problem(responses[0], 431, "malformed")
    assert len(responses) == 1 and how in ("closed", "reset")


@case("limits", "head-of-1MiB-431-while-still-sending")
def _(w):
    responses, how = hw.exchange(w.server, head_of_size(w, 1 << 20))
    hw.expect_problem(responses[0], 431, "malformed")


@case("limits", "target-of-9KiB-431")
def _(w):
    response = hw.one(w.server, request_bytes(w, "GET", "/dir?" + "q" * (HEAD_LIMIT + 1024)))
    hw.expect_problem(response, 431, "malformed")


@case("limits", "head-without-end-over-limit-431")
def _(w):
    # Header lines that never end with a blank line: refused once past the limit, not buffered.
    raw = b"GET /dir HTTP/1.1\r\nHost: a\r\n" + b"X-A: b\r\n" * 4000
    responses, how = hw.exchange(w.server, raw)
    hw.expect_problem(responses[0], 431, "malformed")


@case("limits", "many-headers-within-8KiB-served")
def _(w):
    headers = [f"X-H{i}: v" for i in range(700)]  # 7.6 KB of head
    assert hw.one(w.server, request_bytes(w, "GET", "/dir", headers)).status == 200


@case("limits", "too-many-headers-431")
def _(w):
    headers = [f"X-H{i}: v" for i in range(3000)]  # about 32 KB of head
    responses, _ = hw.exchange(w.server, request_bytes(w, "GET", "/dir", headers))
    hw.expect_problem(responses[0], 431, "malformed")


@case("limits", "same-header-repeated-5000-times-431")
def _(w):
    responses, _ = hw.exchange(w.server, request_bytes(w, "GET", "/dir", ["Accept: */*"] * 5000))
    hw.expect_problem(responses[0], 431, "malformed")


def post_body(w, body, extra_headers=(), content_length=True):
    return request_bytes(w, "POST", w.path("newAccount"),
                         ["Content-Type: application/jose+json", *extra_headers], body,
                         content_length=content_length)


@case("limits", "body-of-exactly-64KiB-reaches-acme")
def _(w):
    jws = w.p.jws(Key(), w.p.url("newAccount"), {"termsOfServiceAgreed": True})
    body = json.dumps(jws).encode()
    body = body[:-1] + b" " * (BODY_LIMIT - len(body)) + b"}"
    assert len(body) == BODY_LIMIT
    response = hw.one(w.server, post_body(w, body))
    assert response.status == 201, response  # whitespace is JSON: a whole, valid request


@case("limits", "content-length-64KiB-plus-1-413-before-the-body")
def _(w):
    responses, how = hw.exchange(w.server, f"POST {w.path('newAccount')} HTTP/1.1\r\nHost: "
                                 f"{w.authority}\r\nContent-Type: application/jose+json\r\n"
                                 f"Content-Length: {BODY_LIMIT + 1}\r\n\r\n".encode())
    hw.expect_problem(responses[0], 413, "malformed", nonce=True)
    assert how in ("closed", "reset")


@case("limits", "content-length-1GiB-413")
def _(w):
    responses, _ = hw.exchange(w.server, f"POST {w.path('newAccount')} HTTP/1.1\r\nHost: "
                               f"{w.authority}\r\nContent-Length: {1 << 30}\r\n\r\n".encode())
    hw.expect_problem(responses[0], 413, "malformed")


@case("limits", "body-of-1MiB-sent-413")
def _(w):
    responses, _ = hw.exchange(w.server, post_body(w, b"{" + b" " * (1 << 20) + b"}"))
    hw.expect_problem(responses[0], 413, "malformed")


@case("limits", "chunked-total-over-64KiB-413")
def _(w):
    chunk = b"8000\r\n" + b"a" * 0x8000 + b"\r\n"
    responses, _ = hw.exchange(w.server, post_body(w, chunk * 3 + b"0\r\n\r\n",
                                                   ["Transfer-Encoding: chunked"],
                                                   content_length=False))
    hw.expect_problem(responses[0], 413, "malformed")


@case("limits", "one-chunk-declared-over-64KiB-413")
def _(w):
    responses, _ = hw.exchange(w.server, post_body(w, b"10001\r\nabc",
                                                   ["Transfer-Encoding: chunked"],
                                                   content_length=False))
    hw.expect_problem(responses[0], 413, "malformed")


@case("limits", "chunk-extension-of-1MiB-refused")
def _(w):
    # A chunk-size line is no header and no body: without a bound of its own, it would be
    # buffered whole (the flood the buffer limit stops).
    raw = post_body(w, b"3;ext=" + b"e" * (1 << 20) + b"\r\nabc\r\n0\r\n\r\n",
                    ["Transfer-Encoding: chunked"], content_length=False)
    responses, how = hw.exchange(w.server, raw)
    assert len(responses) == 1 and responses[0].status in (400, 413), responses
    hw.expect_problem(responses[0], responses[0].status, "malformed")


@case("limits", "chunked-trailer-of-1MiB-refused")
def _(w):
    raw = post_body(w, b"2\r\n{}\r\n0\r\nX-T: " + b"t" * (1 << 20) + b"\r\n\r\n",
                    ["Transfer-Encoding: chunked"], content_length=False)
    responses, how = hw.exchange(w.server, raw)
    assert len(responses) == 1 and responses[0].status in (400, 413, 431), responses
    hw.expect_problem(responses[0], responses[0].status, "malformed")


# ===== 4. methods and Content-Type ==============================================================
def wrong_method(w, method, where, allowed):
    target = where(w)
    if target.startswith("https://"):
        target = "/" + target.split("/", 3)[3]
    response = hw.one(w.server, request_bytes(w, method, target), head_requests=(0,)
                      if method == "HEAD" else ())
    assert response.status == 405, response
    if method != "HEAD":
        hw.expect_problem(response, 405, "malformed")
    allow = {m.strip() for m in (response.header("allow") or "").split(",")}
    assert allowed <= allow, response


ENDPOINTS = {
    "directory": (lambda w: "/dir", {"GET"}),
    "newNonce": (lambda w: "/nonce-plz", {"GET"}),
    "newAccount": (lambda w: w.path("newAccount"), {"POST"}),
    "newOrder": (lambda w: w.path("newOrder"), {"POST"}),
    "revokeCert": (lambda w: w.path("revokeCert"), {"POST"}),
    "keyChange": (lambda w: w.path("keyChange"), {"POST"}),
    "account": (lambda w: w.alice.url, {"POST"}),
    "order": (lambda w: w.pending["url"], {"POST"}),
    "authz": (lambda w: w.pending["authz_url"], {"POST"}),
    "challenge": (lambda w: w.pending["challenge"]["url"], {"POST"}),
    "finalize": (lambda w: w.pending["finalize"], {"POST"}),
    "orders-list": (lambda w: w.alice.body["orders"], {"POST"}),
}
for method, endpoints in {
    "PUT": ("directory", "newAccount", "authz", "finalize"),
    "DELETE": ("newNonce", "account", "order", "challenge"),
    "PATCH": ("directory", "account", "orders-list"),
    "TRACE": ("directory", "newOrder"),
    "POST": ("directory",),
    "HEAD": ("newAccount", "revokeCert"),
    "GET": ("keyChange", "finalize", "challenge"),
    "BREW": ("newNonce", "order"),
}.items():
    for endpoint in endpoints:
        add("method", f"{method}-{endpoint}-405", wrong_method, method, *ENDPOINTS[endpoint])


@case("method", "OPTIONS-preflight-204-not-405")
def _(w):
    response = hw.one(w.server, request_bytes(w, "OPTIONS", w.path("newOrder"),
                                              ["Origin: https://evil.example"]))
    assert response.status == 204, response
    assert "POST" in response.header("access-control-allow-methods")


def wrong_content_type(w, value):
    body = jws_body(w, w.p.url("newAccount"), {"termsOfServiceAgreed": True})
    headers = [] if value is None else [b"Content-Type: " + value]
    response = hw.one(w.server, request_bytes(w, "POST", w.path("newAccount"), headers, body))
    hw.expect_problem(response, 415, "malformed", nonce=True)


for name, value in {
    "none": None,
    "empty": b"",
    "text-plain": b"text/plain",
    "application-json": b"application/json",
    "application-jose-compact": b"application/jose",
    "jose-json-with-suffix": b"application/jose+jsonx",
    "form-urlencoded": b"application/x-www-form-urlencoded",
    "multipart": b"multipart/form-data; boundary=x",
    "list-of-two-types": b"application/jose+json, text/plain",
    "wildcard": b"*/*",
    "only-parameters": b"; charset=utf-8",
    "4KiB-value": b"application/" + b"x" * 4096,
}.items():
    add("content-type", name, wrong_content_type, value)


# ===== 5. JSON: depth, size, UTF-8, NUL, duplicate members =====================================
def nested(depth, open_="[", close="]"):
    return open_ * depth + close * depth


def jws_raw_post(w, url, body):
    return post(w, url, body)


@case("json", "body-nested-30000-arrays")
def _(w):
    problem(jws_raw_post(w, w.p.url("newAccount"), nested(30000)), 400, "malformed")


@case("json", "body-nested-10000-objects")
def _(w):
    problem(jws_raw_post(w, w.p.url("newAccount"), '{"a":' * 10000 + "1" + "}" * 10000), 400,
            "malformed")


@case("json", "body-jws-member-nested-20000")
def _(w):
    body = json.dumps(w.p.jws(Key(), w.p.url("newAccount"), {"termsOfServiceAgreed": True}))
    response = jws_raw_post(w, w.p.url("newAccount"), body[:-1] + ',"x":' + nested(20000) + "}")
    # RFC 7515 §7.2.1: members not understood are ignored (201); refusing them is strict (400).
    if response.status_code != 201:
        problem(response, 400, "malformed")


@case("json", "payload-nested-20000-arrays")
def _(w):
    problem(w.p.signed(w.p.url("newAccount"), Key(), nested(20000)), 400, "malformed")


# README "Limits": outside JSON nests at most 64 arrays and objects deep, even in members that would
# be ignored (a deeper tree would cost a recursive copy on a server thread's stack).
@case("json", "payload-unknown-member-nested-20000-refused")
def _(w):
    payload = '{"termsOfServiceAgreed":true,"x":' + nested(20000) + "}"
    found = problem(w.p.signed(w.p.url("newAccount"), Key(), payload), 400, "malformed")
    assert "deeper than 64 levels" in found["detail"], found


@case("json", "payload-unknown-member-nested-to-the-limit-ignored")
def _(w):
    payload = '{"termsOfServiceAgreed":true,"x":' + nested(63) + "}"  # 64 levels
    response = w.p.signed(w.p.url("newAccount"), Key(), payload)
    assert response.status_code == 201, describe(response)


@case("json", "payload-unknown-member-nested-one-past-the-limit")
def _(w):
    payload = '{"termsOfServiceAgreed":true,"x":' + nested(64) + "}"  # 65 levels
    found = problem(w.p.signed(w.p.url("newAccount"), Key(), payload), 400, "malformed")
    assert found["detail"] == "JWS payload nests arrays and objects deeper than 64 levels", found


@case("json", "protected-header-member-nested-10000")
def _(w):
    header = {"alg": "ES256", "nonce": w.p.nonce(), "url": w.p.url("newAccount")}
    key = Key()
    header["jwk"] = key.jwk
    text = json.dumps(header)[:-1] + ',"x":' + nested(10000) + "}"
    response = post(w, w.p.url("newAccount"), raw_jws(w, key, text,
                                                      '{"termsOfServiceAgreed":true}'))
    # An unknown header member may be ignored (201) or refused (400 malformed).
    if response.status_code != 201:
        problem(response, 400, "malformed")


@case("json", "identifiers-nested-instead-of-objects")
def _(w):
    payload = '{"identifiers":' + nested(10000) + "}"
    problem(w.p.signed(w.p.url("newOrder"), None, payload, account=w.alice), 400, "malformed")


@case("json", "jwk-nested-5000")
def _(w):
    key = Key()
    text = (f'{{"alg":"ES256","nonce":"{w.p.nonce()}","url":"{w.p.url("newAccount")}",'
            f'"jwk":' + '{"a":' * 5000 + "1" + "}" * 5000 + "}")
    problem(post(w, w.p.url("newAccount"), raw_jws(w, key, text.encode(),
                                                   b'{"termsOfServiceAgreed":true}')),
            400, ("malformed", "badPublicKey"))


@case("json", "payload-with-2000-members-ignored")
def _(w):
    payload = {f"member{i}": i for i in range(2000)}
    payload["termsOfServiceAgreed"] = True
    assert w.p.signed(w.p.url("newAccount"), Key(), payload).status_code == 201


@case("json", "payload-with-30000-element-array-ignored")
def _(w):
    payload = {"termsOfServiceAgreed": True, "x": [0] * 15000}
    assert w.p.signed(w.p.url("newAccount"), Key(), payload).status_code == 201


@case("json", "contact-of-40KiB")
def _(w):
    contact = "mailto:" + "a" * 40000 + "@x.example"
    response = w.p.signed(w.p.url("newAccount"), Key(), {"termsOfServiceAgreed": True,
                                                         "contact": [contact]})
    # RFC 5321 §4.5.3.1 caps a local part at 64 octets, but RFC 8555 sets no length: mockca
    # takes it (reported) and must then echo it whole; refusing it is invalidContact.
    if response.status_code == 201:
        assert response.json()["contact"] == [contact]
    else:
        problem(response, 400, "invalidContact")


@case("json", "identifier-of-40KiB")
def _(w):
    payload = {"identifiers": [{"type": "dns", "value": "a" * 40000 + ".example"}]}
    problem(w.p.as_account(w.alice, w.p.url("newOrder"), payload), 400,
            ("rejectedIdentifier", "malformed"))


@case("json", "nonce-of-40KiB")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, nonce="A" * 40000), 400,
            ("badNonce", "malformed"))


@case("json", "kid-of-40KiB")
def _(w):
    problem(w.p.signed(w.p.url("newOrder"), w.alice.key, {"identifiers": []},
                       kid=w.alice.url + "x" * 40000), 400, "accountDoesNotExist")


@case("json", "url-of-40KiB")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, extra={"url": w.alice.url + "x" * 40000}),
            403, "unauthorized")


@case("json", "alg-of-30KiB")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, alg="E" * 30000), 400, "badSignatureAlgorithm")


@case("json", "1000-contacts")
def _(w):
    payload = {"termsOfServiceAgreed": True,
               "contact": [f"mailto:c{i}@hostile.example" for i in range(1000)]}
    response = w.p.signed(w.p.url("newAccount"), Key(), payload)
    # No documented cap on contacts: created (201) or refused with a contact problem.
    if response.status_code != 201:
        problem(response, 400, ("invalidContact", "malformed", "rejectedIdentifier"))


# Invalid UTF-8 and broken escapes in each JSON layer: never valid JSON, so malformed.
def bad_bytes_in_body(w, body):
    problem(post(w, w.p.url("newAccount"), body), 400, "malformed")


def bad_bytes_in_protected(w, text):
    key = Key()
    problem(post(w, w.p.url("newAccount"), raw_jws(w, key, text,
                                                   b'{"termsOfServiceAgreed":true}')),
            400, "malformed")


def bad_bytes_in_payload(w, text):
    key = Key()
    header = json.dumps({"alg": key.alg, "jwk": key.jwk, "nonce": w.p.nonce(),
                         "url": w.p.url("newAccount")}).encode()
    problem(post(w, w.p.url("newAccount"), raw_jws(w, key, header, text)), 400, "malformed")


for name, body in {
    "invalid-utf8-in-member-value": b'{"protected":"\xff\xfe","payload":"","signature":"AA"}',
    "invalid-utf8-in-member-name": b'{"prot\xc3ected":"e30","payload":"","signature":"AA"}',
    "overlong-utf8-slash": b'{"protected":"\xc0\xaf","payload":"","signature":"AA"}',
    "utf8-encoded-surrogate": b'{"protected":"\xed\xa0\x80","payload":"","signature":"AA"}',
    "lone-surrogate-escape": b'{"protected":"\\ud800","payload":"","signature":"AA"}',
    "raw-nul-between-members": b'{"protected":"e30",\x00"payload":"","signature":"AA"}',
    "raw-nul-inside-string": b'{"protected":"e3\x000","payload":"","signature":"AA"}',
    "nul-escape-in-base64url": b'{"protected":"e3\\u00000","payload":"","signature":"AA"}',
    "utf16-body": '{"protected":"e30","payload":"","signature":"AA"}'.encode("utf-16"),
    "truncated-json": b'{"protected":"e30","payload":"","signa',
    "trailing-garbage-after-json": b'{"protected":"e30","payload":"","signature":"AA"}xyz',
    "two-json-documents": b'{"protected":"e30","payload":"","signature":"AA"}{}',
}.items():
    add("utf8-nul", f"body-{name}", bad_bytes_in_body, body)

for name, text in {
    "invalid-utf8": b'{"alg":"ES256","nonce":"\xff","url":"x"}',
    "overlong-utf8": b'{"alg":"ES\xc0\xb2\xc0\xb56","nonce":"x","url":"x"}',
    "lone-surrogate-escape": b'{"alg":"ES256","nonce":"\\udc00","url":"x"}',
    "raw-nul": b'{"alg":"ES256",\x00"nonce":"x","url":"x"}',
    "latin1-text": '{"alg":"ES256","nonce":"caf\u00e9","url":"x"}'.encode("latin-1"),
}.items():
    add("utf8-nul", f"protected-{name}", bad_bytes_in_protected, text)

for name, text in {
    "invalid-utf8": b'{"termsOfServiceAgreed":true,"contact":["mailto:\xff@x.example"]}',
    "overlong-utf8": b'{"termsOfServiceAgreed":true,"x":"\xe0\x80\xaf"}',
    "utf8-encoded-surrogate": b'{"termsOfServiceAgreed":true,"x":"\xed\xbf\xbf"}',
    "lone-surrogate-escape": b'{"termsOfServiceAgreed":true,"x":"\\ud83d"}',
    "raw-nul": b'{"termsOfServiceAgreed":true\x00}',
    "truncated-utf8-sequence": b'{"termsOfServiceAgreed":true,"x":"\xe2\x82"}',
}.items():
    add("utf8-nul", f"payload-{name}", bad_bytes_in_payload, text)


# NUL escapes inside otherwise valid JSON strings: each value is then simply wrong.
@case("utf8-nul", "nul-escape-in-contact")
def _(w):
    payload = b'{"termsOfServiceAgreed":true,"contact":["mailto:a\\u0000b@x.example"]}'
    problem(w.p.signed(w.p.url("newAccount"), Key(), payload), 400,
            ("invalidContact", "unsupportedContact"))


@case("utf8-nul", "nul-escape-in-identifier")
def _(w):
    payload = b'{"identifiers":[{"type":"dns","value":"a\\u0000.example"}]}'
    problem(w.p.as_account(w.alice, w.p.url("newOrder"), payload), 400,
            ("rejectedIdentifier", "malformed"))


@case("utf8-nul", "nul-escape-in-identifier-type")
def _(w):
    payload = b'{"identifiers":[{"type":"dns\\u0000","value":"a.example"}]}'
    problem(w.p.as_account(w.alice, w.p.url("newOrder"), payload), 400,
            ("unsupportedIdentifier", "rejectedIdentifier", "malformed"))


@case("utf8-nul", "nul-escape-in-nonce")
def _(w):
    nonce = w.p.nonce()
    problem(w.p.as_account(w.alice, w.alice.url, nonce=nonce[:4] + "\x00" + nonce[4:]), 400,
            ("badNonce", "malformed"))


@case("utf8-nul", "nul-escape-after-valid-nonce")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, nonce=w.p.nonce() + "\x00"), 400,
            ("badNonce", "malformed"))


@case("utf8-nul", "nul-escape-in-kid")
def _(w):
    problem(w.p.signed(w.alice.url, w.alice.key, None, kid=w.alice.url + "\x00"), 400,
            "accountDoesNotExist")


@case("utf8-nul", "nul-escape-in-url")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, extra={"url": w.alice.url + "\x00"}), 403,
            "unauthorized")


@case("utf8-nul", "nul-escape-in-alg")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, alg="ES256\x00"), 400, "badSignatureAlgorithm")


@case("utf8-nul", "nul-escape-in-member-name")
def _(w):
    # "termsOfServiceAgreed\u0000" is another member: the real one is absent.
    problem(w.p.signed(w.p.url("newAccount"), Key(),
                       b'{"termsOfServiceAgreed\\u0000":true}'), 403, "userActionRequired")


@case("utf8-nul", "nul-in-csr")
def _(w):
    csr = b64u(make_csr(Key(), w.ready["names"]))
    problem(w.p.as_account(w.alice, w.ready["finalize"], {"csr": csr[:20] + "\x00" + csr[20:]}),
            400, ("malformed", "badCSR"))


@case("utf8-nul", "bom-before-body")
def _(w):
    body = b"\xef\xbb\xbf" + jws_body(w, w.p.url("newAccount"), {"termsOfServiceAgreed": True})
    response = post(w, w.p.url("newAccount"), body)
    # RFC 8259 §8.1: a parser MAY ignore a BOM rather than treat it as an error.
    if response.status_code != 201:
        problem(response, 400, "malformed")


# Duplicate members: RFC 7515 §5.2 / RFC 8259 §4 allow rejecting them or taking the last one.
def dup_protected(w, account, members, expect_if_last_wins, url=None):
    """POSTs a POST-as-GET of account's URL with a protected header made of members (a list of
    (name, JSON value text), duplicates allowed), signed by account's key."""
    url = url or account.url
    text = "{" + ",".join(f'"{name}":{value}' for name, value in members) + "}"
    response = post(w, url, raw_jws(w, account.key, text.encode(), b""))
    if response.status_code == 400 and problem_type_of(response) == "malformed":
        problem(response, 400, "malformed")  # rejected: fine
        return
    expect_if_last_wins(response)


def problem_type_of(response):
    try:
        return response.json().get("type", "").rsplit(":", 1)[-1]
    except ValueError:
        return None


def expecting(status, types=None):
    def check(response):
        if types is None:
            assert response.status_code == status, describe(response)
        else:
            problem(response, status, types)
    return check


def std_members(w, account, url=None, **override):
    members = {"alg": json.dumps(account.key.alg), "kid": json.dumps(account.url),
               "nonce": json.dumps(w.p.nonce()), "url": json.dumps(url or account.url)}
    members.update(override)
    return list(members.items())


@case("duplicate", "protected-nonce-good-then-bogus")
def _(w):
    members = std_members(w, w.alice) + [("nonce", '"bogusnonce"')]
    dup_protected(w, w.alice, members, expecting(400, "badNonce"))


@case("duplicate", "protected-nonce-bogus-then-good")
def _(w):
    members = [("nonce", '"bogusnonce"')] + std_members(w, w.alice)
    dup_protected(w, w.alice, members, expecting(200))


@case("duplicate", "protected-alg-good-then-none")
def _(w):
    members = std_members(w, w.alice) + [("alg", '"none"')]
    dup_protected(w, w.alice, members, expecting(400, "badSignatureAlgorithm"))


@case("duplicate", "protected-url-good-then-evil")
def _(w):
    members = std_members(w, w.alice) + [("url", '"https://evil.example/my-account/1"')]
    dup_protected(w, w.alice, members, expecting(403, "unauthorized"))


@case("duplicate", "protected-url-evil-then-good")
def _(w):
    members = [("url", '"https://evil.example/"')] + std_members(w, w.alice)
    dup_protected(w, w.alice, members, expecting(200))


@case("duplicate", "protected-kid-bob-then-alice")
def _(w):
    members = [("kid", json.dumps(w.bob.url))] + std_members(w, w.alice)
    dup_protected(w, w.alice, members, expecting(200))


@case("duplicate", "protected-kid-alice-then-bob-signed-by-alice")
def _(w):
    # The last kid is bob's, whose key did not sign: never bob's account.
    members = std_members(w, w.alice, url=w.bob.url) + [("kid", json.dumps(w.bob.url))]
    dup_protected(w, w.alice, members, expecting(400, "malformed"), url=w.bob.url)


@case("duplicate", "protected-jwk-and-kid-last-kid")
def _(w):
    members = [("jwk", json.dumps(Key().jwk))] + std_members(w, w.alice)
    response = post(w, w.alice.url, raw_jws(w, w.alice.key, (
        "{" + ",".join(f'"{n}":{v}' for n, v in members) + "}").encode(), b""))
    problem(response, 400, "malformed")  # jwk and kid both present, whichever is last


def dup_outer(w, members_text, expect):
    response = post(w, w.alice.url, "{" + members_text + "}")
    expect(response)


@case("duplicate", "outer-payload-signed-then-other")
def _(w):
    jws = w.p.jws(w.alice.key, w.alice.url, None, kid=w.alice.url)
    text = ",".join([f'"protected":"{jws["protected"]}"', '"payload":""',
                     f'"signature":"{jws["signature"]}"',
                     f'"payload":"{b64u(json.dumps({"contact": []}))}"'])
    # Last wins: the signature does not cover that payload. Rejecting is fine too.
    dup_outer(w, text, expecting(400, "malformed"))


@case("duplicate", "outer-signature-good-then-bad")
def _(w):
    jws = w.p.jws(w.alice.key, w.alice.url, None, kid=w.alice.url)
    text = ",".join([f'"protected":"{jws["protected"]}"', '"payload":""',
                     f'"signature":"{jws["signature"]}"', '"signature":"AAAA"'])
    dup_outer(w, text, expecting(400, "malformed"))


@case("duplicate", "outer-protected-twice")
def _(w):
    jws = w.p.jws(w.alice.key, w.alice.url, None, kid=w.alice.url)
    other = b64u(json.dumps({"alg": "none", "url": w.alice.url}))
    text = ",".join([f'"protected":"{other}"', f'"protected":"{jws["protected"]}"',
                     '"payload":""', f'"signature":"{jws["signature"]}"'])
    dup_outer(w, text, lambda r: r.status_code == 200 or problem(r, 400, "malformed"))


@case("duplicate", "payload-tos-false-then-true")
def _(w):
    response = w.p.signed(w.p.url("newAccount"), Key(),
                          '{"termsOfServiceAgreed":false,"termsOfServiceAgreed":true}')
    if response.status_code != 201:
        problem(response, 400, "malformed")


@case("duplicate", "payload-tos-true-then-false")
def _(w):
    response = w.p.signed(w.p.url("newAccount"), Key(),
                          '{"termsOfServiceAgreed":true,"termsOfServiceAgreed":false}')
    problem(response, response.status_code, ("userActionRequired", "malformed"))
    assert response.status_code in (400, 403)


@case("duplicate", "payload-status-deactivated-then-valid")
def _(w):
    account = w.p.new_account()
    response = w.p.as_account(account, account.url,
                              '{"status":"deactivated","status":"valid"}')
    if response.status_code == 200:
        assert response.json()["status"] == "valid", describe(response)  # the last one
        assert w.p.fetch(account, account.url).json()["status"] == "valid"
    else:
        problem(response, 400, "malformed")


@case("duplicate", "payload-identifiers-twice")
def _(w):
    first = json.dumps([{"type": "dns", "value": unique("first")}])
    last_name = unique("last")
    last = json.dumps([{"type": "dns", "value": last_name}])
    response = w.p.as_account(w.alice, w.p.url("newOrder"),
                              f'{{"identifiers":{first},"identifiers":{last}}}')
    if response.status_code == 201:
        assert [i["value"] for i in response.json()["identifiers"]] == [last_name]
    else:
        problem(response, 400, "malformed")


@case("duplicate", "payload-csr-twice")
def _(w):
    wrong = b64u(make_csr(Key(), [unique("other")]))
    right = b64u(make_csr(Key(), [w.pending["identifiers"][0]["value"]]))
    response = w.p.as_account(w.alice, w.pending["finalize"],
                              f'{{"csr":"{wrong}","csr":"{right}"}}')
    # The order is pending: whichever CSR counts, finalize is refused.
    problem(response, response.status_code, ("orderNotReady", "malformed", "badCSR"))


# ===== 6. nonces ===============================================================================
@case("nonce", "replayed-on-the-same-url")
def _(w):
    nonce = w.p.nonce()
    assert w.p.as_account(w.alice, w.alice.url, nonce=nonce).status_code == 200
    problem(w.p.as_account(w.alice, w.alice.url, nonce=nonce), 400, "badNonce")


@case("nonce", "replayed-on-another-endpoint")
def _(w):
    nonce = w.p.nonce()
    assert w.p.as_account(w.alice, w.alice.url, nonce=nonce).status_code == 200
    problem(w.p.as_account(w.alice, w.pending["url"], nonce=nonce), 400, "badNonce")


@case("nonce", "replayed-by-another-account")
def _(w):
    nonce = w.p.nonce()
    assert w.p.as_account(w.alice, w.alice.url, nonce=nonce).status_code == 200
    problem(w.p.as_account(w.bob, w.bob.url, nonce=nonce), 400, "badNonce")


@case("nonce", "replayed-on-newAccount-with-jwk")
def _(w):
    nonce = w.p.nonce()
    assert w.p.as_account(w.alice, w.alice.url, nonce=nonce).status_code == 200
    problem(w.p.signed(w.p.url("newAccount"), Key(), {"termsOfServiceAgreed": True},
                       nonce=nonce), 400, "badNonce")


@case("nonce", "replayed-in-parallel-exactly-one-wins")
def _(w):
    nonce = w.p.nonce()
    bodies = [w.p.jws(w.alice.key, w.alice.url, None, kid=w.alice.url, nonce=nonce)
              for _ in range(8)]
    results = []

    def send(body):
        session = requests.Session()
        session.trust_env = False
        try:
            results.append(session.post(w.alice.url, json=body, verify=str(MOCKCA_TLS_ROOT),
                                        headers={"Content-Type": JOSE}, timeout=15))
        finally:
            session.close()
    threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(r.status_code for r in results) == [200] + [400] * 7, \
        [describe(r) for r in results]
    for response in results:
        if response.status_code == 400:
            problem(response, 400, "badNonce")


@case("nonce", "from-another-mockca-run")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, nonce=w.foreign_nonces[0]), 400, "badNonce")


@case("nonce", "from-another-run-on-newAccount")
def _(w):
    problem(w.p.signed(w.p.url("newAccount"), Key(), {"termsOfServiceAgreed": True},
                       nonce=w.foreign_nonces[1]), 400, "badNonce")


def mutated_nonce(w, mutate, types=("badNonce",)):
    problem(w.p.as_account(w.alice, w.alice.url, nonce=mutate(w.p.nonce())), 400, types)


for name, mutate in {
    "prefix-of-a-valid-one": lambda n: n[:-1],
    "valid-one-plus-a-character": lambda n: n + "A",
    "valid-one-reversed": lambda n: n[::-1],
    "valid-one-uppercased": lambda n: n.upper() if n.upper() != n else n.lower(),
    "valid-one-twice": lambda n: n + n,
    "empty-string": lambda n: "",
    "one-character": lambda n: "A",
}.items():
    add("nonce", name, mutated_nonce, mutate, ("badNonce", "malformed"))

for name, value in {"number": 12345, "null": None, "array": ["x"], "object": {"n": 1},
                    "boolean": True}.items():
    add("nonce", f"not-a-string-{name}", lambda w, v: problem(
        w.p.as_account(w.alice, w.alice.url, extra={"nonce": v}), 400,
        ("malformed", "badNonce")), value)


@case("nonce", "error-response-nonce-is-fresh")
def _(w):
    bad = w.p.as_account(w.alice, w.alice.url, nonce="nope")
    problem(bad, 400, ("badNonce", "malformed"))
    fresh = bad.headers["Replay-Nonce"]
    assert w.p.as_account(w.alice, w.alice.url, nonce=fresh).status_code == 200
    problem(w.p.as_account(w.alice, w.alice.url, nonce=fresh), 400, "badNonce")


# ===== 7. another account's objects (bob on alice's) ===========================================
def stays(w, url, status):
    assert w.p.fetch(w.alice, url).json()["status"] == status


@case("cross-account", "read-account")
def _(w):
    problem(w.p.as_account(w.bob, w.alice.url), 403, "unauthorized")


@case("cross-account", "update-account-contact")
def _(w):
    problem(w.p.as_account(w.bob, w.alice.url, {"contact": ["mailto:bob@evil.example"]}), 403,
            "unauthorized")
    assert "contact" not in w.p.fetch(w.alice, w.alice.url).json()


@case("cross-account", "deactivate-account")
def _(w):
    problem(w.p.as_account(w.bob, w.alice.url, {"status": "deactivated"}), 403, "unauthorized")
    stays(w, w.alice.url, "valid")


@case("cross-account", "list-orders")
def _(w):
    problem(w.p.as_account(w.bob, w.alice.body["orders"]), 404, "malformed")


@case("cross-account", "read-order")
def _(w):
    problem(w.p.as_account(w.bob, w.pending["url"]), 404, "malformed")


@case("cross-account", "finalize-ready-order")
def _(w):
    csr = b64u(make_csr(Key(), w.ready["names"]))
    problem(w.p.as_account(w.bob, w.ready["finalize"], {"csr": csr}), 404, "malformed")
    stays(w, w.ready["url"], "ready")


@case("cross-account", "read-authz")
def _(w):
    problem(w.p.as_account(w.bob, w.pending["authz_url"]), 404, "malformed")


@case("cross-account", "deactivate-authz")
def _(w):
    problem(w.p.as_account(w.bob, w.pending["authz_url"], {"status": "deactivated"}), 404,
            "malformed")
    stays(w, w.pending["authz_url"], "pending")


@case("cross-account", "respond-to-challenge")
def _(w):
    problem(w.p.as_account(w.bob, w.pending["challenge"]["url"], {}), 404, "malformed")
    stays(w, w.pending["challenge"]["url"], "pending")


@case("cross-account", "read-challenge")
def _(w):
    problem(w.p.as_account(w.bob, w.pending["challenge"]["url"]), 404, "malformed")


@case("cross-account", "download-certificate")
def _(w):
    problem(w.p.as_account(w.bob, w.valid[0]["certificate"]), 404, "malformed")


@case("cross-account", "download-alternate-chain")
def _(w):
    problem(w.p.as_account(w.bob, w.valid[0]["certificate"] + "/1"), 404, "malformed")


@case("cross-account", "revoke-certificate-by-kid")
def _(w):
    der = leaf_der(w.valid[2])
    problem(w.p.as_account(w.bob, w.p.url("revokeCert"), {"certificate": b64u(der)}), 403,
            "unauthorized")
    assert w.p.fetch(w.alice, w.valid[0]["certificate"]).status_code == 200


@case("cross-account", "key-change-naming-alice")
def _(w):
    new_key = Key()
    url = w.p.url("keyChange")
    inner = w.p.jws(new_key, url, {"account": w.alice.url, "oldKey": w.bob.key.jwk}, nonce=None,
                    omit=("nonce",))
    problem(w.p.as_account(w.bob, url, inner), 400, ("malformed", "unauthorized"))
    stays(w, w.alice.url, "valid")


@case("cross-account", "alice-kid-signed-by-bob")
def _(w):
    problem(w.p.signed(w.alice.url, w.bob.key, None, kid=w.alice.url), 400, "malformed")


@case("cross-account", "new-order-with-alice-kid-signed-by-bob")
def _(w):
    problem(w.p.signed(w.p.url("newOrder"), w.bob.key,
                       {"identifiers": [{"type": "dns", "value": unique("steal")}]},
                       kid=w.alice.url), 400, "malformed")


@case("cross-account", "orders-list-of-bob-with-alice-id")
def _(w):
    alice_id = w.alice.body["orders"].rsplit("/", 1)[1]
    problem(w.p.as_account(w.bob, w.base + "/list-orderz/" + alice_id), 404, "malformed")


# ===== 8. odd IDs and path traversal in object URLs ============================================
ODD_IDS = {
    "dotdot-to-directory": "../dir",
    "dotdot-percent-encoded": "%2e%2e/dir",
    "dotdot-slash-encoded": "..%2f..%2fdir",
    "id-of-4000-chars": "A" * 4000,
    "unicode-raw": "\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9",
    "unicode-percent-encoded": "%C3%BC%C3%B1",
    "percent-nul": "%00",
    "empty": "",
}
OBJECT_PREFIXES = {
    "order": "/my-order/",
    "authz": "/authZ/",
    "challenge": "/chalZ/",
    "certificate": "/certZ/",
}


def raw_as_account(w, account, url, payload=None):
    """A POST signed by account for url, sent with url's path as the target byte for byte (no
    client-side normalisation of dot segments or percent-encoding)."""
    body = json.dumps(w.p.jws(account.key, url, payload, kid=account.url)).encode()
    target = url.split("/", 3)[3].encode()
    return hw.one(w.server, request_bytes(w, "POST", b"/" + target,
                                          ["Content-Type: application/jose+json"], body))


def odd_object_url(w, prefix, odd):
    hw.expect_problem(raw_as_account(w, w.alice, w.base + prefix + odd), 404, "malformed",
                      nonce=True)


for prefix_name, prefix in OBJECT_PREFIXES.items():
    for odd_name, odd in ODD_IDS.items():
        add("odd-id", f"{prefix_name}-{odd_name}", odd_object_url, prefix, odd)


def own_id_variant(w, make):
    hw.expect_problem(raw_as_account(w, w.alice, make(w)), 404, "malformed", nonce=True)


for name, make in {
    "order-id-trailing-slash": lambda w: w.pending["url"] + "/",
    "order-id-uppercased": lambda w: w.pending["url"].rsplit("/", 1)[0] + "/" +
    w.pending["url"].rsplit("/", 1)[1].swapcase(),
    "order-id-with-semicolon-param": lambda w: w.pending["url"] + ";x=1",
    "order-id-percent-encoded-letter": lambda w: w.pending["url"][:-1] + "%" +
    format(ord(w.pending["url"][-1]), "02X"),
    "order-id-plus-dotdot": lambda w: w.pending["url"] + "/../" +
    w.pending["url"].rsplit("/", 1)[1],
    "authz-id-as-order": lambda w: w.base + "/my-order/" +
    w.pending["authz_url"].rsplit("/", 1)[1],
    "order-id-as-authz": lambda w: w.base + "/authZ/" + w.pending["url"].rsplit("/", 1)[1],
    "challenge-id-as-authz": lambda w: w.base + "/authZ/" +
    w.pending["challenge"]["url"].rsplit("/", 1)[1],
}.items():
    add("odd-id", name, own_id_variant, make)


@case("odd-id", "account-url-with-dotdot")
def _(w):
    response = raw_as_account(w, w.alice, w.alice.url + "/../" + w.alice.url.rsplit("/", 1)[1])
    hw.expect_problem(response, response.status, ("unauthorized", "malformed"), nonce=True)
    assert response.status in (403, 404), response


def odd_get_path(w, path, status):
    response = hw.one(w.server, request_bytes(w, "GET", path))
    if status == 200:
        assert response.status == 200 and "newNonce" in response.json(), response
    else:
        hw.expect_problem(response, status, "malformed")


for name, path, status in [
    ("dir-dotdot-dir", "/dir/../dir", 404),
    ("double-slash-dir", "//dir", 404),
    ("dir-uppercase", "/DIR", 404),
    ("dir-trailing-slash", "/dir/", 404),
    ("dot-segment", "/./dir", 404),
    ("percent-encoded-dir", "/%64%69%72", 404),
    ("dir-with-query", "/dir?x=1&y", 200),
    ("backslash-traversal", "/dir\\..\\etc", 404),
    ("etc-passwd-traversal", "/../../../../etc/passwd", 404),
    ("encoded-etc-passwd", "/%2e%2e/%2e%2e/etc/passwd", 404),
    ("unicode-path", "/d\u00efr", 404),
    ("path-of-7000-chars", "/" + "p" * 7000, 404),
]:
    add("odd-path", name, odd_get_path, path, status)


# ===== 9. forged kid, wrong url ===============================================================
def forged_kid(w, make_kid, status=400, types="accountDoesNotExist"):
    problem(w.p.signed(w.p.url("newOrder"), w.alice.key,
                       {"identifiers": [{"type": "dns", "value": unique("kid")}]}, jwk=None,
                       extra={"kid": make_kid(w)}), status, types)


def alice_id(w):
    return w.alice.url.rsplit("/", 1)[1]


for name, make_kid in {
    "another-host": lambda w: "https://evil.example/my-account/" + alice_id(w),
    "another-port": lambda w: w.alice.url.replace(":" + w.authority.rsplit(":", 1)[1], ":1", 1),
    "http-scheme": lambda w: w.alice.url.replace("https:", "http:", 1),
    "another-path-order-prefix": lambda w: w.base + "/my-order/" + alice_id(w),
    "nonexistent-account": lambda w: w.base + "/my-account/" + secrets.token_urlsafe(16),
    "with-query": lambda w: w.alice.url + "?x=1",
    "with-fragment": lambda w: w.alice.url + "#frag",
    "trailing-space": lambda w: w.alice.url + " ",
    "relative-path": lambda w: "/my-account/" + alice_id(w),
    "bare-id": lambda w: alice_id(w),
    "userinfo": lambda w: w.alice.url.replace("https://", "https://alice@", 1),
    "dotdot-in-path": lambda w: w.base + "/my-order/../my-account/" + alice_id(w),
    "percent-encoded-id": lambda w: w.base + "/my-account/" +
    "".join(f"%{ord(c):02X}" for c in alice_id(w)),
}.items():
    add("kid", name, forged_kid, make_kid)

for name, value in {"empty-string": "", "number": 1, "null": None,
                    "object": {"url": "x"}}.items():
    add("kid", f"not-a-string-{name}", forged_kid, lambda w, v=value: v, 400,
        ("malformed", "accountDoesNotExist"))


def wrong_url(w, make_url, status=403, types="unauthorized"):
    problem(w.p.as_account(w.alice, w.alice.url, extra={"url": make_url(w)}), status, types)


for name, make_url in {
    "another-host": lambda w: w.alice.url.replace(w.authority, "evil.example", 1),
    "another-port": lambda w: w.alice.url.replace(":" + w.authority.rsplit(":", 1)[1], ":1", 1),
    "path-case": lambda w: w.alice.url.replace("/my-account/", "/My-Account/"),
    "with-fragment": lambda w: w.alice.url + "#x",
    "with-query": lambda w: w.alice.url + "?x",
    "newAccount-url": lambda w: w.p.url("newAccount"),
    "bob-url": lambda w: w.bob.url,
    "relative": lambda w: "/" + w.alice.url.split("/", 3)[3],
    "unicode-host": lambda w: w.alice.url.replace("127.0.0.1", "\u0131ocalhost", 1),
}.items():
    add("url", name, wrong_url, make_url)

for name, value in {"empty-string": "", "number": 7, "null": None, "array": ["x"]}.items():
    add("url", f"not-a-string-{name}", wrong_url, lambda w, v=value: v, 400, "malformed")


# ===== 10. algorithms and keys ===============================================================
def hs256_jws(w, secret, url, kid=None, jwk=None):
    header = {"alg": "HS256", "nonce": w.p.nonce(), "url": url}
    if kid:
        header["kid"] = kid
    if jwk:
        header["jwk"] = jwk
    protected = b64u(json.dumps(header))
    payload = b64u(json.dumps({"termsOfServiceAgreed": True}) if jwk else "")
    mac = hmac.new(secret, f"{protected}.{payload}".encode(), hashlib.sha256).digest()
    return {"protected": protected, "payload": payload, "signature": b64u(mac)}


@case("alg", "none-with-empty-signature")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, alg="none", signature=b""), 400,
            ("badSignatureAlgorithm", "malformed"))


@case("alg", "None-capitalised")
def _(w):
    problem(w.p.as_account(w.alice, w.alice.url, alg="None"), 400, "badSignatureAlgorithm")


@case("alg", "HS256-keyed-with-the-account-public-key")
def _(w):
    # The classic key-confusion attack: an HMAC whose secret is the public key.
    jws = hs256_jws(w, w.alice.key.pem(), w.alice.url, kid=w.alice.url)
    problem(post(w, w.alice.url, jws), 400, "badSignatureAlgorithm")


@case("alg", "HS256-with-oct-jwk-on-newAccount")
def _(w):
    secret = secrets.token_bytes(32)
    jws = hs256_jws(w, secret, w.p.url("newAccount"), jwk={"kty": "oct", "k": b64u(secret)})
    problem(post(w, w.p.url("newAccount"), jws), 400, ("badSignatureAlgorithm", "badPublicKey"))


for alg in ("HS512", "PS256", "RS512", "ES256K", "ES", "RSA1_5", "dir", ""):
    add("alg", f"unsupported-{alg or 'empty'}", lambda w, a: problem(
        w.p.as_account(w.alice, w.alice.url, alg=a), 400, "badSignatureAlgorithm"), alg)

for name, value in {"array": ["ES256"], "number": 256, "null": None}.items():
    add("alg", f"not-a-string-{name}", lambda w, v: problem(
        w.p.as_account(w.alice, w.alice.url, alg=v), 400,
        ("malformed", "badSignatureAlgorithm")), value)


def mismatched_alg(w, key_kind, alg):
    key = Key(key_kind)
    problem(w.p.signed(w.p.url("newAccount"), key, {"termsOfServiceAgreed": True}, alg=alg), 400,
            ("badPublicKey", "badSignatureAlgorithm", "malformed"))


for key_kind, alg in [("rsa2048", "ES256"), ("ed25519", "RS256"), ("p256", "EdDSA"),
                      ("p256", "ES512"), ("p384", "ES256"), ("ed25519", "ES256")]:
    add("alg", f"{alg}-with-{key_kind}-key", mismatched_alg, key_kind, alg)


def rsa_jwk(bits, e=65537, n=None):
    if n is None:
        n = secrets.randbits(bits) | (1 << (bits - 1)) | 1
    length = (n.bit_length() + 7) // 8
    return {"kty": "RSA", "n": b64u(n.to_bytes(length, "big")),
            "e": b64u(e.to_bytes((e.bit_length() + 7) // 8 or 1, "big"))}


def crafted_key(w, jwk, types):
    """newAccount with a crafted jwk and a signature by an unrelated key: a key that passes the
    key checks fails on the signature (malformed), one that does not is badPublicKey."""
    problem(w.p.signed(w.p.url("newAccount"), Key("rsa2048"), {"termsOfServiceAgreed": True},
                       jwk=jwk), 400, types)


for name, jwk, types in [
    ("rsa-512-bits", rsa_jwk(512), "badPublicKey"),
    ("rsa-2047-bits", rsa_jwk(2047), "badPublicKey"),
    ("rsa-8192-bits-accepted-then-bad-signature", rsa_jwk(8192), "malformed"),
    ("rsa-8200-bits", rsa_jwk(8200), "badPublicKey"),
    ("rsa-16384-bits", rsa_jwk(16384), "badPublicKey"),
    ("rsa-exponent-1", rsa_jwk(2048, e=1), "badPublicKey"),
    ("rsa-exponent-even", rsa_jwk(2048, e=65536), "badPublicKey"),
    ("rsa-exponent-longer-than-modulus", rsa_jwk(2048, e=(1 << 2100) + 1), "badPublicKey"),
    ("rsa-modulus-even", rsa_jwk(2048, n=(1 << 2047) + 2), ("badPublicKey", "malformed")),
    ("ec-p192-curve", {"kty": "EC", "crv": "P-192", "x": b64u(b"\x01" * 24),
                       "y": b64u(b"\x02" * 24)}, "badPublicKey"),
    ("ec-secp256k1-curve", {"kty": "EC", "crv": "secp256k1", "x": b64u(b"\x01" * 32),
                            "y": b64u(b"\x02" * 32)}, "badPublicKey"),
    ("ec-point-at-zero", {"kty": "EC", "crv": "P-256", "x": b64u(b"\x00" * 32),
                          "y": b64u(b"\x00" * 32)}, "badPublicKey"),
    ("ec-x-too-short", {"kty": "EC", "crv": "P-256", "x": b64u(b"\x01" * 31),
                        "y": b64u(b"\x02" * 32)}, "badPublicKey"),
    ("ec-x-too-long", {"kty": "EC", "crv": "P-256", "x": b64u(b"\x01" * 33),
                       "y": b64u(b"\x02" * 32)}, "badPublicKey"),
    ("okp-x25519", {"kty": "OKP", "crv": "X25519", "x": b64u(b"\x09" * 32)}, "badPublicKey"),
    ("okp-ed448", {"kty": "OKP", "crv": "Ed448", "x": b64u(b"\x09" * 57)}, "badPublicKey"),
    ("kty-oct", {"kty": "oct", "k": b64u(b"secret")}, ("badPublicKey", "malformed")),
    ("kty-missing", {"n": "AQAB", "e": "AQAB"}, ("badPublicKey", "malformed")),
    ("kty-unknown", {"kty": "DSA", "p": "AQAB"}, ("badPublicKey", "malformed")),
]:
    add("key", name, crafted_key, jwk, types)


@case("key", "rsa-4096-real-key-accepted")
def _(w):
    key = Key("rsa2048")
    from cryptography.hazmat.primitives.asymmetric import rsa
    key.private = rsa.generate_private_key(65537, 4096)
    assert w.p.signed(w.p.url("newAccount"), key, {"termsOfServiceAgreed": True}).status_code \
        == 201


# ===== 11. JWS shape ======================================================================
def shape(w, make, types=("malformed",)):
    body = make(w)
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    problem(post(w, w.alice.url, body), 400, types)


def good(w):
    return w.p.jws(w.alice.key, w.alice.url, None, kid=w.alice.url)


for name, make in {
    "compact-serialization": lambda w: ".".join(good(w).values()),
    "compact-serialization-as-json-string": lambda w: json.dumps(".".join(good(w).values())),
    "general-serialization": lambda w: {
        "payload": good(w)["payload"],
        "signatures": [{"protected": good(w)["protected"], "signature": good(w)["signature"]}]},
    "general-serialization-empty-signatures": lambda w: {"payload": "", "signatures": []},
    "unprotected-header-with-kid": lambda w: {**good(w), "header": {"kid": w.alice.url}},
    "unprotected-header-empty": lambda w: {**good(w), "header": {}},
    "members-null": lambda w: {"protected": None, "payload": None, "signature": None},
    "members-numbers": lambda w: {"protected": 1, "payload": 2, "signature": 3},
    "members-nested-objects": lambda w: {k: {"v": v} for k, v in good(w).items()},
    "protected-empty-string": lambda w: {**good(w), "protected": ""},
    "protected-is-empty-object": lambda w: {**good(w), "protected": b64u("{}")},
    "body-json-null": lambda w: "null",
    "body-json-string": lambda w: '"jws"',
    "body-json-number": lambda w: "42",
    "body-empty-object": lambda w: "{}",
    "signature-of-40000-chars": lambda w: {**good(w), "signature": "A" * 40000},
    "protected-whitespace-only": lambda w: {**good(w), "protected": b64u("   ")},
}.items():
    add("jws-shape", name, shape, make)


@case("jws-shape", "unknown-top-level-member")
def _(w):
    response = post(w, w.alice.url, {**good(w), "x-extra": "y"})
    # RFC 7515 §7.2.1 defines the members; an extra one may be ignored or refused.
    if response.status_code != 200:
        problem(response, 400, "malformed")


# ===== the tests =============================================================================
@pytest.mark.parametrize("run", CASES)
def test_hostile(w, run):
    run(w)
    w.health()


# ===== slow clients: started with the module's mockca, judged here at the end ==================
class SlowClients:
    """Clients that hang on: each runs in its own thread from the moment the module's mockca is
    up; by the time the tests at the end of this file look, README's 30 s timeout has run out.
    Each result: {"elapsed": seconds from the start of the server's read to the close,
    "how": closed/reset/timeout, "data": what was read}."""

    SPECS = ("slowloris-head-one-byte-per-second", "slowloris-20-connections",
             "slow-body-one-byte-per-second", "lying-content-length-longer-than-body",
             "chunked-body-never-finished", "expect-100-continue-never-sends-body",
             "handshake-cut-mid-way", "tcp-connect-and-silence", "tls-handshake-and-silence",
             "keep-alive-silence-after-one-response", "slowloris-head-after-complete-request")

    def __init__(self, server):
        self.server = server
        self.results = {}
        self.served_meanwhile = []
        self.threads = []

    def start(self):
        for spec in self.SPECS:
            thread = threading.Thread(target=self._run, args=(spec,), daemon=True)
            thread.start()
            self.threads.append((spec, thread))
        thread = threading.Thread(target=self._serve_meanwhile, daemon=True)
        thread.start()
        self.threads.append(("served-meanwhile", thread))

    def wait(self, spec, timeout=IO_TIMEOUT + 30):
        for name, thread in self.threads:
            if name == spec:
                thread.join(timeout)
        return self.results.get(spec)

    def _run(self, spec):
        try:
            self.results[spec] = getattr(self, "_" + spec.replace("-", "_"))()
        except Exception as error:  # reported by the test
            self.results[spec] = {"error": repr(error)}

    def _trickle(self, conn, start, data, interval=1.0):
        """Sends data one byte per interval until the server closes; returns the result."""
        for byte in data:
            if hw.wait_readable(conn, interval) and hw.peer_closed(conn):
                break
            try:
                conn.sendall(bytes([byte]))
            except (OSError, ssl.SSLError):
                return {"elapsed": time.monotonic() - start, "how": "reset", "data": b""}
            if time.monotonic() - start > IO_TIMEOUT + 20:
                break
        read, how = hw.read_until_close(conn, timeout=IO_TIMEOUT + 20 - (time.monotonic() - start))
        return {"elapsed": time.monotonic() - start, "how": how, "data": read}

    def _silence(self, conn, start):
        read, how = hw.read_until_close(conn, timeout=IO_TIMEOUT + 20)
        return {"elapsed": time.monotonic() - start, "how": how, "data": read}

    def _head(self):
        return (b"GET /dir HTTP/1.1\r\nHost: localhost\r\n" +
                b"".join(b"X-Slow-%d: %s\r\n" % (i, b"s" * 20) for i in range(200)) + b"\r\n")

    def _slowloris_head_one_byte_per_second(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            return self._trickle(conn, time.monotonic(), self._head())

    def _slowloris_20_connections(self):
        conns = [hw.tls(self.server, timeout=IO_TIMEOUT + 30) for _ in range(20)]
        start = time.monotonic()
        head = self._head()
        closed = {}
        for position in range(len(head)):
            for index, conn in enumerate(conns):
                if index in closed:
                    continue
                try:
                    if hw.wait_readable(conn, 0) and hw.peer_closed(conn):
                        raise ConnectionError
                    conn.sendall(head[position:position + 1])
                except (OSError, ssl.SSLError, ConnectionError):
                    closed[index] = time.monotonic() - start
            if len(closed) == len(conns) or time.monotonic() - start > IO_TIMEOUT + 20:
                break
            time.sleep(1.0)
        for conn in conns:
            conn.close()
        return {"elapsed": max(closed.values()) if len(closed) == len(conns) else None,
                "first": min(closed.values()) if closed else None, "closed": len(closed),
                "how": "closed", "data": b""}

    def _slow_body_one_byte_per_second(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            start = time.monotonic()
            conn.sendall(b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                         b"application/jose+json\r\nContent-Length: 500\r\n\r\n")
            return self._trickle(conn, start, b"{" + b" " * 498 + b"}")

    def _lying_content_length_longer_than_body(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            start = time.monotonic()
            conn.sendall(b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                         b"application/jose+json\r\nContent-Length: 1000\r\n\r\n" + b" " * 100)
            return self._silence(conn, start)

    def _chunked_body_never_finished(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            start = time.monotonic()
            conn.sendall(b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                         b"application/jose+json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            return self._silence(conn, start)

    def _expect_100_continue_never_sends_body(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            start = time.monotonic()
            conn.sendall(b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                         b"application/jose+json\r\nContent-Length: 10\r\nExpect: 100-continue"
                         b"\r\n\r\n")
            return self._silence(conn, start)

    def _handshake_cut_mid_way(self):
        hello = hw.client_hello()
        sock = hw.tcp(self.server, timeout=IO_TIMEOUT + 30)
        with sock:
            start = time.monotonic()
            sock.sendall(hello[:len(hello) // 2])
            return self._silence(sock, start)

    def _tcp_connect_and_silence(self):
        sock = hw.tcp(self.server, timeout=IO_TIMEOUT + 30)
        with sock:
            return self._silence(sock, time.monotonic())

    def _tls_handshake_and_silence(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            return self._silence(conn, time.monotonic())

    def _keep_alive_silence_after_one_response(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            conn.sendall(b"GET /dir HTTP/1.1\r\nHost: localhost\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data or len(hw.parse_tolerant(data)) < 1:
                data += conn.recv(65536)
            start = time.monotonic()
            result = self._silence(conn, start)
            result["first"] = data
            return result

    def _slowloris_head_after_complete_request(self):
        conn = hw.tls(self.server, timeout=IO_TIMEOUT + 30)
        with conn:
            conn.sendall(b"HEAD /nonce-plz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            result = self._trickle(conn, time.monotonic(), self._head())
            result["first"] = data
            return result

    def _serve_meanwhile(self):
        """While the slow clients hang on: a directory GET and a newNonce on fresh connections
        every 3 s, each timed."""
        start = time.monotonic()
        session = requests.Session()
        session.trust_env = False
        while time.monotonic() - start < IO_TIMEOUT - 2:
            time.sleep(3)
            began = time.monotonic()
            try:
                directory = session.get(self.server.directory, verify=str(MOCKCA_TLS_ROOT),
                                        timeout=10, headers={"Connection": "close"})
                nonce = session.head(self.server.directory.replace("/dir", "/nonce-plz"),
                                     verify=str(MOCKCA_TLS_ROOT), timeout=10,
                                     headers={"Connection": "close"})
                ok = directory.status_code == 200 and bool(nonce.headers.get("Replay-Nonce"))
            except requests.RequestException as error:
                ok = repr(error)
            self.served_meanwhile.append((round(began - start, 1),
                                          round(time.monotonic() - began, 3), ok))
        session.close()


@pytest.mark.parametrize("spec", SlowClients.SPECS)
def test_slow_client_is_closed_at_the_documented_timeout(server, spec):
    """README "Limits": a client slower than the 30 s read/handshake timeout is closed within it
    (no response, or a complete one: never a partial answer), while others are served."""
    result = server.slow.wait(spec)
    assert result is not None and "error" not in result, result
    if spec == "slowloris-20-connections":
        assert result["closed"] == 20, result
        assert TIMEOUT_WINDOW[0] <= result["first"] and result["elapsed"] <= TIMEOUT_WINDOW[1], \
            result
        return
    assert result["how"] in ("closed", "reset"), result
    assert TIMEOUT_WINDOW[0] <= result["elapsed"] <= TIMEOUT_WINDOW[1], result
    for response in hw.parse_responses(result["data"]):  # nothing, or complete responses only
        assert response.status in (400, 408), response
    if "first" in result:
        assert result["first"].startswith(b"HTTP/1.1 200"), result["first"][:100]


def test_others_were_served_while_slow_clients_hung_on(server):
    server.slow.wait("served-meanwhile")
    rounds = server.slow.served_meanwhile
    assert len(rounds) >= 5, rounds
    assert all(ok is True and seconds < 3 for _, seconds, ok in rounds), rounds


# ===== connection limit and bursts: their own mockca ==========================================
def test_connections_beyond_256_are_closed_at_accept_and_served_after():
    """README "Limits": 256 connections per listener; further ones closed at accept. Held: 256
    silent TCP connections. Then 20 more are closed at once (not left hanging), the management
    listener still answers, and once the 256 go, the ACME listener serves again."""
    server = start_mockca()
    held = []
    try:
        for _ in range(MAX_CONNECTIONS):
            held.append(hw.tcp(server, timeout=10))
        time.sleep(0.3)  # every accept handled
        for _ in range(20):
            with hw.tcp(server, timeout=5) as extra:
                began = time.monotonic()
                data, how = hw.read_until_close(extra, timeout=5)
                assert data == b"" and how in ("closed", "reset"), (data, how)
                assert time.monotonic() - began < 2
        status, _ = server.management_get("/roots/0")
        assert status == 200
        for sock in held:
            sock.close()
        held.clear()
        deadline = time.monotonic() + 5
        while True:
            try:
                [response], _ = hw.exchange(server, b"GET /dir HTTP/1.1\r\nHost: localhost\r\n"
                                            b"Connection: close\r\n\r\n", timeout=5)
                assert response.status == 200
                break
            except (OSError, ssl.SSLError, AssertionError, ValueError):
                assert time.monotonic() < deadline, "not serving after the 256 were closed"
                time.sleep(0.1)
    finally:
        for sock in held:
            sock.close()
        stop_checked(server, "mockca")


def test_burst_of_300_concurrent_clients_each_served_or_cleanly_refused():
    """300 clients at once, each a directory GET: every one gets a complete 200 or a clean close
    (never a partial answer or a hang), most are served, and mockca serves afterwards."""
    server = start_mockca()
    outcomes = []
    lock = threading.Lock()

    def client():
        try:
            responses, how = hw.exchange(server, b"GET /dir HTTP/1.1\r\nHost: localhost\r\n"
                                         b"Connection: close\r\n\r\n", timeout=20)
            outcome = "served" if [r.status for r in responses] == [200] else repr(responses)
        except (ConnectionError, ssl.SSLError, OSError) as error:
            outcome = "refused" if not isinstance(error, socket.timeout) else "timeout"
        except hw.Truncated as error:
            outcome = f"truncated {error}"
        with lock:
            outcomes.append(outcome)
    try:
        threads = [threading.Thread(target=client) for _ in range(300)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(40)
        assert len(outcomes) == 300
        assert set(outcomes) <= {"served", "refused"}, sorted(set(outcomes))[:5]
        assert outcomes.count("served") >= MAX_CONNECTIONS // 2, outcomes.count("served")
        [response], _ = hw.exchange(server, b"GET /dir HTTP/1.1\r\nHost: localhost\r\n"
                                    b"Connection: close\r\n\r\n")
        assert response.status == 200
    finally:
        stop_checked(server, "mockca")


# ===== SIGTERM with clients mid-request: its own mockca ========================================
def test_sigterm_with_clients_mid_request_exits_0_and_breaks_no_response():
    """Extends test_mockca_server.py::test_sigterm_exits_zero: clients slow-sending a body, waiting
    on a delayed answer (README "Faults": delay), mid-handshake, idle on keep-alive, and one
    served just before. SIGTERM: mockca exits 0 within a few seconds, and every client got complete
    valid responses or a closed connection, never a truncated one."""
    server = start_mockca()
    try:
        server.add_faults([{"id": "slow-nonce", "where": "newNonce", "fault": "delay",
                            "delayMs": 20000},
                           {"id": "slow-directory", "where": "directory", "fault": "delay",
                            "delayMs": 15000, "when": {"method": "GET", "first": 3}}])
        clients = {}

        def hold(name, conn, request, first_responses=0):
            conn.sendall(request)
            clients[name] = (conn, first_responses)

        # Waiting on delayed answers.
        for i in range(3):
            hold(f"delayed-directory-{i}", hw.tls(server, timeout=15),
                 b"GET /dir HTTP/1.1\r\nHost: localhost\r\n\r\n")
        hold("delayed-nonce", hw.tls(server, timeout=15),
             b"HEAD /nonce-plz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        # Slow-sending a body.
        for i in range(3):
            hold(f"slow-body-{i}", hw.tls(server, timeout=15),
                 b"POST /sign-me-up HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                 b"application/jose+json\r\nContent-Length: 5000\r\n\r\n{\"protected\":\"")
        # Mid-handshake and mid-head.
        sock = hw.tcp(server, timeout=15)
        hello = hw.client_hello()
        hold("mid-handshake", sock, hello[:len(hello) // 2])
        hold("mid-head", hw.tls(server, timeout=15), b"GET /dir HTTP/1.1\r\nHost: local")
        # Served before (the delay rule's first 3 are used up), then idle on keep-alive.
        idle = hw.tls(server, timeout=15)
        time.sleep(0.3)  # the three delayed directory GETs are in before this one
        idle.sendall(b"GET /dir HTTP/1.1\r\nHost: localhost\r\n\r\n")
        clients["keep-alive-after-response"] = (idle, 1)
        time.sleep(0.5)
        began = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        code = server.process.wait(timeout=10)
        took = time.monotonic() - began
        assert code == 0, server.stderr()
        assert took < 5, took
        for name, (conn, expected) in clients.items():
            data, how = hw.read_until_close(conn, timeout=5)
            conn.close()
            assert how in ("closed", "reset"), (name, how)
            responses = hw.parse_responses(data, head_requests=(0,) if "nonce" in name else ())
            assert len(responses) >= expected, (name, responses)
            for response in responses:
                assert response.status == 200 or response.status == 400, (name, response)
    finally:
        if server.process.poll() is None:
            stop(server.process)
        server.log.close()


# ===== the count, and the end ================================================================
STANDALONE = ("connection-limit", "burst-300", "sigterm-mid-request", "served-meanwhile")


def test_at_least_200_distinct_hostile_cases():
    ids = [param.id for param in CASES] + list(SlowClients.SPECS) + list(STANDALONE)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    assert len(ids) >= 200, len(ids)
    categories = {}
    for case_id in ids:
        categories[case_id.split("-")[0]] = categories.get(case_id.split("-")[0], 0) + 1
    print(len(ids), categories)


def test_zz_still_serving_at_the_end(w, server):
    w.health()
    assert server.alive(), server.stderr()
