"""Differential test: the same scripted sequence of ACME requests sent to Debian's Pebble 2.4.0 and
to mockca, both started the same way (one Pebble-style -config JSON each, `-dnsserver` pointed at a
standalone mockdns, PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0), dns-01
answered through that mockdns's /set-txt for both.

Per step it compares: the HTTP status, the problem type, the media type, the body kind, the
top-level JSON members and their JSON types (one level into the directory's `meta`), the object
`status` value, the presence of Location / Replay-Nonce / Retry-After, every Link relation, and the
number of certificates in a PEM chain. Every difference must be listed in pebble_differences.py
(with the RFC/conformance.md reason); a difference not listed fails the test, and so does a listed
difference that no longer occurs (the allow-list stays honest).

Runs under Debian's python3:
  /usr/bin/python3 -m pytest -p no:cacheprovider -n 2 tests/e2e/test_pebble_differential.py
"""
import json
import os
import pathlib
import re
import secrets
import subprocess
import tempfile
import threading
import time

import pytest

from acme_probe import ACME_ERROR, Account, Key, Probe, b64u, leaf_der, make_csr
from conftest import (make_tls_files, start_mockca_exactly, start_mockdns, stop, stop_checked,
                      wait_for_https, write_pebble_config)
from pebble_differences import DIFFERENCES, VOLATILE

PEBBLE = "/usr/bin/pebble"
SPEC_DIR = pathlib.Path(__file__).resolve().parents[3] / "shared" / "spec"  # ../shared beside the repo
CONFORMANCE = SPEC_DIR / "conformance.md"
PEBBLE_MD = SPEC_DIR / "pebble.md"

# The knobs client CI sets (pebble.md §8): no random sleeps, no nonce rejections, no authz reuse.
PEBBLE_ENV = {"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0", "PEBBLE_AUTHZREUSE": "0"}

ABSENT = None


# --- starting both servers the same way -------------------------------------------------------

class Server:
    """One server under test: its directory URL, the CA file to trust, its mockdns, a stopper."""

    def __init__(self, name, directory, ca_file, dns, stopper):
        self.name, self.directory, self.ca_file, self.dns = name, directory, ca_file, dns
        self.stopper = stopper


def start_pebble(tmp, dns):
    cert, key = make_tls_files(tmp)
    config, directory = write_pebble_config(tmp, cert, key, dns)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEBBLE_", "MOCKCA_"))}
    env.update(PEBBLE_ENV)
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([PEBBLE, "-config", str(config),
                                "-dnsserver", f"127.0.0.1:{dns.port('dnsserver')}"],
                               stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp)
    try:
        wait_for_https(directory, cert)
    except RuntimeError:
        stop(process)
        log.seek(0)
        raise RuntimeError(f"pebble did not start: {log.read()[-2000:]}")

    def stopper():
        alive = process.poll() is None
        stop(process)
        log.seek(0)
        text = log.read()
        log.close()
        assert alive, f"pebble died during the test:\n{text[-3000:]}"

    return Server("pebble", directory, cert, dns, stopper)


def start_mockca(tmp, dns):
    cert, key = make_tls_files(tmp)
    config, directory = write_pebble_config(tmp, cert, key, dns)
    server = start_mockca_exactly("-config", str(config),
                                  "-dnsserver", f"127.0.0.1:{dns.port('dnsserver')}",
                                  env=PEBBLE_ENV, cwd=tmp)
    assert server.directory == directory, server.ready
    return Server("mockca", directory, cert, dns, lambda: stop_checked(server, "mockca"))


# --- what is compared ----------------------------------------------------------------------------

def json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


LINK_REL = re.compile(r'rel\s*=\s*"?([^";,\s]+)"?', re.I)


