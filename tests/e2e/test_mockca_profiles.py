"""ACME profiles (draft-ietf-acme-profiles) as Pebble has them (pebble.md §1.2, §2.3, §2.5, §2.8),
with mockca's one deliberate difference: an order that names no profile gets "default" when it is
offered, else the first profile name in sorted order (Pebble picks one at random).

mockca is started with a generated Pebble config holding `profiles`; orders are completed with
dns-01 through the embedded mockdns (`/set-txt`) by the raw probe, and the issued leaf is read.
Runs under Debian's python3: /usr/bin/python3 -m pytest -p no:cacheprovider -n 2 <this file>
"""
import json
import secrets

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

from acme_probe import Key, Probe, expect_problem, make_csr
from conftest import MOCKCA_TLS_ROOT, start_mockca, stop_checked

DAY = 24 * 3600
# Pebble's shipped test/config/pebble-config.json profiles, plus one with promoteCommonName.
PROFILES = {
    "default": {"description": "The profile you know and love", "validityPeriod": 7776000},
    "shortlived": {"description": "A short-lived cert profile, without actual enforcement",
                   "validityPeriod": 518400},
    "named": {"description": "90 days, the first name promoted to the CN",
              "promoteCommonName": True},  # no validityPeriod: Pebble's 90 days
}
ENV = {"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"}


def start_with_profiles(tmp_path, profiles):
    config = tmp_path / "pebble-config.json"
    config.write_text(json.dumps({"pebble": {"profiles": profiles}}, indent=2))
    return start_mockca("-config", str(config), extra_env=ENV)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    mockca = start_with_profiles(tmp_path_factory.mktemp("profiles"), PROFILES)
    yield mockca
    stop_checked(mockca, "mockca")


@pytest.fixture(scope="module")
def probe(server):
    return Probe(server.directory, MOCKCA_TLS_ROOT)


@pytest.fixture(scope="module")
def account(probe):
    return probe.new_account()


def unique(tag):
    return f"{tag}-{secrets.token_hex(4)}.profiles.example"


def issue(probe, account, mockdns, names, **fields):
    """newOrder with fields (e.g. profile=...), dns-01 for every authz, finalize, download.
    Returns (the order as newOrder answered it, the order once valid, the leaf)."""
    created = probe.new_order(account, names, **fields)
    for authz_url in created["authorizations"]:
        assert probe.solve_dns01(account, authz_url, mockdns)["status"] == "valid"
    ready = probe.wait_status(account, created["url"], ("ready", "invalid"))
    assert ready["status"] == "ready", ready
    probe.finalize(account, created, make_csr(Key("p256"), names))
    valid = probe.wait_status(account, created["url"], ("valid", "invalid"))
    assert valid["status"] == "valid", valid
    chain = probe.fetch(account, valid["certificate"]).text
    return created, valid, x509.load_pem_x509_certificate(chain.encode())


def lifetime(leaf):
    """notAfter - notBefore in seconds (Pebble: validity - 1 s)."""
    not_before = getattr(leaf, "not_valid_before_utc", None) or leaf.not_valid_before
    not_after = getattr(leaf, "not_valid_after_utc", None) or leaf.not_valid_after
    return int((not_after - not_before).total_seconds())


