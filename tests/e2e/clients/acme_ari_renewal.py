#!/usr/bin/python3
"""An ARI-driven renewal (RFC 9773) on Debian's python3-acme (ClientV2), the way certbot's ARI test
(certbot PR #10311, pebble.md §8) drives Pebble. python3-acme 2.1 predates ARI, so the two ARI
pieces are added here on top of the library: the renewalInfo GET and `replaces` in newOrder.

  register -> issue certificate A (dns-01 through mockdns's /set-txt)
  -> GET renewalInfo/<certID of A>: a window in the future, Retry-After
  -> POST the CA's management /set-renewal-info/ with a window in the past (as certbot's test does)
  -> GET renewalInfo again: the window has started, so the client renews now
  -> newOrder {identifiers, replaces: certID of A} -> validate -> finalize -> certificate B
  -> newOrder replacing A again (expect 409 alreadyReplaced)

    /usr/bin/python3 acme_ari_renewal.py DIRECTORY_URL CA_FILE DNS_MGMT_URL CA_MGMT_URL OUT_DIR DOMAIN...

DNS_MGMT_URL is mockdns's (pebble-challtestsrv's) management API; CA_MGMT_URL is the CA's (HTTPS,
trusted through CA_FILE). Writes OUT_DIR/a.pem, OUT_DIR/b.pem and OUT_DIR/report.json with what
each step returned; the test asserts on the report.
"""
import base64
import datetime
import hashlib
import json
import pathlib
import sys
import urllib.request

import josepy
import requests
from acme import client, crypto_util, errors, messages
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from acme_lifecycle import Payload, raw_post


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def cert_id(chain_pem):
    """RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial DER content octets)."""
    cert = x509.load_pem_x509_certificate(chain_pem.encode())
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    serial = cert.serial_number
    octets = serial.to_bytes((serial.bit_length() + 8) // 8, "big")  # with the sign octet
    return f"{b64u(aki.key_identifier)}.{b64u(octets)}"


class ReplacingNewOrder(messages.NewOrder):
    """newOrder with RFC 9773 §5's `replaces`."""
    replaces: str = josepy.field("replaces", omitempty=True)


class AriClient(client.ClientV2):
    """ClientV2 plus the renewalInfo GET and newOrder with `replaces`."""

    def __init__(self, directory, net, directory_json):
        super().__init__(directory, net)
        self.renewal_info_url = directory_json["renewalInfo"]

    def renewal_info(self, chain_pem):
        """RFC 9773 §4.1: an unauthenticated GET; returns (status, body, Retry-After)."""
        response = requests.get(f"{self.renewal_info_url}/{cert_id(chain_pem)}",
                                verify=self.net.verify_ssl, timeout=10,
                                headers={"User-Agent": self.net.user_agent})
        body = response.json() if response.content else None
        return {"status": response.status_code, "body": body,
                "retry_after": response.headers.get("Retry-After")}

    def new_order(self, csr_pem, replaces=None):  # pylint: disable=arguments-differ
        sans = x509.load_pem_x509_csr(csr_pem).extensions.get_extension_for_class(
            x509.SubjectAlternativeName).value
        names = sans.get_values_for_type(x509.DNSName)
        identifiers = [messages.Identifier(typ=messages.IDENTIFIER_FQDN, value=name)
                       for name in names]
        order = ReplacingNewOrder(identifiers=identifiers, replaces=replaces)
        response = self._post(self.directory["newOrder"], order)
        body = messages.Order.from_json(response.json())
        authorizations = [self._authzr_from_response(self._post_as_get(url), uri=url)
                          for url in body.authorizations]  # pylint: disable=not-an-iterable
        return messages.OrderResource(body=body, uri=response.headers.get("Location"),
                                      authorizations=authorizations, csr_pem=csr_pem), response


def post_json(url, body, verify=None):
    if verify:
        response = requests.post(url, data=json.dumps(body), verify=verify, timeout=10)
        assert response.status_code == 200, f"{url}: {response.status_code} {response.text}"
        return
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, f"{url}: {response.status}"


def issue(acme, key, dns_mgmt_url, domains, replaces=None):
    """Orders domains (replacing `replaces` when given), answers dns-01, finalizes; returns the
    chain PEM and the newOrder response body."""
    cert_key = ec.generate_private_key(ec.SECP256R1())
    key_pem = cert_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    order, response = acme.new_order(crypto_util.make_csr(key_pem, list(domains)),
                                     replaces=replaces)
    hosts = set()
    for authz in order.authorizations:
        if authz.body.status == messages.STATUS_VALID:
            continue  # reused (PEBBLE_AUTHZREUSE)
        domain = authz.body.identifier.value
        challb = next(c for c in authz.body.challenges if c.chall.typ == "dns-01")
        host = f"_acme-challenge.{domain}."
        digest = hashlib.sha256(challb.chall.key_authorization(key).encode()).digest()
        post_json(dns_mgmt_url + "/set-txt", {"host": host, "value": b64u(digest)})
        hosts.add(host)
        acme.answer_challenge(challb, challb.chall.response(key))
    order = acme.poll_and_finalize(order, datetime.datetime.now() + datetime.timedelta(seconds=40))
    for host in hosts:
        post_json(dns_mgmt_url + "/clear-txt", {"host": host})
    return order.fullchain_pem, response.json()


def main(directory_url, ca_file, dns_mgmt_url, ca_mgmt_url, out_dir, *domains):
    out = pathlib.Path(out_dir)
    report = {}
    key = josepy.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))
    net = client.ClientNetwork(key, alg=josepy.ES256, user_agent="anvil-e2e-acme-ari",
                               verify_ssl=ca_file)
    directory_json = requests.get(directory_url, verify=ca_file, timeout=10).json()
    directory = client.ClientV2.get_directory(directory_url, net)
    acme = AriClient(directory, net, directory_json)
    acme.new_account(messages.NewRegistration.from_data(terms_of_service_agreed=True))

    # Certificate A, and what the CA first says about renewing it.
    chain_a, _ = issue(acme, key, dns_mgmt_url, domains)
    (out / "a.pem").write_text(chain_a)
    report["cert_id_a"] = cert_id(chain_a)
    report["renewal_info_before"] = acme.renewal_info(chain_a)

    # The CA moves A's window into the past (certbot's test: /set-renewal-info/).
    now = datetime.datetime.now(datetime.timezone.utc)
    window = {"suggestedWindow": {
        "start": (now - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}}
    post_json(ca_mgmt_url + "/set-renewal-info/",
              {"certificate": chain_a, "ariResponse": json.dumps(window)}, verify=ca_file)
    after = acme.renewal_info(chain_a)
    report["renewal_info_after"] = after
    start = datetime.datetime.strptime(after["body"]["suggestedWindow"]["start"],
                                       "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    report["renew_now"] = start <= now

    # Renew: certificate B replaces A.
    if report["renew_now"]:
        chain_b, order_b = issue(acme, key, dns_mgmt_url, domains, replaces=report["cert_id_a"])
        (out / "b.pem").write_text(chain_b)
        report["order_b"] = order_b
        report["cert_id_b"] = cert_id(chain_b)
        # By hand: python3-acme turns a 409 into a ConflictError without the problem document.
        report["replace_again"] = raw_post(net, directory_json, directory_json["newOrder"], Payload(
            {"identifiers": [{"type": "dns", "value": name} for name in domains],
             "replaces": report["cert_id_a"]}))

    (out / "report.json").write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    try:
        main(*sys.argv[1:])
    except (messages.Error, errors.Error) as error:
        sys.exit(f"acme_ari_renewal: {type(error).__name__}: {error}")
