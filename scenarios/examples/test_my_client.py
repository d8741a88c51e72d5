"""An example test file for an ACME client project: copy it, replace the client calls with your own.

Run it with Anvil's plugin loaded (PYTHONPATH points at anvil's scenarios/ directory):

    PYTHONPATH=/path/to/anvil/scenarios pytest -p anvil.pytest_plugin test_my_client.py

or put `pytest_plugins = ["anvil.pytest_plugin"]` in your project's top-level conftest.py. mockca
is found at $ANVIL_MOCKCA, else $ANVIL_BUILD_DIR/mockca/cmd/mockca, else Anvil's
build/default.

Each test gets its own mockca on free ports (`anvil_ca`), configured by `@pytest.mark.anvil(...)`;
the client talks to `anvil_ca.directory_url`, trusting `anvil_ca.ca_file`; the test then looks at
what the CA recorded (`fault_log()`, `requests()`, `report()`). Here the client is python3-acme
(a library: the test drives it) and lego (a command).
"""
import datetime
import hashlib
import pathlib
import shutil
import subprocess

import pytest

LIBRARY = pathlib.Path(__file__).resolve().parents[1] / "library"
LEGO = shutil.which("lego")
needs_lego = pytest.mark.skipif(LEGO is None, reason="lego is not installed")


def issue_with_python_acme(ca, names):
    """Registers, orders names, answers dns-01 through the CA's mock DNS, finalizes and returns
    the chain (PEM). Your client would do this part."""
    acme_client = pytest.importorskip("acme.client")
    from acme import crypto_util, messages
    import josepy
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    account_key = josepy.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))
    net = acme_client.ClientNetwork(account_key, alg=josepy.ES256, verify_ssl=ca.ca_file,
                                    user_agent="my-client/1.0 python3-acme")
    client = acme_client.ClientV2(acme_client.ClientV2.get_directory(ca.directory_url, net), net)
    client.new_account(messages.NewRegistration.from_data(email="me@example.com",
                                                          terms_of_service_agreed=True))
    cert_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    order = client.new_order(crypto_util.make_csr(cert_key, names))
    for authz in order.authorizations:
        challenge = next(c for c in authz.body.challenges if c.chall.typ == "dns-01")
        digest = hashlib.sha256(challenge.chall.key_authorization(account_key).encode()).digest()
        ca.set_txt(f"_acme-challenge.{authz.body.identifier.value}.",
                   josepy.b64encode(digest).decode())
        client.answer_challenge(challenge, challenge.chall.response(account_key))
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=30)
    return client.poll_and_finalize(order, deadline).fullchain_pem


def verifies_under_root(ca, chain_pem, directory):
    """openssl verify of the leaf under the CA's root (/roots/0), the rest as intermediates."""
    blocks = chain_pem.split("-----END CERTIFICATE-----")
    leaf, rest = directory / "leaf.pem", directory / "rest.pem"
    leaf.write_text(blocks[0] + "-----END CERTIFICATE-----\n")
    rest.write_text("-----END CERTIFICATE-----".join(blocks[1:]).strip() + "\n")
    result = subprocess.run(["openssl", "verify", "-CAfile", str(ca.root_file(directory)),
                             "-untrusted", str(rest), str(leaf)], capture_output=True, text=True)
    return result.returncode == 0


def test_issues_a_certificate_with_dns_01(anvil_ca, tmp_path):
    chain = issue_with_python_acme(anvil_ca, ["www.example.test"])
    assert verifies_under_root(anvil_ca, chain, tmp_path)
    kinds = [request["kind"] for request in anvil_ca.requests()]
    assert kinds.count("newOrder") == 1 and kinds.count("finalize") == 1
    report = anvil_ca.report()
    fails = [f["rule"] for client in report["clients"] for f in client["findings"]
             if f["verdict"] == "FAIL"]
    assert fails == [], f"conformance failures: {fails}"


@pytest.mark.anvil(faults=[{"id": "one-bad-nonce", "where": "newOrder", "fault": "badNonce",
                            "times": 1}])
def test_retries_a_bad_nonce(anvil_ca, tmp_path):
    chain = issue_with_python_acme(anvil_ca, ["nonce.example.test"])
    assert verifies_under_root(anvil_ca, chain, tmp_path)
    fired = anvil_ca.fault_log()
    assert [entry["rule"] for entry in fired] == ["one-bad-nonce"]
    new_orders = [r for r in anvil_ca.requests() if r["kind"] == "newOrder"]
    assert [r["status"] for r in new_orders] == [400, 201]  # refused once, then retried


@needs_lego
@pytest.mark.anvil(env={"PEBBLE_VA_NOSLEEP": "1"}, seed=7,
                   faults=[{"id": "storm", "fault": "badNonce", "when": {"probability": 0.3}}])
def test_lego_survives_a_nonce_storm(anvil_ca, tmp_path):
    result = subprocess.run(
        [LEGO, "--server", anvil_ca.directory_url, "--accept-tos", "--email", "me@example.com",
         "--path", str(tmp_path / "lego"), "--domains", "storm.example.test", "--http",
         "--http.port", f"127.0.0.1:{anvil_ca.http_port}", "run"],
        env={"LEGO_CA_CERTIFICATES": anvil_ca.ca_file, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    chain = (tmp_path / "lego" / "certificates" / "storm.example.test.crt").read_text()
    assert verifies_under_root(anvil_ca, chain, tmp_path)
    assert anvil_ca.fault_log(), "the storm should have refused some nonces"
    verdicts = {f["rule"]: f["verdict"] for client in anvil_ca.report()["clients"]
                for f in client["findings"]}
    assert verdicts["C-NONCE-03"] == "PASS"  # retried with the nonce of each badNonce error


def test_two_cas_from_the_factory(anvil_ca_factory):
    plain = anvil_ca_factory()
    chains = anvil_ca_factory(env={"PEBBLE_ALTERNATE_ROOTS": "1"})
    assert plain.directory_url != chains.directory_url
    assert chains.root_pem(1).startswith("-----BEGIN CERTIFICATE-----")


@needs_lego
def test_a_library_scenario(anvil_scenario):
    result = anvil_scenario(LIBRARY / "happy-http-01.yaml", client="lego")
    assert result.status == "PASS"
    assert result.verdicts["summary"]["FAIL"] == 0