def observe(response, extra=None):
    """The comparable shape of a response: {attribute: value}; an absent attribute means absent."""
    rec = {"status": response.status_code}
    content_type = response.headers.get("Content-Type")
    media = content_type.split(";")[0].strip().lower() if content_type else ABSENT
    rec["content_type"] = media
    body = response.content or b""
    parsed = ABSENT
    if not body:
        rec["body"] = "empty"
    else:
        try:
            parsed = json.loads(body)
            rec["body"] = "json-" + json_type(parsed)
        except ValueError:
            rec["body"] = "text"
    if isinstance(parsed, dict):
        if media == "application/problem+json":
            rec["problem"] = str(parsed.get("type", "")).removeprefix(ACME_ERROR)
        for name, value in parsed.items():
            rec[f"field:{name}"] = json_type(value)
        if isinstance(parsed.get("meta"), dict):
            for name, value in parsed["meta"].items():
                rec[f"field:meta.{name}"] = json_type(value)
        if isinstance(parsed.get("status"), str):
            rec["value:status"] = parsed["status"]
    for header in ("Location", "Replay-Nonce", "Retry-After", "Allow"):
        if response.headers.get(header):
            rec[f"header:{header}"] = "present"
    for rel in LINK_REL.findall(response.headers.get("Link", "")):
        rec[f"link:{rel}"] = "present"
    if media == "application/pem-certificate-chain":
        rec["pem_certificates"] = response.text.count("-----BEGIN CERTIFICATE-----")
    rec.update(extra or {})
    return rec


# --- the scripted sequence -----------------------------------------------------------------------

def run_sequence(server, label):
    """Sends the whole sequence to one server; returns {step id: observation}. A step that cannot
    be taken because an earlier one went wrong ends the sequence with a `sequence.aborted` step
    (which then shows up as a difference)."""
    steps = {}
    try:
        _sequence(server, label, steps)
    except Exception as error:  # noqa: BLE001 - reported as a difference
        steps["sequence.aborted"] = {"exception": f"{type(error).__name__}: {error}"[:300]}
    return steps


