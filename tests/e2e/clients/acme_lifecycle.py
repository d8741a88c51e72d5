#!/usr/bin/python3
"""An account and certificate lifecycle on Debian's python3-acme (ClientV2), against mockca or
Pebble, with dns-01 answered through mockdns's management API (/set-txt):

  register -> order -> validate (dns-01) -> finalize -> download the chain
  -> revoke (reason 4, superseded) -> revoke again (expect alreadyRevoked)
  -> key rollover (keyChange, RFC 8555 §7.3.5: an inner JWS signed by the new key with `jwk`,
     `url` = keyChange URL, payload {account, oldKey}, wrapped in a kid-signed outer JWS)
  -> look the account up by the old key (expect accountDoesNotExist) and by the new key
  -> deactivate -> one more request (expect unauthorized)

    /usr/bin/python3 acme_lifecycle.py [--issue-only] DIRECTORY_URL CA_FILE MGMT_URL OUT_DIR \
        DOMAIN...

--issue-only stops once the chain is saved (register, order, validate, finalize, download: what
the python3-acme client adapter in scenarios/anvil runs). Writes OUT_DIR/chain.pem and
OUT_DIR/report.json: every checked step with the HTTP status and the problem type (or account
fields) the server returned. The test asserts on the report, so the script
itself fails only when a library call it relies on fails.
"""
import datetime
import hashlib
import json
import pathlib
import sys
import urllib.request

import josepy
from acme import client, crypto_util, errors, jws, messages
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

JOSE = "application/jose+json"


class Payload(josepy.JSONDeSerializable):
    """A plain dict as a request payload (ClientNetwork._wrap_in_jws wants json_dumps)."""

    def __init__(self, data):
        self.data = data

    def to_partial_json(self):
        return self.data

    @classmethod
    def from_json(cls, jobj):
        return cls(jobj)


def status_name(status):
    """A status as a string: python3-acme gives a messages.Status or a plain str by field."""
    return getattr(status, "name", status)


def new_key():
    return josepy.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))


def network(key, ca_file):
    return client.ClientNetwork(key, alg=josepy.ES256, user_agent="anvil-e2e-acme-lifecycle",
                                verify_ssl=ca_file)


def raw_post(net, directory, url, payload):
    """Signs payload (None: POST-as-GET) with net's key (kid if net.account is set, jwk otherwise),
    posts it, and returns {status, type, detail, body, location} without raising on errors.
    Retries once on badNonce, like ClientNetwork.post."""
    for attempt in range(2):
        nonce = net._get_nonce(url, directory["newNonce"])  # pylint: disable=protected-access
        data = net._wrap_in_jws(payload, nonce, url)  # pylint: disable=protected-access
        response = net._send_request("POST", url, data=data,  # pylint: disable=protected-access
                                     headers={"Content-Type": JOSE})
        if "Replay-Nonce" in response.headers:
            net._add_nonce(response)  # pylint: disable=protected-access
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        problem = body if isinstance(body, dict) else {}
        result = {"status": response.status_code, "type": problem.get("type"),
                  "detail": problem.get("detail"), "body": body,
                  "location": response.headers.get("Location"),
                  "content_type": response.headers.get("Content-Type")}
        if result["type"] != "urn:ietf:params:acme:error:badNonce" or attempt:
            return result
    return result


