"""The client conformance report (issue 6; conformance.md Part B) end to end.

A careful client (acme_probe's happy path) gets no FAIL; a deliberately broken client, one bad habit
per request, gets each matching rule flagged with the request that shows it. The report is read
from mockca's management API as JSON and as HTML, and written by --report-on-exit.
Runs under Debian's python3: /usr/bin/python3 -m pytest -p no:cacheprovider <this file>
"""
import json
import urllib.parse

from acme_probe import Key, Probe, b64u, make_csr, raw_exchange
from conftest import MOCKCA_TLS_ROOT, start_mockca, stop_checked


def report_of(server, account=None):
    path = "/conformance-report"
    if account:
        path += "?account=" + urllib.parse.quote(account, safe="")
    status, text = server.management_get(path)
    assert status == 200, text
    return json.loads(text)


def findings_of(client):
    return {finding["rule"]: finding for finding in client["findings"]}


def verdicts(client):
    return {rule: finding["verdict"] for rule, finding in findings_of(client).items()}


def only_client(report):
    [client] = report["clients"]
    return client


def careful_probe(server):
    probe = Probe(server.directory, str(MOCKCA_TLS_ROOT))
    probe.session.headers["Accept-Language"] = "en"
    return probe


def test_careful_client_gets_no_fail(mockca):
    """A whole issuance by a client that follows the rules: no FAIL; the passive rules it
    exercised say PASS with evidence; none of them defaults to PASS without a situation."""
    probe = careful_probe(mockca)
    account = probe.new_account()
    names = ["careful.example.test"]
    probe.issue(account, names, mockca)
    client = only_client(report_of(mockca, account.url))
    assert client["accountUrl"] == account.url
    judged = verdicts(client)
    fails = {rule: f for rule, f in findings_of(client).items() if f["verdict"] == "FAIL"}
    assert not fails, json.dumps(fails, indent=1)
    for rule in ("C-HTTP-01", "C-NONCE-01", "C-NONCE-02", "C-JWS-05", "C-JWS-06", "C-PAG-01",
                 "C-CHAL-02", "C-FIN-03"):
        assert judged.get(rule) == "PASS", (rule, findings_of(client).get(rule))
        assert findings_of(client)[rule]["evidence"], rule
    # Nothing was revoked: that rule's situation never arose.
    assert judged.get("C-REV-01") == "NOT-TESTED"
    # The anonymous directory and newNonce requests of the same User-Agent are this client's.
    kinds = {entry["kind"] for entry in client["timeline"]}
    assert {"directory", "newAccount", "newOrder", "finalize", "certificate"} <= kinds, kinds


def test_broken_client_gets_each_rule_flagged(mockca):
    """One bad habit per request; each is flagged with that request as evidence."""
    probe = careful_probe(mockca)
    account = probe.new_account()
    order = probe.new_order(account, ["broken.example.test"])
    expected = {}

    # C-NONCE-02: one nonce twice.
    nonce = probe.nonce()
    first = probe.as_account(account, order["url"], None, nonce=nonce)
    reused = probe.as_account(account, order["url"], None, nonce=nonce)
    assert first.status_code == 200 and reused.status_code == 400
    expected["C-NONCE-02"] = "FAIL"

    # C-PAG-01 / C-PAG-02: a plain GET of the order.
    assert probe.request("GET", order["url"], content_type=None).status_code == 405
    expected["C-PAG-01"] = "FAIL"
    expected["C-PAG-02"] = "FAIL"

    # C-JWS-05: the JWS url is not the request URL.
    wrong = probe.post(order["url"], probe.jws(account.key, order["url"] + "?x", None,
                                               kid=account.url))
    assert wrong.status_code in (401, 403), wrong.text
    expected["C-JWS-05"] = "FAIL"

    # C-JWS-06: POST without application/jose+json.
    plain = probe.post(order["url"], probe.jws(account.key, order["url"], None, kid=account.url),
                       content_type="application/json")
    assert plain.status_code == 415
    expected["C-JWS-06"] = "FAIL"

    # C-HTTP-06: a padded protected header.
    header = {"alg": "ES256", "kid": account.url, "nonce": probe.nonce(), "url": order["url"]}
    padded = b64u(json.dumps(header).encode()) + "="
    assert probe.post(order["url"], probe.jws(account.key, order["url"], None, kid=account.url,
                                              protected_b64=padded)).status_code == 400
    expected["C-HTTP-06"] = "FAIL"

    # C-HTTP-01: a signed request without User-Agent (raw: HTTP libraries add their own).
    body = json.dumps(probe.jws(account.key, order["url"], None, kid=account.url)).encode()
    target = urllib.parse.urlsplit(order["url"])
    head = (f"POST {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
            f"Content-Type: application/jose+json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close").encode()
    assert raw_exchange(order["url"], head, body, MOCKCA_TLS_ROOT).status_code == 200
    expected["C-HTTP-01"] = "FAIL"

    # C-CHAL-02 and C-JWS-09: a challenge answered with keyAuthorization instead of {}.
    authz = probe.fetch(account, order["authorizations"][0]).json()
    challenge = next(c for c in authz["challenges"] if c["type"] == "dns-01")
    probe.as_account(account, challenge["url"],
                     {"keyAuthorization": probe.key_authorization(account, challenge["token"])})
    expected["C-CHAL-02"] = "FAIL"
    expected["C-JWS-09"] = "NOTE"

    client = only_client(report_of(mockca, account.url))
    judged = verdicts(client)
    for rule, verdict in expected.items():
        assert judged.get(rule) == verdict, (rule, findings_of(client).get(rule))
        assert findings_of(client)[rule]["evidence"], rule
    timeline_ids = {entry["id"] for entry in client["timeline"]}
    for rule in expected:
        for evidence in findings_of(client)[rule]["evidence"]:
            assert evidence["id"] in timeline_ids