def _sequence(server, label, steps):
    probe = Probe(server.directory, server.ca_file)
    dns = server.dns
    domain = f"{label}.diff.example"  # each server its own names on the shared mockdns
    state = {}

    def step(step_id, action):
        try:
            response = action()
        except Exception as error:  # noqa: BLE001 - reported as a difference
            steps[step_id] = {"exception": f"{type(error).__name__}: {error}"[:300]}
            return None
        steps[step_id] = observe(response)
        return response

    def post(url, key, payload, **kw):
        return probe.signed(url, key, payload, **kw)

    def as_acct(url, payload=None, key=None, **kw):
        account = state["account"]
        return probe.signed(url, key or account["key"], payload, kid=account["url"], **kw)

    # Directory and nonces
    step("directory", lambda: probe.get(server.directory))
    step("nonce.head", lambda: probe.session.head(probe.url("newNonce"), timeout=10))
    step("nonce.get", lambda: probe.get(probe.url("newNonce")))

    # Accounts
    key = Key("p256")
    step("account.new_without_tos", lambda: post(probe.url("newAccount"), key,
                                                 {"contact": [f"mailto:a@{domain}"]}))
    response = step("account.new", lambda: post(
        probe.url("newAccount"), key,
        {"termsOfServiceAgreed": True, "contact": [f"mailto:a@{domain}"]}))
    state["account"] = {"key": key, "url": response.headers["Location"]}
    step("account.new_existing_key", lambda: post(probe.url("newAccount"), key,
                                                  {"termsOfServiceAgreed": True}))
    step("account.only_return_existing_unknown", lambda: post(
        probe.url("newAccount"), Key("p256"), {"onlyReturnExisting": True}))
    acct_url = state["account"]["url"]
    step("account.fetch", lambda: as_acct(acct_url))
    step("account.update_contact", lambda: as_acct(acct_url, {"contact": [f"mailto:b@{domain}"]}))
    step("account.update_status_valid", lambda: as_acct(acct_url, {"status": "valid"}))
    other_key = Key("p256")
    other = post(probe.url("newAccount"), other_key, {"termsOfServiceAgreed": True})
    other_url = other.headers.get("Location")

    # Orders
    def new_order(identifiers):
        return as_acct(probe.url("newOrder"), {"identifiers": identifiers})

    response = step("order.new_dns", lambda: new_order([{"type": "dns", "value": domain}]))
    order_url = response.headers.get("Location")
    order = response.json()
    response = step("order.new_wildcard",
                    lambda: new_order([{"type": "dns", "value": f"*.w.{domain}"}]))
    wildcard_authz_url = response.json()["authorizations"][0]
    step("order.new_ip", lambda: new_order([{"type": "ip", "value": "127.0.0.1"}]))
    step("order.new_ip_noncanonical", lambda: new_order([{"type": "ip", "value": "2001:DB8::1"}]))
    step("order.new_bad_dns_underscore", lambda: new_order(
        [{"type": "dns", "value": f"under_score.{domain}"}]))
    step("order.new_bad_dns_trailing_dot", lambda: new_order([{"type": "dns",
                                                               "value": f"dot.{domain}."}]))
    step("order.new_bad_dns_ip_literal", lambda: new_order([{"type": "dns", "value": "10.0.0.1"}]))
    step("order.new_bad_dns_inner_wildcard", lambda: new_order(
        [{"type": "dns", "value": f"a.*.{domain}"}]))
    step("order.new_empty", lambda: new_order([]))
    step("order.new_unknown_type", lambda: new_order([{"type": "email",
                                                       "value": f"x@{domain}"}]))
    step("order.fetch", lambda: as_acct(order_url))
    step("order.fetch_foreign", lambda: probe.signed(order_url, other_key, None, kid=other_url))
    authz_url = order["authorizations"][0]
    response = step("authz.fetch", lambda: as_acct(authz_url))
    authz = response.json()
    step("authz.fetch_foreign", lambda: probe.signed(authz_url, other_key, None, kid=other_url))
    challenge = next(c for c in authz["challenges"] if c["type"] == "dns-01")
    step("challenge.fetch", lambda: as_acct(challenge["url"]))
    # On the wildcard order's authz, so that starting a validation there (mockca ignores the
    # member, S-CHAL-03) does not spoil the main order.
    response = step("authz.fetch_wildcard", lambda: as_acct(wildcard_authz_url))
    wildcard_challenge = next(c for c in response.json()["challenges"] if c["type"] == "dns-01")
    step("challenge.post_keyauthorization", lambda: as_acct(
        wildcard_challenge["url"], {"keyAuthorization": "x"}))

    cert_key = Key("p256")
    step("finalize.too_early", lambda: as_acct(order["finalize"],
                                               {"csr": b64u(make_csr(cert_key, [domain]))}))

    # dns-01 through the shared mockdns
    account = Account(key, acct_url, None)
    dns.ok("/set-txt", {"host": f"_acme-challenge.{domain}.",
                        "value": probe.dns01_value(account, challenge["token"])})
    step("challenge.post", lambda: as_acct(challenge["url"], {}))
    step("authz.poll_valid", lambda: poll(probe, account, authz_url, ("valid", "invalid")))
    step("order.poll_ready", lambda: poll(probe, account, order_url, ("ready", "invalid")))
    step("challenge.post_again", lambda: as_acct(challenge["url"], {}))

    # Finalize
    step("finalize.csr_mismatch", lambda: as_acct(
        order["finalize"], {"csr": b64u(make_csr(cert_key, [f"other.{domain}"]))}))
    step("finalize.csr_account_key", lambda: as_acct(
        order["finalize"], {"csr": b64u(make_csr(key, [domain]))}))
    step("finalize.ok", lambda: as_acct(order["finalize"],
                                        {"csr": b64u(make_csr(cert_key, [domain]))}))
    response = step("order.poll_valid",
                    lambda: poll(probe, account, order_url, ("valid", "invalid")))
    cert_url = response.json().get("certificate") if response is not None else None
    step("finalize.again", lambda: as_acct(order["finalize"],
                                           {"csr": b64u(make_csr(cert_key, [domain]))}))
    response = step("certificate.download", lambda: as_acct(cert_url))
    cert_der = leaf_der(response.text)
    step("certificate.download_foreign",
         lambda: probe.signed(cert_url, other_key, None, kid=other_url))
    # Two more orders, so that both servers hold more than a page (3) of non-invalid orders
    # whatever the earlier steps left behind.
    for n in (1, 2):
        new_order([{"type": "dns", "value": f"more{n}.{domain}"}])
    response = step("orders.list", lambda: as_acct(as_acct(acct_url).json()["orders"]))
    next_page = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', response.headers.get("Link", ""))
    step("orders.list_page_2", lambda: as_acct(next_page.group(1)))

    # Revocation
    revoke = probe.url("revokeCert")
    step("revoke.reason_7", lambda: as_acct(revoke, {"certificate": b64u(cert_der), "reason": 7}))
    step("revoke.foreign_account", lambda: probe.signed(
        revoke, other_key, {"certificate": b64u(cert_der)}, kid=other_url))
    step("revoke.ok", lambda: as_acct(revoke, {"certificate": b64u(cert_der), "reason": 1}))
    step("revoke.again", lambda: as_acct(revoke, {"certificate": b64u(cert_der)}))

    # Transport-level errors (a live account)
    step("nonce.bad", lambda: as_acct(probe.url("newOrder"),
                                      {"identifiers": [{"type": "dns", "value": domain}]},
                                      nonce=b64u(secrets.token_bytes(16))))
    step("content_type.wrong", lambda: probe.post(
        acct_url, probe.jws(key, acct_url, None, kid=acct_url), content_type="application/json"))
    step("path.unknown", lambda: probe.get(server.directory.rsplit("/", 1)[0] + "/no-such-path"))
    step("method.wrong", lambda: probe.get(probe.url("newAccount")))
    step("method.get_order", lambda: probe.get(order_url))

    # keyChange
    new_key = Key("p256")

    def key_change(inner_key, old_key):
        url = probe.url("keyChange")
        inner = probe.jws(inner_key, url, {"account": acct_url, "oldKey": old_key.jwk},
                          nonce=None, omit=("nonce",))
        return as_acct(url, inner)

    step("keychange.to_existing_key", lambda: key_change(other_key, key))
    response = step("keychange.ok", lambda: key_change(new_key, key))
    if response is not None and response.status_code == 200:
        state["account"]["key"] = new_key
    step("account.fetch_old_key", lambda: probe.signed(acct_url, key, None, kid=acct_url))
    step("account.fetch_new_key", lambda: as_acct(acct_url))

    # Deactivation
    step("account.deactivate", lambda: as_acct(acct_url, {"status": "deactivated"}))
    step("account.after_deactivation", lambda: as_acct(acct_url))
    step("order.new_after_deactivation", lambda: new_order([{"type": "dns", "value": domain}]))
    step("account.new_deactivated_key", lambda: post(probe.url("newAccount"), new_key,
                                                     {"termsOfServiceAgreed": True}))


