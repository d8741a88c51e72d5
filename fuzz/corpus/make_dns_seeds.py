#!/usr/bin/python3
"""Writes the seed corpora of the DNS fuzz targets: dns_message/, dns_responder/, dns_tcp_stream/.

Standard library only (struct). Run from anywhere: /usr/bin/python3 fuzz/corpus/make_dns_seeds.py
Files are named after what they hold and rewritten in place; reproducers added by hand (crash-*,
regression-*) are left alone.
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, OPT, CAA = 1, 2, 5, 6, 12, 15, 16, 28, 41, 257
IN = 1


def name(text):
    """Uncompressed wire form of a dotted name ("" or "." is the root)."""
    out = b""
    for label in text.strip(".").split("."):
        if label:
            raw = label.encode()
            out += bytes([len(raw)]) + raw
    return out + b"\x00"


def pointer(offset):
    return struct.pack(">H", 0xC000 | offset)


def header(qid, flags, qd=0, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)


def question(qname, qtype, qclass=IN):
    return name(qname) + struct.pack(">HH", qtype, qclass)


def rr(owner_wire, rtype, rdata, ttl=300, rclass=IN):
    return owner_wire + struct.pack(">HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def opt(payload=1232, version=0, do=False, options=b""):
    ttl = (version << 16) | (0x8000 if do else 0)
    return rr(b"\x00", OPT, options, ttl=ttl, rclass=payload)


RD = 0x0100


def query(qid, qname, qtype, edns=None):
    """A recursive query; edns is a dict of opt() arguments or None."""
    if edns is None:
        return header(qid, RD, qd=1) + question(qname, qtype)
    return header(qid, RD, qd=1, ar=1) + question(qname, qtype) + opt(**edns)


def compressed_response():
    """www.example.com CNAME example.com, an A, and the SOA, all compressed against the question."""
    msg = header(0xBEEF, 0x8180, qd=1, an=2, ns=1)
    msg += question("www.example.com", A)                  # name at offset 12
    msg += rr(pointer(12), CNAME, pointer(16))             # -> example.com (offset 16)
    msg += rr(pointer(16), A, bytes([93, 184, 216, 34]))
    soa = name("ns1")[:-1] + pointer(16) + b"\x0ahostmaster" + pointer(16)
    soa += struct.pack(">IIIII", 2024010101, 7200, 3600, 1209600, 300)
    msg += rr(pointer(16), SOA, soa, ttl=3600)
    return msg


def every_type_response():
    """One record of each type the codec knows, plus an unknown type (raw rdata) and OPT."""
    msg = header(7, 0x8400, qd=1, an=9, ar=1)
    msg += question("example.org", 255)  # ANY
    own = pointer(12)
    msg += rr(own, A, bytes([192, 0, 2, 1]))
    msg += rr(own, AAAA, bytes(range(16)))
    msg += rr(own, NS, b"\x02ns" + pointer(12))
    msg += rr(own, MX, struct.pack(">H", 10) + b"\x04mail" + pointer(12))
    msg += rr(own, TXT, b"\x05hello\x00\x03a b")
    msg += rr(own, CAA, b"\x00\x05issue" + b"letsencrypt.org")
    msg += rr(own, CAA, b"\x80\x05iodef" + b"mailto:x@example.org")
    msg += rr(name("1.2.0.192.in-addr.arpa"), PTR, pointer(12))
    msg += rr(own, 65280, b"\xde\xad\xbe\xef")
    msg += opt(4096, do=True, options=struct.pack(">HH", 10, 8) + b"cookie!!")
    return msg


def escaped_names_query():
    """Labels holding '.', '\\', a space and a high byte, in mixed case."""
    qname = b"\x05a.b\\c\x03x y\x02\xff\x00\x07ExAmPlE\x00"
    return header(0x0102, RD, qd=1) + qname + struct.pack(">HH", TXT, IN)


MALFORMED = {
    "short_header": b"\x12\x34\x01\x00\x00",
    "truncated_name": header(1, RD, qd=1) + b"\x07exam",
    "forward_pointer": header(2, RD, qd=1) + pointer(40) + struct.pack(">HH", A, IN),
    "self_pointer": header(3, RD, qd=1) + pointer(12) + struct.pack(">HH", A, IN),
    "label_type_01": header(4, RD, qd=1) + b"\x41" + b"x" * 2 + b"\x00" + struct.pack(">HH", A, IN),
    "name_too_long": header(5, RD, qd=1) + (b"\x3f" + b"a" * 63) * 4 + b"\x00"
    + struct.pack(">HH", A, IN),
    "trailing_data": query(6, "example.com", A) + b"\x00\x00",
    "a_rdlength_5": header(7, 0x8000, qd=0, an=1) + rr(name("x"), A, b"\x01\x02\x03\x04\x05"),
    "txt_empty_rdata": header(8, 0x8000, an=1) + rr(name("x"), TXT, b""),
    "txt_overrun": header(9, 0x8000, an=1) + rr(name("x"), TXT, b"\x09abc"),
    "caa_empty_tag": header(10, 0x8000, an=1) + rr(name("x"), CAA, b"\x00\x00value"),
    "rdlength_past_end": header(11, 0x8000, an=1) + name("x") + struct.pack(">HHIH", A, IN, 0, 50),
    "count_too_high": header(12, RD, qd=3) + question("example.com", A),
}


def dns_queries():
    """Queries for the names the dns_responder and dns_tcp_stream targets put in their zones."""
    out = {}
    for qtype, label in ((A, "a"), (AAAA, "aaaa"), (TXT, "txt"), (CAA, "caa"), (MX, "mx")):
        out[f"query_{label}"] = query(0x1000 + qtype, "example.com", qtype)
        out[f"query_{label}_edns"] = query(0x2000 + qtype, "example.com", qtype, {"payload": 1232})
    out["query_a_zone"] = query(0x3001, "a.example", A)
    out["query_aaaa_zone_do"] = query(0x3002, "A.Example", AAAA, {"payload": 4096, "do": True})
    out["query_txt_300_udp512"] = query(0x3003, "_acme-challenge.example", TXT)
    out["query_txt_300_edns"] = query(0x3004, "_acme-challenge.example", TXT, {"payload": 600})
    out["query_caa_zone"] = query(0x3005, "example", CAA)
    out["query_cname_chain"] = query(0x3006, "c1.example", A)
    out["query_cname_loop"] = query(0x3007, "loop1.example", AAAA)
    out["query_cname_to_servfail"] = query(0x3008, "to-sf.example", A)
    out["query_cname_type"] = query(0x3009, "c1.example", CNAME)
    out["query_servfail"] = query(0x300A, "sf.example", A)
    out["query_nxdomain"] = query(0x300B, "nx.example", TXT)
    out["query_ip_literal"] = query(0x300C, "192.0.2.1", A)
    out["query_escaped_cname"] = header(0x300D, RD, qd=1) + b"\x06we ird\x07example\x00" \
        + struct.pack(">HH", TXT, IN)
    out["query_edns_badvers"] = query(0x300E, "a.example", A, {"version": 1})
    out["query_edns_tiny_payload"] = query(0x300F, "a.example", A, {"payload": 100})
    out["query_opcode_status"] = header(0x3010, 0x1000 | RD, qd=1) + question("a.example", A)
    out["query_no_question"] = header(0x3011, RD)
    out["query_two_questions"] = header(0x3012, RD, qd=2) + question("a.example", A) \
        + pointer(12) + struct.pack(">HH", TXT, IN)
    out["query_root_ns"] = query(0x3013, ".", NS)
    out["query_response_bit"] = header(0x3014, 0x8000 | RD, qd=1) + question("a.example", A)
    return out


def write(directory, files):
    path = os.path.join(HERE, directory)
    os.makedirs(path, exist_ok=True)
    for file_name, data in files.items():
        with open(os.path.join(path, file_name), "wb") as f:
            f.write(data)


def frame(message):
    return struct.pack(">H", len(message)) + message


def main():
    queries = dns_queries()
    messages = dict(queries)
    messages["response_compressed_cname_soa"] = compressed_response()
    messages["response_every_type"] = every_type_response()
    messages["query_escaped_names"] = escaped_names_query()
    messages.update({f"malformed_{k}": v for k, v in MALFORMED.items()})
    write("dns_message", messages)

    responder = dict(queries)
    responder["query_escaped_names"] = escaped_names_query()
    responder["malformed_short_header"] = MALFORMED["short_header"]
    responder["malformed_truncated_name"] = MALFORMED["truncated_name"]
    responder["one_byte"] = b"\x01"
    write("dns_responder", responder)

    # dns_tcp_stream: byte 0 picks the chunk sizes, the rest is the TCP stream.
    a = queries["query_a_zone"]
    txt = queries["query_txt_300_udp512"]
    chain = queries["query_cname_chain"]
    write("dns_tcp_stream", {
        "one_frame": b"\x00" + frame(a),
        "three_frames_chunk2": b"\x01" + frame(a) + frame(txt) + frame(chain),
        "three_frames_chunk64": b"\x3f" + frame(a) + frame(txt) + frame(chain),
        "partial_last_frame": b"\x05" + frame(a) + frame(txt)[:9],
        "zero_length_closes": b"\x02" + frame(a) + b"\x00\x00" + frame(txt),
        "oversize_length_closes": b"\x03" + frame(a) + struct.pack(">H", 4097) + b"\x00" * 32,
        "max_length_frame": b"\x04" + struct.pack(">H", 4096) + a + b"\x00" * (4096 - len(a)),
        "garbage_frame_formerr": b"\x06" + frame(b"\xab\xcd\x01") + frame(a),
        "one_byte_frame": b"\x07" + frame(b"\xab") + frame(a),
        "response_frame_ignored": b"\x08" + frame(queries["query_response_bit"]) + frame(a),
        "edns_frames": b"\x09" + frame(queries["query_aaaa_zone_do"])
        + frame(queries["query_edns_badvers"]),
        "length_only": b"\x0a\x00",
    })


if __name__ == "__main__":
    main()
