"""Raw-socket helpers for the hostile-client suite (test_hostile_clients.py): TLS connections with
every byte in the caller's hands, a strict HTTP/1.x response reader that tells a complete response
from a truncated one, and ClientHello bytes for handshakes cut mid-way.

Every socket has a timeout; nothing here retries.
"""
import json
import select
import socket
import ssl
import time

from conftest import MOCKCA_TLS_ROOT

ACME_ERROR = "urn:ietf:params:acme:error:"
IO_TIMEOUT = 10  # seconds, every socket operation of an ordinary case


def address(server, listener="listen"):
    host, _, port = server.ready[listener][0].rpartition(":")
    return host.strip("[]"), int(port)


def tls_context(verify=True, alpn=None, minimum=None, maximum=None):
    context = ssl.create_default_context(cafile=str(MOCKCA_TLS_ROOT))
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if alpn:
        context.set_alpn_protocols(alpn)
    if minimum:
        context.minimum_version = minimum
    if maximum:
        context.maximum_version = maximum
    return context


def tcp(server, timeout=IO_TIMEOUT, listener="listen"):
    return socket.create_connection(address(server, listener), timeout=timeout)


def tls(server, sni="localhost", context=None, timeout=IO_TIMEOUT):
    """A TLS connection to mockca's ACME listener, handshake done."""
    sock = tcp(server, timeout)
    try:
        return (context or tls_context()).wrap_socket(sock, server_hostname=sni)
    except BaseException:
        sock.close()
        raise


def rst_close(sock):
    """Closes with a TCP reset (SO_LINGER 0) instead of a FIN."""
    raw = sock
    if isinstance(sock, ssl.SSLSocket):
        raw = socket.socket(fileno=sock.detach())
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    raw.close()


def send_tolerant(sock, data, step=16384):
    """Sends data; stops quietly when the server has already answered and closed. Returns the
    number of bytes sent."""
    sent = 0
    try:
        for offset in range(0, len(data), step):
            sock.sendall(data[offset:offset + step])
            sent += len(data[offset:offset + step])
    except (OSError, ssl.SSLError):
        pass
    return sent


def read_until_close(sock, timeout=IO_TIMEOUT, limit=8 << 20):
    """Reads until the peer closes (FIN, close_notify, reset) or timeout; returns (bytes, how):
    how is "closed", "reset" or "timeout"."""
    deadline = time.monotonic() + timeout
    data = b""
    while len(data) < limit:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, TimeoutError):
            return data, "timeout"
        except ssl.SSLZeroReturnError:
            return data, "closed"
        except (ConnectionResetError, BrokenPipeError):
            return data, "reset"
        except (ssl.SSLError, OSError):
            return data, "closed"  # EOF without close_notify, a TLS alert
        if not chunk:
            return data, "closed"
        data += chunk
    return data, "limit"


class HttpResponse:
    def __init__(self, version, status, reason, headers, body):
        self.version, self.status, self.reason = version, status, reason
        self.headers, self.body = headers, body  # headers: list of (lower name, value)

    def header(self, name):
        for key, value in self.headers:
            if key == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.version} {self.status} {self.headers} {self.body[:300]!r}>"


class Truncated(AssertionError):
    """Bytes that are not a whole number of complete HTTP responses."""


def parse_responses(data, head_requests=()):
    """Splits data into complete HTTP/1.x responses (Content-Length framed; mockca never sends
    chunked). head_requests: indexes of responses to HEAD requests (no body). Raises Truncated
    when anything is left over or malformed."""
    responses = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            raise Truncated(f"incomplete head: {data[:300]!r}")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or parts[0] not in ("HTTP/1.1", "HTTP/1.0") or not parts[1].isdigit():
            raise Truncated(f"bad status line: {lines[0]!r}")
        headers = []
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon:
                raise Truncated(f"bad header line {line!r}")
            headers.append((name.strip().lower(), value.strip()))
        lengths = [v for k, v in headers if k == "content-length"]
        if any(k == "transfer-encoding" for k, _ in headers):
            raise Truncated("unexpected Transfer-Encoding in a response")
        length = int(lengths[0]) if lengths else 0
        if len(responses) in head_requests:
            length = 0
        if len(rest) < length:
            raise Truncated(f"body of {len(rest)} bytes, Content-Length {length}: {data[:300]!r}")
        responses.append(HttpResponse(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else "",
                                      headers, rest[:length]))
        data = rest[length:]
    return responses


def exchange(server, request, *, sni="localhost", context=None, timeout=IO_TIMEOUT,
             head_requests=(), shutdown_after=False):
    """Sends request bytes on a fresh TLS connection, reads until the server closes (or
    timeout), and returns (responses, how). Every byte read must be complete responses."""
    with tls(server, sni, context, timeout) as conn:
        send_tolerant(conn, request)
        data, how = read_until_close(conn, timeout)
    return parse_responses(data, head_requests), how


def one(server, request, **kw):
    """exchange() that expects exactly one response; returns it."""
    responses, how = exchange(server, request, **kw)
    assert len(responses) == 1, (responses, how)
    return responses[0]


def parse_tolerant(data):
    """parse_responses(), or [] while the bytes are not yet whole responses."""
    try:
        return parse_responses(data)
    except Truncated:
        return []


def expect_problem(response, status, types, nonce=None):
    """An ACME problem document with that status and one of types (urn:...:error:<t>)."""
    if isinstance(types, str):
        types = (types,)
    assert response.status == status, f"expected {status} {types}, got {response!r}"
    content_type = (response.header("content-type") or "").split(";")[0].strip().lower()
    assert content_type == "application/problem+json", response
    problem = response.json()
    assert problem.get("type") in {ACME_ERROR + t for t in types}, response
    assert isinstance(problem.get("detail"), str) and problem["detail"], response
    assert problem.get("status", status) == status, response
    if nonce:
        assert response.header("replay-nonce"), f"no Replay-Nonce: {response!r}"
    return problem


def client_hello(sni="localhost"):
    """The bytes of a real TLS ClientHello (what the first flight of a handshake sends)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = tls_context().wrap_bio(incoming, outgoing, server_hostname=sni)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def peer_closed(conn):
    """After select() said readable: True when the peer closed (or sent an answer, which these
    callers never expect before the close); False when it was only TLS housekeeping (TLS 1.3
    session tickets after the handshake)."""
    timeout = conn.gettimeout()
    conn.settimeout(0.05)
    try:
        conn.recv(1)
        return True
    except (ssl.SSLWantReadError, socket.timeout, TimeoutError):
        return False
    except (OSError, ssl.SSLError):
        return True
    finally:
        conn.settimeout(timeout)


def wait_readable(sock, seconds):
    readable, _, _ = select.select([sock], [], [], seconds)
    return bool(readable)
