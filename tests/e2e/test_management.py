"""The management API: challtestsrv's status codes and bodies, and the servers behind a flag."""
import json
import socket

import pytest


@pytest.mark.parametrize("path,body,status,message", [
    ("/set-txt", "", 400, "expected JSON POST body, was empty"),
    ("/set-txt", "{not json", 400, "not valid JSON"),
    ("/set-txt", "[1,2]", 400, "JSON object"),
    ("/set-txt", {"value": "v"}, 400, "host parameter must not be empty"),
    ("/set-txt", {"host": "a..b", "value": "v"}, 400, "not a valid DNS name"),
    ("/set-txt", {"host": 7, "value": "v"}, 400, "must be a string"),
    ("/set-txt", {"host": "x.example", "value": "v" * 20000}, 400, "value over 16384 octets"),
    ("/add-a", {"host": "x.example", "addresses": ["::1"]}, 400, "IPv4"),
    ("/add-aaaa", {"host": "x.example", "addresses": ["1.2.3.4"]}, 400, "IPv6"),
    ("/set-default-ipv4", {"ip": "not-an-ip"}, 400, "not an IPv4"),
    ("/add-caa", {"host": "x.example", "policies": [{"value": "v"}]}, 400, "tag"),
    ("/set-ttl", {"host": "x.example", "ttl": -1}, 400, "ttl"),
    ("/clear-request-history", {"host": "x", "type": "foo"}, 400, '"foo" event type unknown'),
    ("/no-such-endpoint", {"host": "x"}, 404, "not found"),
])
def test_bad_requests_get_a_clear_error(mockdns, path, body, status, message):
    got, text = mockdns.post(path, body)
    assert got == status and message in text


def test_keys_are_case_insensitive(mockdns):
    mockdns.ok("/add-a", {"HOST": "ci.example", "Addresses": ["10.9.8.7"]})
    from conftest import dig
    assert dig(mockdns, "+short", "A", "ci.example").split() == ["10.9.8.7"]


def test_endpoints_of_disabled_servers_are_absent(mockdns_factory):
    server = mockdns_factory("-dnsserver", "", "-http01", "", "-https01", "", "-tlsalpn01", "")
    assert server.ready["dnsserver"] == [] and server.ready["http01"] == []
    for path, body in [("/set-txt", {"host": "a", "value": "b"}),
                       ("/add-http01", {"token": "t", "content": "c"}),
                       ("/add-tlsalpn01", {"host": "a", "content": "c"})]:
        assert server.post(path, body)[0] == 404
    assert server.post("/dns-request-history", {"host": "a"}) == (200, "[]")


def test_ready_line_names_every_bound_address(mockdns):
    for key in ("dnsserver", "http01", "https01", "tlsalpn01", "management"):
        host, port = mockdns.address(key)
        assert host == "127.0.0.1" and port > 0
    assert mockdns.ready["doh"] == [] and mockdns.ready["ready"] == "mockdns"
    assert isinstance(mockdns.ready["seed"], int)


def test_garbage_http_does_not_stop_the_management_server(mockdns):
    host, port = mockdns.address("management")
    with socket.create_connection((host, port), timeout=3) as sock:
        sock.sendall(b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
    with socket.create_connection((host, port), timeout=3) as sock:
        sock.sendall(b"POST /set-txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 413")
    with socket.create_connection((host, port), timeout=3) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 431")
    mockdns.ok("/set-txt", {"host": "after.example", "value": "still serving"})


def test_unknown_flag_is_rejected_like_go(tmp_path):
    import subprocess
    from conftest import MOCKDNS
    result = subprocess.run([str(MOCKDNS), "-nope"], capture_output=True, text=True, timeout=5)
    assert result.returncode == 2 and "flag provided but not defined: -nope" in result.stderr
    result = subprocess.run([str(MOCKDNS), "-dnsserver", "example.com:53"], capture_output=True,
                            text=True, timeout=5)
    assert result.returncode == 2 and "must be an IP address" in result.stderr


def test_old_dns01_flag_name_still_works(mockdns_factory):
    server = mockdns_factory("-dns01", ":0", "-dnsserver", ":0")
    assert len(server.ready["dnsserver"]) == 1
    server = mockdns_factory("-dnsserver", "", "-dns01", ":0,:0")
    assert len(server.ready["dnsserver"]) == 2
    assert json.loads(server.ok("/dns-request-history", {"host": "x"})) == []


def test_sigterm_stops_quickly_and_cleanly(mockdns_factory):
    import signal
    import time
    server = mockdns_factory()
    server.ok("/set-txt", {"host": "x.example", "value": "v"})
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=5) == 0
    assert time.monotonic() - started < 2
