"""mockca's ACME Renewal Information (RFC 9773) end to end, as Pebble offers it (pebble.md §2.10,
§2.5, §3): S-ARI-01..06.

A raw probe (acme_probe.py) issues certificates through the embedded mockdns, fetches their
renewalInfo with an unauthenticated GET, revokes one and sees its window move into the past, sets
a custom answer through the management API's /set-renewal-info/, and orders a replacement with
`replaces`.
Runs under Debian's python3: /usr/bin/python3 -m pytest -p no:cacheprovider <this file>
"""
import datetime
import functools
import json
import secrets

import pytest
import requests
from cryptography import x509

from acme_probe import (Probe, b64u, describe, expect_problem, leaf_der)
from conftest import MOCKCA_TLS_ROOT, start_mockca, stop_checked

RETRY_AFTER = "21600"  # Pebble's 6 hours (S-ARI-04)


@pytest.fixture(scope="module")
def server():
    mockca = start_mockca()
    yield mockca
    stop_checked(mockca, "mockca")


def unique(tag):
    return f"{tag}-{secrets.token_hex(4)}.ari.example"


def cert_id(chain_pem):
    """RFC 9773 §4.1: b64url(AKI keyIdentifier) "." b64url(serial DER content octets)."""
    cert = x509.load_pem_x509_certificate(chain_pem.encode())
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    serial = cert.serial_number
    return f"{b64u(aki.key_identifier)}.{b64u(serial.to_bytes(serial.bit_length() // 8 + 1, 'big'))}"


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class World:
    def __init__(self, server):
        self.server = server
        self.p = Probe(server.directory, MOCKCA_TLS_ROOT)

    @functools.cached_property
    def alice(self):
        return self.p.new_account()

    @functools.cached_property
    def bob(self):
        return self.p.new_account()

    @property
    def renewal_info(self):
        url = self.p.dir.get("renewalInfo")
        assert url, "the directory has no renewalInfo (S-ARI-01)"
        return url

    def issue(self, tag):
        """(order, chain PEM, certID) of a fresh certificate of alice's."""
        order, _, chain = self.p.issue(self.alice, [unique(tag)], self.server)
        return order, chain, cert_id(chain)

    def ari(self, cid, method="GET"):
        return self.p.request(method, f"{self.renewal_info}/{cid}", content_type=None)

    def set_renewal_info(self, chain, text):
        url = f"https://{self.server.ready['management'][0]}/set-renewal-info/"
        return requests.post(url, data=json.dumps({"certificate": chain, "ariResponse": text}),
                             verify=str(MOCKCA_TLS_ROOT), timeout=10)


@pytest.fixture(scope="module")
def world(server):
    return World(server)


def test_directory_offers_renewal_info(world):
    """S-ARI-01, S-DIR-07: a renewalInfo URL, without a trailing slash, as Pebble's."""
    assert world.renewal_info.endswith("/draft-ietf-acme-ari-03/renewalInfo")


def test_window_of_a_fresh_certificate(world):
    """S-ARI-02..04: unauthenticated GET, suggestedWindow at 2/3 of the validity ±24 h."""
    _, chain, cid = world.issue("fresh")
    response = world.ari(cid)
    assert response.status_code == 200, describe(response)
    assert response.headers.get("Retry-After") == RETRY_AFTER
    assert "rel=\"index\"" in response.headers.get("Link", "")
    assert "Replay-Nonce" not in response.headers
    body = response.json()
    assert "explanationURL" not in body  # not configured
    start = parse_time(body["suggestedWindow"]["start"])
    end = parse_time(body["suggestedWindow"]["end"])
    assert end > start  # S-ARI-03
    cert = x509.load_pem_x509_certificate(chain.encode())
    utc = datetime.timezone.utc
    not_before = getattr(cert, "not_valid_before_utc", None) or cert.not_valid_before.replace(
        tzinfo=utc)
    not_after = getattr(cert, "not_valid_after_utc", None) or cert.not_valid_after.replace(
        tzinfo=utc)
    assert not_before <= start and end <= not_after
    ideal = not_before + (not_after - not_before) * 2 / 3
    assert abs((start + (end - start) / 2) - ideal) < datetime.timedelta(hours=25)
    assert world.ari(cid, "HEAD").status_code == 200


