"""DNS over UDP and TCP, checked with dig and with c-ares (mockdns-resolve)."""
import socket
import struct

import pytest

from conftest import dig, resolve


@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_txt_set_through_management_is_served(mockdns, tcp):
    mockdns.ok("/set-txt", {"host": "_acme-challenge.example.com.", "value": "first"})
    mockdns.ok("/set-txt", {"host": "_acme-challenge.example.com", "value": "second"})
    flags = ["+tcp"] if tcp else []
    out = dig(mockdns, *flags, "+short", "TXT", "_acme-challenge.example.com")
    assert sorted(out.split()) == ['"first"', '"second"']
    code, lines = resolve(mockdns, "_acme-challenge.example.com", "TXT", tcp=tcp)
    assert code == 0 and sorted(lines) == ["first", "second"]


def test_long_txt_value_is_split_into_character_strings(mockdns):
    value = "x" * 300
    mockdns.ok("/set-txt", {"host": "long.example", "value": value})
    out = dig(mockdns, "+short", "TXT", "long.example")
    assert out.split() == ['"' + "x" * 255 + '"', '"' + "x" * 45 + '"']
    code, lines = resolve(mockdns, "long.example", "TXT")
    assert code == 0 and lines == [value]


def test_a_and_aaaa_defaults_and_explicit_records(mockdns):
    assert dig(mockdns, "+short", "A", "anything.example").split() == ["127.0.0.1"]
    assert dig(mockdns, "+short", "AAAA", "anything.example").split() == ["::1"]
    mockdns.ok("/add-a", {"host": "web.example", "addresses": ["10.0.0.1", "10.0.0.2"]})
    mockdns.ok("/add-aaaa", {"host": "web.example", "addresses": ["2001:db8::1"]})
    assert sorted(dig(mockdns, "+short", "A", "web.example").split()) == ["10.0.0.1", "10.0.0.2"]
    code, lines = resolve(mockdns, "web.example", "AAAA")
    assert code == 0 and lines == ["2001:db8::1"]
    mockdns.ok("/clear-a", {"host": "web.example"})
    assert dig(mockdns, "+short", "A", "web.example").split() == ["127.0.0.1"]
    mockdns.ok("/set-default-ipv4", {"ip": ""})
    assert dig(mockdns, "+short", "A", "web.example").split() == []


def test_names_match_case_insensitively(mockdns):
    mockdns.ok("/set-txt", {"host": "Mixed.Example.COM", "value": "v"})
    assert dig(mockdns, "+short", "TXT", "mIXED.example.com").split() == ['"v"']


def test_caa_records_with_flags(mockdns):
    mockdns.ok("/add-caa", {"host": "caa.example", "policies": [
        {"tag": "issue", "value": "anvil.test"}, {"tag": "iodef", "value": "mailto:x@y", "flags": 128}]})
    out = dig(mockdns, "+short", "CAA", "caa.example")
    assert sorted(out.splitlines()) == ['0 issue "anvil.test"', '128 iodef "mailto:x@y"']
    code, lines = resolve(mockdns, "caa.example", "CAA")
    assert code == 0 and sorted(lines) == ["0 issue anvil.test", "128 iodef mailto:x@y"]


def test_cname_chain_is_followed(mockdns):
    mockdns.ok("/set-cname", {"host": "a.example", "target": "b.example"})
    mockdns.ok("/set-cname", {"host": "b.example", "target": "c.example."})
    mockdns.ok("/add-a", {"host": "c.example", "addresses": ["192.0.2.7"]})
    assert dig(mockdns, "+short", "A", "a.example").split() == ["b.example.", "c.example.",
                                                                "192.0.2.7"]
    code, lines = resolve(mockdns, "a.example", "A")
    assert code == 0 and lines == ["192.0.2.7"]


def test_servfail_and_nxdomain(mockdns):
    mockdns.ok("/set-servfail", {"host": "broken.example"})
    assert "status: SERVFAIL" in dig(mockdns, "A", "broken.example")
    code, lines = resolve(mockdns, "broken.example", "A")
    assert code == 3 and "error:" in lines[0]
    mockdns.ok("/clear-servfail", {"host": "broken.example"})
    assert "status: NOERROR" in dig(mockdns, "A", "broken.example")
    mockdns.ok("/set-nxdomain", {"host": "gone.example"})
    assert "status: NXDOMAIN" in dig(mockdns, "A", "gone.example")
    code, lines = resolve(mockdns, "gone.example", "TXT")
    assert code == 3 and lines == ["error: Domain name not found"]


