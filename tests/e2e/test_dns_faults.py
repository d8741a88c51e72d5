"""DNS fault injection in mockdns, driven through its /faults management routes and --faults FILE,
checked with dig and c-ares (mockdns-resolve).

Covers the issue's "DNS: SERVFAIL, NXDOMAIN, REFUSED, timeout, truncation, wrong answers, delays"
(conformance.md Part C has no DNS IDs of its own; the rules are faults::Stage::kDns, where "dns").
"""
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import MOCKDNS, dig, resolve


def management(server, method, path, body=None):
    """Sends method path (body: a JSON-able value) to mockdns's management API; returns
    (status, text)."""
    host, port = server.address("management")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://{host}:{port}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def add_faults(server, rules):
    """POSTs rules (one rule or a list) to /faults; returns the ids assigned."""
    status, text = management(server, "POST", "/faults", rules)
    assert status == 200, text
    return json.loads(text)["ids"]


def decisions(server):
    status, text = management(server, "GET", "/faults/log")
    assert status == 200, text
    return json.loads(text)["decisions"]


def dig_run(server, *args, seconds=2):
    """Runs dig against mockdns (one try of `seconds`); returns the CompletedProcess."""
    host, port = server.address("dnsserver")
    return subprocess.run(["dig", f"@{host}", "-p", str(port), f"+time={seconds}", "+tries=1",
                           *args], capture_output=True, text=True, timeout=15)


def status_of(output):
    """The RCODE name from dig's ';; ->>HEADER<<- opcode: QUERY, status: X, id: N' line."""
    for line in output.splitlines():
        if "->>HEADER<<-" in line:
            return line.split("status:")[1].split(",")[0].strip()
    return None


def flags_of(output):
    """dig's ';; flags: qr rd ra; QUERY: 1, ...' flags, as a set."""
    for line in output.splitlines():
        if line.startswith(";; flags:"):
            return set(line.split(":")[1].split(";")[0].split())
    return set()


@pytest.mark.parametrize("transport", ["udp", "tcp"])
@pytest.mark.parametrize("fault,rcode", [("servfail", "SERVFAIL"), ("nxdomain", "NXDOMAIN"),
                                         ("refused", "REFUSED")])
def test_rcode_faults(mockdns, fault, rcode, transport):
    """DNS: SERVFAIL, NXDOMAIN, REFUSED: the RCODE with no answers, for the selected name only."""
    mockdns.ok("/set-txt", {"host": "_acme-challenge.f.example", "value": "token"})
    add_faults(mockdns, {"fault": fault, "where": "dns",
                         "when": {"dnsName": "_acme-challenge.f.example"}})
    tcp = ["+tcp"] if transport == "tcp" else []
    out = dig_run(mockdns, *tcp, "TXT", "_acme-challenge.f.example").stdout
    assert status_of(out) == rcode
    assert "ANSWER: 0" in out
    assert status_of(dig_run(mockdns, *tcp, "TXT", "other.example").stdout) == "NOERROR"


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_timeout_sends_nothing(mockdns, transport):
    """DNS: timeout: no reply at all (over TCP the connection stays open, the query unanswered)."""
    add_faults(mockdns, {"fault": "timeout", "when": {"dnsType": "A"}})
    tcp = ["+tcp"] if transport == "tcp" else []
    result = dig_run(mockdns, *tcp, "A", "quiet.example", seconds=1)
    assert result.returncode != 0
    assert "timed out" in result.stdout + result.stderr
    assert "->>HEADER<<-" not in result.stdout
    # Other types still answer.
    assert dig(mockdns, *tcp, "+short", "AAAA", "quiet.example").split() == ["::1"]


def test_truncate_sets_tc_over_udp_and_answers_over_tcp(mockdns):
    """DNS: truncation: TC and no answers over UDP, so resolvers retry over TCP, which answers."""
    mockdns.ok("/set-txt", {"host": "_acme-challenge.tc.example", "value": "full"})
    add_faults(mockdns, {"fault": "truncate"})
    udp = dig_run(mockdns, "+ignore", "TXT", "_acme-challenge.tc.example").stdout
    assert "tc" in flags_of(udp)
    assert "ANSWER: 0" in udp
    tcp = dig_run(mockdns, "+tcp", "+short", "TXT", "_acme-challenge.tc.example").stdout
    assert tcp.split() == ['"full"']
    # dig and c-ares both fall back to TCP on TC by themselves.
    assert dig(mockdns, "+short", "TXT", "_acme-challenge.tc.example").split() == ['"full"']
    code, lines = resolve(mockdns, "_acme-challenge.tc.example", "TXT")
    assert code == 0 and lines == ["full"]