def poll(probe, account, url, statuses, timeout=20):
    deadline = time.time() + timeout
    while True:
        response = probe.as_account(account, url)
        assert response.status_code == 200, response.text
        if response.json().get("status") in statuses:
            return response
        assert time.time() < deadline, f"{url} stuck in {response.text}"
        time.sleep(0.05)


# --- comparison ----------------------------------------------------------------------------------

def differences(pebble_steps, mockca_steps):
    """{(step, attribute): (pebble value, mockca value)} for every attribute that differs."""
    found = {}
    for step_id in list(pebble_steps) + [s for s in mockca_steps if s not in pebble_steps]:
        ours, theirs = pebble_steps.get(step_id, {}), mockca_steps.get(step_id, {})
        attributes = sorted(set(ours) | set(theirs))
        if ours.get("status") != theirs.get("status"):
            # A different outcome: the bodies and headers are those of different answers (an
            # object against a problem document), so only the outcome itself is compared.
            attributes = ["exception", "status", "problem"]
        for attribute in attributes:
            if (step_id, attribute) in VOLATILE:
                continue
            if ours.get(attribute) != theirs.get(attribute):
                found[(step_id, attribute)] = (ours.get(attribute), theirs.get(attribute))
    return found


def show(value):
    return "absent" if value is None else repr(value)