def test_other_types_get_notimp_and_every_answer_has_the_soa(mockdns):
    out = dig(mockdns, "MX", "example.com")
    assert "status: NOTIMP" in out
    assert "challtestsrv.invalid.\t0\tIN\tSOA" in out


def test_ttl_is_zero_by_default_and_settable(mockdns):
    mockdns.ok("/set-txt", {"host": "ttl.example", "value": "v"})
    assert dig(mockdns, "+noall", "+answer", "TXT", "ttl.example").split()[1] == "0"
    mockdns.ok("/set-ttl", {"host": "ttl.example", "ttl": 300})
    assert dig(mockdns, "+noall", "+answer", "TXT", "ttl.example").split()[1] == "300"


def test_edns_is_answered_and_large_udp_answers_are_truncated(mockdns):
    for i in range(30):
        mockdns.ok("/set-txt", {"host": "big.example", "value": f"{i:02d}" + "y" * 60})
    out = dig(mockdns, "+noedns", "+ignore", "TXT", "big.example")
    assert " tc" in out.split("flags:")[1].split(";")[0]
    tcp = dig(mockdns, "+tcp", "+short", "TXT", "big.example")
    assert len(tcp.splitlines()) == 30
    edns = dig(mockdns, "+bufsize=4096", "TXT", "big.example")
    assert "EDNS: version: 0" in edns and "udp: 1232" in edns


def query_bytes(name, qtype=1, qid=0x1234):
    header = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return header + labels + b"\x00" + struct.pack("!HH", qtype, 1)


def test_malformed_udp_gets_formerr_and_the_server_keeps_serving(mockdns):
    host, port = mockdns.address("dnsserver")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        for garbage in [b"\xab\xcd\x01", query_bytes("ok.example")[:-3],
                        b"\xab\xcd" + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + b"\xc0\x0c"]:
            sock.sendto(garbage, (host, port))
            reply, _ = sock.recvfrom(4096)
            assert reply[:2] == b"\xab\xcd" or reply[:2] == garbage[:2]
            assert reply[3] & 0x0F == 1  # FORMERR
        sock.sendto(b"\x01", (host, port))  # too short to answer: dropped
        sock.sendto(query_bytes("ok.example"), (host, port))
        reply, _ = sock.recvfrom(4096)
        assert reply[:2] == b"\x12\x34" and reply[3] & 0x0F == 0


def test_tcp_framing_limits_and_pipelining(mockdns):
    host, port = mockdns.address("dnsserver")
    with socket.create_connection((host, port), timeout=3) as sock:
        frames = b"".join(struct.pack("!H", len(q)) + q
                          for q in (query_bytes("one.example", qid=1), query_bytes("two.example", qid=2)))
        sock.sendall(frames)
        ids = []
        for _ in range(2):
            length = struct.unpack("!H", sock.recv(2, socket.MSG_WAITALL))[0]
            ids.append(struct.unpack("!H", sock.recv(length, socket.MSG_WAITALL)[:2])[0])
        assert ids == [1, 2]
    with socket.create_connection((host, port), timeout=3) as sock:
        sock.sendall(struct.pack("!H", 60000) + b"\x00" * 100)  # over the 4096-octet query limit
        assert sock.recv(10) == b""  # closed without a reply
    assert dig(mockdns, "+tcp", "+short", "A", "still.example").split() == ["127.0.0.1"]


def test_dns_history_records_questions(mockdns):
    dig(mockdns, "TXT", "_acme-challenge.hist.example")
    events = mockdns.history("dns", "_acme-challenge.hist.example")
    assert events == [{"Question": {"Name": "_acme-challenge.hist.example.", "Qtype": 16,
                                    "Qclass": 1}, "UserAgent": ""}]
    mockdns.ok("/clear-request-history", {"host": "_acme-challenge.hist.example", "type": "dns"})
    assert mockdns.history("dns", "_acme-challenge.hist.example") == []


def test_c_ares_sees_an_empty_answer_for_a_name_without_records(mockdns):
    code, lines = resolve(mockdns, "nothing-here.example", "TXT")
    assert code == 0 and lines == []