def test_jwk_on_new_order_and_ignored_retry_after(mockca):
    """C-JWS-03 (jwk outside newAccount/revokeCert) and C-RL-02 (a 503's Retry-After ignored)."""
    probe = careful_probe(mockca)
    account = probe.new_account()
    identifiers = {"identifiers": [{"type": "dns", "value": "hasty.example.test"}]}
    with_jwk = probe.post(probe.url("newOrder"),
                          probe.jws(account.key, probe.url("newOrder"), identifiers))
    assert with_jwk.status_code in (400, 401), with_jwk.text
    mockca.add_faults({"where": "newOrder", "fault": "error", "status": 503, "retryAfter": 30,
                       "times": 1})
    busy = probe.as_account(account, probe.url("newOrder"), identifiers)
    assert busy.status_code == 503
    again = probe.as_account(account, probe.url("newOrder"), identifiers)
    assert again.status_code == 201
    report = report_of(mockca, account.url)
    client = only_client(report)
    judged = verdicts(client)
    assert judged.get("C-JWS-03") == "FAIL", findings_of(client).get("C-JWS-03")
    assert judged.get("C-RL-02") == "NOTE", findings_of(client).get("C-RL-02")
    assert report["faults"]["faults"], report["faults"]  # the active rules are in the report
    faulted = [entry for entry in client["timeline"] if entry["faults"]]
    assert [entry["status"] for entry in faulted] == [503]


def test_html_report_and_reset(mockca):
    probe = careful_probe(mockca)
    account = probe.new_account()
    refused = probe.as_account(account, probe.url("newOrder"), {
        "identifiers": [{"type": "dns", "value": "<b>html</b>.example.test"}]})
    assert refused.status_code == 400
    status, page = mockca.management_get("/conformance-report.html")
    assert status == 200
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "<svg" in page and "C-NONCE-02" in page
    assert "<b>html</b>" not in page  # client-controlled text is escaped
    assert mockca.management_request("POST", "/conformance-report/reset")[0] == 200
    assert report_of(mockca)["clients"] == []


def test_report_on_exit(tmp_path):
    path = tmp_path / "report.json"
    server = start_mockca("--report-on-exit", str(path))
    try:
        probe = careful_probe(server)
        probe.new_account()
    finally:
        stop_checked(server, "mockca")
    report = json.loads(path.read_text())
    [client] = report["clients"]
    assert client["accountUrl"] and client["findings"]


def test_challenge_answered_before_provisioning_is_flagged_from_the_va_probe(mockca):
    """C-CHAL-03 from the VA probe log: the client answers dns-01 without publishing the TXT
    record; the VA's one probe finds nothing, the report says WARN with the answer as evidence,
    lists the probe, and the state history shows the challenge going invalid."""
    probe = careful_probe(mockca)
    account = probe.new_account()
    order = probe.new_order(account, ["early.example.test"])
    authz_url = order["authorizations"][0]
    authz = probe.fetch(account, authz_url).json()
    challenge = next(c for c in authz["challenges"] if c["type"] == "dns-01")
    answer = probe.as_account(account, challenge["url"], {})
    assert answer.status_code == 200
    assert probe.wait_status(account, authz_url, ("valid", "invalid"))["status"] == "invalid"

    client = only_client(report_of(mockca, account.url))
    [va_probe] = client["vaProbes"]
    assert va_probe["challenge"] == "dns-01"
    assert va_probe["target"] == "TXT _acme-challenge.early.example.test"
    assert va_probe["valid"] is False
    assert va_probe["problem"] == "urn:ietf:params:acme:error:unauthorized"
    finding = findings_of(client)["C-CHAL-03"]
    assert finding["verdict"] == "WARN", finding
    [evidence] = finding["evidence"]
    assert evidence["url"] == challenge["url"] and evidence["method"] == "POST"
    assert "found nothing" in finding["summary"]
    assert findings_of(client)["C-CHAL-05"]["verdict"] == "NOT-TESTED"
    changes = [(c["object"], c["url"], c["to"]) for c in client["stateHistory"]]
    assert ("challenge", challenge["url"], "invalid") in changes
    assert ("authz", authz_url, "invalid") in changes


def test_a_dropped_answer_is_recorded_as_none_and_judged_by_nothing(mockca):
    """F-CONN-RESET: finalize is processed but its connection closes without a response. The
    timeline says so (status 0, brokenDelivery "closed"); no rule judges the client by an answer
    it never got: fetching the order afterwards is no C-ORD-02 violation (the URL came from the
    newOrder answer), and the nonce the dropped answer carried was never handed out."""
    import requests

    mockca.add_faults([{"id": "lost", "where": "finalize", "fault": "dropAfter", "times": 1}])
    probe = careful_probe(mockca)
    account = probe.new_account()
    names = ["dropped.example.test"]
    order = probe.ready_order(account, names, mockca)
    try:
        probe.finalize(account, order, make_csr(Key("p256"), names))
        raise AssertionError("the finalize answer should have been dropped")
    except requests.exceptions.ConnectionError:
        pass
    body = probe.wait_status(account, order["url"], ("valid", "invalid"))
    assert body["status"] == "valid", body
    probe.fetch(account, body["certificate"])
    client = only_client(report_of(mockca, account.url))
    [finalize] = [entry for entry in client["timeline"] if entry["kind"] == "finalize"]
    assert finalize["status"] == 0 and finalize["brokenDelivery"] == "closed", finalize
    assert finalize["faults"] == ["lost"]
    fails = {rule: f for rule, f in findings_of(client).items() if f["verdict"] == "FAIL"}
    assert not fails, json.dumps(fails, indent=1)