def test_errors(world):
    """S-ARI-02: a malformed certID is 400 malformed; an unknown serial is 404; POST is refused."""
    _, _, cid = world.issue("errors")
    aki = cid.split(".")[0]
    response = world.ari("no-dot-here")
    expect_problem(response, 400, "malformed", post=False)
    assert response.headers.get("Retry-After") == RETRY_AFTER  # S-ARI-04, errors too
    unknown, unsigned = b64u(bytes([1, 2, 3])), b64u(bytes([0x87, 0x65]))
    expect_problem(world.ari(f"{aki}.{unknown}"), 404, "malformed", post=False)
    # C-ARI-01 / Cert Warden: the serial's DER sign byte left out reads as a negative serial.
    expect_problem(world.ari(f"{aki}.{unsigned}"), 400, "malformed", post=False)
    assert world.ari(cid, "POST").status_code == 405  # C-ARI-02: ARI is a GET


def test_revocation_moves_the_window_into_the_past(world):
    """S-REV-05, S-ARI-06: a revoked certificate's window is an hour ago."""
    _, chain, cid = world.issue("revoked")
    response = world.p.as_account(world.alice, world.p.url("revokeCert"),
                                  {"certificate": b64u(leaf_der(chain))})
    assert response.status_code == 200, describe(response)
    body = world.ari(cid).json()
    now = datetime.datetime.now(datetime.timezone.utc)
    start = parse_time(body["suggestedWindow"]["start"])
    end = parse_time(body["suggestedWindow"]["end"])
    assert end - start == datetime.timedelta(seconds=1)
    assert end < now - datetime.timedelta(minutes=55)


def test_set_renewal_info_overrides_the_answer(world):
    """pebble.md §3: /set-renewal-info/ makes renewalInfo answer the string verbatim."""
    _, chain, cid = world.issue("override")
    bad = world.set_renewal_info("not a pem", "{}")
    assert bad.status_code == 400 and "malformed" in bad.text
    custom = '{"suggestedWindow":{"start":"2000-01-01T00:00:00Z","end":"1999-01-01T00:00:00Z"}}'
    response = world.set_renewal_info(chain, custom)
    assert response.status_code == 200, describe(response)
    answer = world.ari(cid)  # skips until renewalInfo is wired
    assert answer.status_code == 200
    assert answer.text == custom
    assert answer.headers.get("Content-Type") == "application/json"
    assert answer.headers.get("Retry-After") == RETRY_AFTER


def test_replaces_orders_a_replacement(world):
    """S-ARI-05: an accepted `replaces` is echoed; a second one is 409 alreadyReplaced; another
    account gets 403; no identifier in common is refused."""
    order, _, cid = world.issue("replaced")
    name = order["identifiers"][0]["value"]
    replacement = world.p.new_order(world.alice, [name], replaces=cid)
    assert replacement.get("replaces") == cid  # echoed (S-ARI-05)
    identifiers = [{"type": "dns", "value": name}]
    again = world.p.as_account(world.alice, world.p.url("newOrder"),
                               {"identifiers": identifiers, "replaces": cid})
    expect_problem(again, 409, "alreadyReplaced")

    _, _, other = world.issue("foreign")
    response = world.p.as_account(world.bob, world.p.url("newOrder"),
                                  {"identifiers": identifiers, "replaces": other})
    expect_problem(response, 403, "unauthorized")
    response = world.p.as_account(world.alice, world.p.url("newOrder"),
                                  {"identifiers": [{"type": "dns", "value": unique("other")}],
                                   "replaces": other})
    expect_problem(response, 400, "malformed")


def test_explanation_url_when_configured(mockca_factory):
    """S-ARI-03: --ari-explanation-url puts explanationURL into every window."""
    server = mockca_factory("--ari-explanation-url", "https://ca.example/why")
    world = World(server)
    _, _, cid = world.issue("explained")
    response = world.ari(cid)
    assert response.status_code == 200, describe(response)
    assert response.json()["explanationURL"] == "https://ca.example/why"