def check(found):
    """The failures: unlisted differences, listed ones with other values, listed ones gone."""
    listed = {(d.step, d.what): d for d in DIFFERENCES}
    problems = []
    for (step_id, attribute), (pebble, mockca) in found.items():
        entry = listed.get((step_id, attribute))
        if entry is None:
            problems.append(f"NOT IN ALLOW-LIST  {step_id:40} {attribute:32} "
                            f"pebble={show(pebble)}  mockca={show(mockca)}")
        elif (entry.pebble, entry.mockca) != (pebble, mockca):
            problems.append(f"VALUES CHANGED     {step_id:40} {attribute:32} "
                            f"pebble={show(pebble)}  mockca={show(mockca)}  "
                            f"(listed: pebble={show(entry.pebble)} mockca={show(entry.mockca)})")
    for key, entry in listed.items():
        if key not in found:
            problems.append(f"NO LONGER DIFFERS  {entry.step:40} {entry.what:32} "
                            f"(listed: pebble={show(entry.pebble)} mockca={show(entry.mockca)}; "
                            f"remove it from pebble_differences.py)")
    return problems


@pytest.mark.skipif(not os.path.exists(PEBBLE), reason="Debian's pebble (/usr/bin/pebble) is not "
                    "installed (ci/setup installs the pebble package)")
def test_same_sequence_same_answers_except_the_allow_list(tmp_path):
    dns = start_mockdns("-defaultIPv6", "")  # Pebble's VA would try ::1 first otherwise
    servers, results, errors = [], {}, {}
    try:
        (tmp_path / "pebble").mkdir()
        (tmp_path / "mockca").mkdir()
        servers.append(start_pebble(tmp_path / "pebble", dns))
        servers.append(start_mockca(tmp_path / "mockca", dns))

        def run(server):
            try:
                results[server.name] = run_sequence(server, server.name)
            except Exception as error:  # noqa: BLE001
                errors[server.name] = error

        threads = [threading.Thread(target=run, args=(s,)) for s in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for name, error in errors.items():
            raise AssertionError(f"the sequence broke off on {name}") from error
        hung = [s.name for s in servers if s.name not in results]
        assert not hung, f"the sequence did not finish within 60 s on {hung}"
    finally:
        failures = []
        for server in servers:
            try:
                server.stopper()
            except AssertionError as error:
                failures.append(str(error))
        stop_checked(dns)
        assert not failures, "\n".join(failures)
    report = tmp_path / "observations.json"
    report.write_text(json.dumps(results, indent=1, sort_keys=True))
    found = differences(results["pebble"], results["mockca"])
    problems = check(found)
    assert not problems, (f"{len(problems)} difference(s) between Debian's pebble 2.4.0 and "
                          f"mockca do not match pebble_differences.py (all observations: "
                          f"{report}):\n" + "\n".join(problems))


def test_allow_list_entries_are_complete_and_cite_existing_reasons():
    """Every entry names a step and an attribute, differs in its two values, is listed once, and
    cites an S-* item that exists in conformance.md or a section of pebble.md."""
    ids = set(re.findall(r"^\| (S-[A-Z]+-\d+) \|", CONFORMANCE.read_text(), re.M)) \
        if CONFORMANCE.exists() else None
    seen = set()
    for entry in DIFFERENCES:
        key = (entry.step, entry.what)
        assert key not in seen, f"listed twice: {key}"
        seen.add(key)
        assert entry.step and entry.what and entry.reason.strip(), entry
        assert entry.pebble != entry.mockca, f"not a difference: {entry}"
        cited = re.findall(r"S-[A-Z]+-\d+", entry.reason)
        assert cited or "pebble.md §" in entry.reason, f"no S-* id or pebble.md section: {entry}"
        if ids is not None:
            unknown = [c for c in cited if c not in ids]
            assert not unknown, f"{entry.step} {entry.what}: {unknown} not in {CONFORMANCE}"