def test_wrong_answers(mockdns):
    """DNS: wrong answers: the TXT text / the address given in value replaces the real answer."""
    mockdns.ok("/set-txt", {"host": "_acme-challenge.w.example", "value": "right"})
    add_faults(mockdns, [
        {"fault": "wrongAnswer", "value": "wrong", "when": {"dnsType": "TXT"}},
        {"fault": "wrongAnswer", "value": "192.0.2.66",
         "when": {"dnsType": "A", "dnsName": "w.example"}},
    ])
    assert dig(mockdns, "+short", "TXT", "_acme-challenge.w.example").split() == ['"wrong"']
    code, lines = resolve(mockdns, "_acme-challenge.w.example", "TXT", tcp=True)
    assert code == 0 and lines == ["wrong"]
    assert dig(mockdns, "+short", "A", "W.example").split() == ["192.0.2.66"]
    assert dig(mockdns, "+short", "A", "x.example").split() == ["127.0.0.1"]


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_delay_answers_late_without_blocking_others(mockdns, transport):
    """DNS: delays: the answer comes after delayMs; other queries are answered meanwhile."""
    add_faults(mockdns, {"fault": "dnsDelay", "delayMs": 1500,
                         "when": {"dnsName": "slow.example"}})
    tcp = ["+tcp"] if transport == "tcp" else []
    slow = {}

    def ask_slow():
        start = time.monotonic()
        slow["out"] = dig_run(mockdns, *tcp, "+short", "A", "slow.example", seconds=5).stdout
        slow["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=ask_slow)
    thread.start()
    time.sleep(0.2)
    start = time.monotonic()
    assert dig(mockdns, *tcp, "+short", "A", "fast.example").split() == ["127.0.0.1"]
    assert time.monotonic() - start < 1.0
    thread.join(timeout=15)
    assert slow["out"].split() == ["127.0.0.1"]
    assert slow["elapsed"] >= 1.5


def test_delay_combines_with_servfail(mockdns):
    """DNS: delays combine with the other faults."""
    add_faults(mockdns, [{"fault": "dnsDelay", "delayMs": 600}, {"fault": "servfail"}])
    start = time.monotonic()
    out = dig_run(mockdns, "A", "both.example", seconds=4).stdout
    assert time.monotonic() - start >= 0.6
    assert status_of(out) == "SERVFAIL"


def test_log_names_rules_and_delete_restores(mockdns):
    """GET /faults/log shows each decision with its rule id; DELETE /faults restores answers."""
    [servfail] = add_faults(mockdns, {"fault": "servfail", "when": {"dnsType": "TXT"}})
    [refused] = add_faults(mockdns, {"id": "no-caa", "fault": "refused",
                                     "when": {"dnsType": "CAA"}, "times": 1})
    assert refused == "no-caa"
    assert status_of(dig_run(mockdns, "TXT", "Log.Example.").stdout) == "SERVFAIL"
    assert status_of(dig_run(mockdns, "+tcp", "CAA", "log.example").stdout) == "REFUSED"
    assert status_of(dig_run(mockdns, "CAA", "log.example").stdout) == "NOERROR"  # times: 1
    log = decisions(mockdns)
    assert [(d["rule"], d["fault"], d["where"], d["subject"]) for d in log] == [
        (servfail, "servfail", "dns", "TXT log.example over udp"),
        ("no-caa", "refused", "dns", "CAA log.example over tcp"),
    ]
    status, text = management(mockdns, "GET", "/faults")
    assert status == 200
    assert [r["id"] for r in json.loads(text)["faults"]] == [servfail, "no-caa"]

    status, _ = management(mockdns, "DELETE", "/faults")
    assert status == 200
    assert status_of(dig_run(mockdns, "TXT", "log.example").stdout) == "NOERROR"
    status, text = management(mockdns, "GET", "/faults")
    assert json.loads(text)["faults"] == []


def test_delete_one_rule(mockdns):
    [first, second] = add_faults(mockdns, [
        {"fault": "nxdomain", "when": {"dnsName": "one.example"}},
        {"fault": "nxdomain", "when": {"dnsName": "two.example"}}])
    status, _ = management(mockdns, "DELETE", f"/faults/{first}")
    assert status == 200
    assert status_of(dig_run(mockdns, "A", "one.example").stdout) == "NOERROR"
    assert status_of(dig_run(mockdns, "A", "two.example").stdout) == "NXDOMAIN"
    assert management(mockdns, "DELETE", f"/faults/{first}")[0] == 404


def test_challtestsrv_routes_unchanged_beside_faults(mockdns):
    add_faults(mockdns, {"fault": "servfail", "when": {"dnsName": "elsewhere.example"}})
    mockdns.ok("/set-txt", {"host": "kept.example", "value": "v"})
    assert dig(mockdns, "+short", "TXT", "kept.example").split() == ['"v"']
    assert mockdns.post("/no-such-endpoint", {})[0] == 404


def test_faults_file_applies_at_start(mockdns_factory, tmp_path):
    """--faults FILE: the rules are in force from the first query, seeded by --seed."""
    rules = tmp_path / "dns-faults.json"
    rules.write_text(json.dumps({"faults": [
        {"id": "boot", "fault": "nxdomain", "where": "dns", "when": {"dnsName": "gone.example"}}]}))
    server = mockdns_factory("--faults", str(rules), "--seed", "42")
    assert server.ready["seed"] == 42
    assert status_of(dig_run(server, "A", "gone.example").stdout) == "NXDOMAIN"
    assert status_of(dig_run(server, "A", "here.example").stdout) == "NOERROR"
    assert [d["rule"] for d in decisions(server)] == ["boot"]
    status, text = management(server, "GET", "/faults")
    assert json.loads(text)["seed"] == 42


def test_bad_faults_file_exits_non_zero_naming_the_member(tmp_path):
    rules = tmp_path / "bad.json"
    rules.write_text(json.dumps([{"fault": "servfail"}, {"fault": "dnsDelay", "delayMs": "soon"}]))
    result = subprocess.run([str(MOCKDNS), "-dnsserver", ":0", "-http01", "", "-https01", "",
                             "-tlsalpn01", "", "-doh", "", "-management", ":0",
                             "--faults", str(rules)],
                            capture_output=True, text=True, timeout=10)
    assert result.returncode != 0
    assert result.stdout == ""  # no ready line
    assert "faults[1]" in result.stderr and "delayMs" in result.stderr
    assert str(rules) in result.stderr