def post_mgmt(mgmt_url, path, body):
    request = urllib.request.Request(mgmt_url + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, f"{path}: {response.status}"


def main(directory_url, ca_file, mgmt_url, out_dir, *domains, issue_only=False):
    out = pathlib.Path(out_dir)
    report = {}

    # 1. Register.
    old_key = new_key()
    net = network(old_key, ca_file)
    directory = client.ClientV2.get_directory(directory_url, net)
    acme = client.ClientV2(directory, net)
    regr = acme.new_account(messages.NewRegistration.from_data(
        email="lifecycle@example.com", terms_of_service_agreed=True))
    account_url = regr.uri
    report["account"] = {"url": account_url, "status": status_name(regr.body.status)}

    # 2. Order, validate with dns-01 through the management API, finalize, download.
    cert_key = ec.generate_private_key(ec.SECP256R1())
    key_pem = cert_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    order = acme.new_order(crypto_util.make_csr(key_pem, list(domains)))
    hosts = set()
    for authz in order.authorizations:
        domain = authz.body.identifier.value
        challb = next(c for c in authz.body.challenges if c.chall.typ == "dns-01")
        host = f"_acme-challenge.{domain}."
        digest = hashlib.sha256(challb.chall.key_authorization(old_key).encode()).digest()
        post_mgmt(mgmt_url, "/set-txt", {"host": host, "value": josepy.b64encode(digest).decode()})
        hosts.add(host)
        acme.answer_challenge(challb, challb.chall.response(old_key))
    order = acme.poll_and_finalize(order, datetime.datetime.now() + datetime.timedelta(seconds=40))
    for host in hosts:
        post_mgmt(mgmt_url, "/clear-txt", {"host": host})
    (out / "chain.pem").write_text(order.fullchain_pem)
    report["order"] = {"status": status_name(order.body.status),
                       "certificate": order.body.certificate}
    if issue_only:
        (out / "report.json").write_text(json.dumps(report, indent=2, default=str))
        return

    # 3. Revoke (superseded) through the library, then again by hand: alreadyRevoked.
    leaf = x509.load_pem_x509_certificate(order.fullchain_pem.encode())
    leaf_der = leaf.public_bytes(serialization.Encoding.DER)
    try:
        from OpenSSL import crypto  # python3-acme 2.1's Revocation wants a pyOpenSSL X509
        acme.revoke(josepy.ComparableX509(crypto.load_certificate(crypto.FILETYPE_ASN1, leaf_der)),
                    4)
        report["revoke"] = {"status": 200, "via": "ClientV2.revoke"}
    except ImportError:
        report["revoke"] = raw_post(net, directory, directory["revokeCert"], Payload(
            {"certificate": josepy.b64encode(leaf_der).decode(), "reason": 4}))
    except messages.Error as error:
        report["revoke"] = {"status": None, "type": error.typ, "detail": error.detail}
    report["revoke_again"] = raw_post(net, directory, directory["revokeCert"], Payload(
        {"certificate": josepy.b64encode(leaf_der).decode(), "reason": 4}))

    # 4. Key rollover (ClientV2 in python3-acme 2.1 has no rollover: build keyChange by hand).
    next_key = new_key()
    key_change_url = directory["keyChange"]
    inner = jws.JWS.sign(
        json.dumps({"account": account_url,
                    "oldKey": old_key.public_key().to_partial_json()}).encode(),
        key=next_key, alg=josepy.ES256, nonce=None, url=key_change_url)  # no kid: carries jwk
    inner_header = json.loads(josepy.b64decode(json.loads(inner.json_dumps())["protected"]))
    report["key_change_inner_header"] = sorted(inner_header)
    report["key_change"] = raw_post(net, directory, key_change_url, inner)
    net.key = next_key

    # 5. The old key no longer finds the account; the new one does, and authenticates with kid.
    old_net = network(old_key, ca_file)
    report["old_key_lookup"] = raw_post(old_net, directory, directory["newAccount"],
                                        Payload({"onlyReturnExisting": True}))
    new_net = network(next_key, ca_file)
    report["new_key_lookup"] = raw_post(new_net, directory, directory["newAccount"],
                                        Payload({"onlyReturnExisting": True}))
    report["new_key_fetch"] = raw_post(net, directory, account_url, None)
    old_kid_net = network(old_key, ca_file)
    old_kid_net.account = regr
    report["old_key_fetch"] = raw_post(old_kid_net, directory, account_url, None)

    # 6. Deactivate; afterwards every request from the account is refused.
    report["deactivate"] = raw_post(net, directory, account_url,
                                    Payload({"status": "deactivated"}))
    report["after_deactivate_fetch"] = raw_post(net, directory, account_url, None)
    report["after_deactivate_new_order"] = raw_post(net, directory, directory["newOrder"], Payload(
        {"identifiers": [{"type": "dns", "value": domains[0]}]}))
    report["after_deactivate_lookup"] = raw_post(new_net, directory, directory["newAccount"],
                                                 Payload({"onlyReturnExisting": True}))

    (out / "report.json").write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    try:
        arguments = sys.argv[1:]
        issue_only = bool(arguments) and arguments[0] == "--issue-only"
        main(*arguments[issue_only:], issue_only=issue_only)
    except (messages.Error, errors.Error) as error:
        sys.exit(f"acme_lifecycle: {type(error).__name__}: {error}")
