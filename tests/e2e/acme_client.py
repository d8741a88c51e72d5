"""A small ACME client on Debian's python3-acme that answers challenges through mockdns's
management API (the way a client project's test harness would use pebble-challtestsrv), so the CA's
validation is served entirely by mockdns.

    /usr/bin/python3 acme_client.py DIRECTORY_URL CA_FILE MGMT_URL CHALLENGE DOMAIN...

CHALLENGE is http-01, dns-01 or tls-alpn-01. Prints the issued chain on stdout; exits non-zero on
any failure.
"""
import datetime
import hashlib
import json
import sys
import urllib.request

import josepy
from acme import client, crypto_util, messages
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def post(mgmt_url, path, body):
    request = urllib.request.Request(mgmt_url + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, f"{path}: {response.status}"


def provision(mgmt_url, kind, challb, account_key, domain):
    """Publishes the challenge response through mockdns; returns a cleanup callable."""
    chall = challb.chall
    key_authorization = chall.key_authorization(account_key)
    if kind == "http-01":
        token = chall.encode("token")
        post(mgmt_url, "/add-http01", {"token": token, "content": key_authorization})
        return lambda: post(mgmt_url, "/del-http01", {"token": token})
    if kind == "dns-01":
        host = f"_acme-challenge.{domain}."
        digest = hashlib.sha256(key_authorization.encode()).digest()
        post(mgmt_url, "/set-txt", {"host": host, "value": josepy.b64encode(digest).decode()})
        return lambda: post(mgmt_url, "/clear-txt", {"host": host})
    if kind == "tls-alpn-01":
        post(mgmt_url, "/add-tlsalpn01", {"host": domain, "content": key_authorization})
        return lambda: post(mgmt_url, "/del-tlsalpn01", {"host": domain})
    raise ValueError(kind)


def main(directory_url, ca_file, mgmt_url, kind, *domains):
    account_key = josepy.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))
    net = client.ClientNetwork(account_key, alg=josepy.ES256, user_agent="anvil-e2e-python-acme",
                              verify_ssl=ca_file)
    directory = client.ClientV2.get_directory(directory_url, net)
    acme = client.ClientV2(directory, net)
    acme.new_account(messages.NewRegistration.from_data(terms_of_service_agreed=True))

    cert_key = ec.generate_private_key(ec.SECP256R1())
    key_pem = cert_key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    order = acme.new_order(crypto_util.make_csr(key_pem, list(domains)))
    cleanups = []
    for authz in order.authorizations:
        domain = authz.body.identifier.value
        challb = next(c for c in authz.body.challenges if c.chall.typ == kind)
        cleanups.append(provision(mgmt_url, kind, challb, account_key, domain))
        acme.answer_challenge(challb, challb.chall.response(account_key))
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=60)
    order = acme.poll_and_finalize(order, deadline)
    for cleanup in cleanups:
        cleanup()
    sys.stdout.write(order.fullchain_pem)


if __name__ == "__main__":
    main(*sys.argv[1:])