def common_names(leaf):
    return [a.value for a in leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def test_directory_meta_lists_the_profiles(probe):
    """S-PROF-01, S-DIR-07: meta.profiles is {name: description}, as configured."""
    assert probe.dir["meta"]["profiles"] == {
        name: profile["description"] for name, profile in PROFILES.items()}


@pytest.mark.parametrize("profile, days", [("shortlived", 6), ("default", 90)])
def test_a_named_profile_sets_the_leaf_validity(probe, account, server, profile, days):
    """S-PROF-03, S-FIN-08: the order shows the profile; the leaf lives validityPeriod - 1 s."""
    names = [unique(profile)]
    created, valid, leaf = issue(probe, account, server, names, profile=profile)
    assert created["profile"] == profile
    assert valid["profile"] == profile
    assert lifetime(leaf) == days * DAY - 1
    assert common_names(leaf) == []  # no promoteCommonName: no CN (Pebble >= 2.5)
    san = leaf.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    assert san.critical  # the subject is empty (RFC 5280 §4.2.1.6)


def test_no_profile_gets_default_every_time(probe, account, server):
    """S-PROF-03: an order without a profile is assigned "default" (Pebble: a random one, so a
    6-day certificate about half the time) and shows it; 90 days."""
    for _ in range(4):  # Pebble would pick shortlived with probability 1 - (1/3)^4
        assert probe.new_order(account, [unique("nameless")])["profile"] == "default"
    created, valid, leaf = issue(probe, account, server, [unique("nameless")])
    assert created["profile"] == valid["profile"] == "default"
    assert lifetime(leaf) == 90 * DAY - 1


def test_promote_common_name_copies_the_first_name(probe, account, server):
    """pebble.md §2.8: promoteCommonName puts the first dns identifier in the subject CN; the SAN
    then is not critical. validityPeriod left out means 90 days (pebble.md §1.2)."""
    names = [unique("first"), unique("second")]
    created, _, leaf = issue(probe, account, server, names, profile="named")
    assert created["profile"] == "named"
    assert common_names(leaf) == [names[0]]
    san = leaf.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    assert not san.critical
    assert sorted(san.value.get_values_for_type(x509.DNSName)) == sorted(names)
    assert lifetime(leaf) == 90 * DAY - 1


@pytest.mark.parametrize("profile", ["classic", "Default", ""])
def test_an_unoffered_profile_is_invalid_profile(probe, account, profile):
    """S-PROF-02: a profile the directory does not advertise → 400 invalidProfile."""
    response = probe.as_account(account, probe.url("newOrder"), {
        "identifiers": [{"type": "dns", "value": unique("bad")}], "profile": profile})
    expect_problem(response, 400, "invalidProfile")


def test_a_profile_that_is_not_a_string_is_malformed(probe, account):
    response = probe.as_account(account, probe.url("newOrder"), {
        "identifiers": [{"type": "dns", "value": unique("bad")}], "profile": ["default"]})
    expect_problem(response, 400, "malformed")


def test_without_default_the_first_sorted_name_is_assigned(tmp_path):
    """S-PROF-03, mockca's deterministic rule: no "default" → the first name in sorted order."""
    mockca = start_with_profiles(tmp_path, {
        "zeta": {"description": "z", "validityPeriod": 3 * DAY},
        "alpha": {"description": "a", "validityPeriod": 2 * DAY},
        "mid": {"description": "m"}})
    try:
        probe = Probe(mockca.directory, MOCKCA_TLS_ROOT)
        account = probe.new_account()
        assert sorted(probe.dir["meta"]["profiles"]) == ["alpha", "mid", "zeta"]
        created, _, leaf = issue(probe, account, mockca, [unique("sorted")])
        assert created["profile"] == "alpha"
        assert lifetime(leaf) == 2 * DAY - 1
    finally:
        stop_checked(mockca, "mockca")


def test_without_a_config_pebbles_default_profile_is_offered():
    """No config (or a config without `profiles`): Pebble's built-in
    {"default": "The default profile"}, 90 days; naming anything else is invalidProfile."""
    mockca = start_mockca(extra_env=ENV)
    try:
        probe = Probe(mockca.directory, MOCKCA_TLS_ROOT)
        assert probe.dir["meta"]["profiles"] == {"default": "The default profile"}
        account = probe.new_account()
        assert probe.new_order(account, [unique("plain")])["profile"] == "default"
        response = probe.as_account(account, probe.url("newOrder"), {
            "identifiers": [{"type": "dns", "value": unique("plain")}], "profile": "shortlived"})
        expect_problem(response, 400, "invalidProfile")
    finally:
        stop_checked(mockca, "mockca")
