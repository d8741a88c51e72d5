"""mockca's negative suite: malformed or unauthorized ACME requests, each answered with the exact
problem type and HTTP status that conformance.md Part A (and §1.3) requires.

Every case carries its S-* item in its test id. Where conformance.md allows alternatives (e.g.
"badCSR or malformed", S-FIN-02) exactly those are accepted. One mockca serves the whole module;
objects a case needs (accounts, orders, certificates) are made once, lazily, in World.
Runs under Debian's python3: /usr/bin/python3 -m pytest -p no:cacheprovider -n 2 <this file>
"""
import base64
import functools
import json
import secrets

import pytest

from acme_probe import (ACME_ERROR, DEFAULT, JOSE, Key, Probe, b64u, describe, expect_problem,
                        leaf_der, make_csr, problem_type, raw_exchange, self_signed_der)
from conftest import MOCKCA_TLS_ROOT, start_mockca, stop_checked


@pytest.fixture(scope="module")
def server():
    mockca = start_mockca()
    yield mockca
    stop_checked(mockca, "mockca")  # fails if a negative probe killed it


def unique(tag):
    return f"{tag}-{secrets.token_hex(4)}.neg.example"


class World:
    """Lazily created objects shared by the cases (one mockca per module)."""

    def __init__(self, server):
        self.server = server
        self.probe = Probe(server.directory, MOCKCA_TLS_ROOT)

    @property
    def p(self):
        return self.probe

    @property
    def base(self):
        return self.server.directory.rsplit("/", 1)[0]

    @functools.cached_property
    def alice(self):
        return self.p.new_account(contact=["mailto:alice@neg.example"])

    @functools.cached_property
    def bob(self):
        return self.p.new_account()

    @functools.cached_property
    def pending(self):
        """A pending order of alice's, one name, untouched."""
        return self.p.new_order(self.alice, [unique("pending")])

    @functools.cached_property
    def ready(self):
        """A ready order of alice's for two names (finalize negatives keep it ready)."""
        names = [unique("ready"), unique("www-ready")]
        order = self.p.ready_order(self.alice, names, self.server)
        order["names"] = names
        return order

    @functools.cached_property
    def valid(self):
        """An order of alice's with an issued certificate: (order, certificate key, PEM chain)."""
        return self.p.issue(self.alice, [unique("valid")], self.server)

    @functools.cached_property
    def revoked(self):
        """A certificate of alice's, already revoked once: (DER, certificate key)."""
        _, cert_key, chain = self.p.issue(self.alice, [unique("revoked")], self.server)
        der = leaf_der(chain)
        response = self.p.as_account(self.alice, self.p.url("revokeCert"),
                                     {"certificate": b64u(der)})
        assert response.status_code == 200, describe(response)
        return der, cert_key

    @functools.cached_property
    def deactivated(self):
        """An account that deactivated itself (S-ACCT-10)."""
        account = self.p.new_account()
        response = self.p.as_account(account, account.url, {"status": "deactivated"})
        assert response.status_code == 200, describe(response)
        assert response.json()["status"] == "deactivated"
        return account

    @functools.cached_property
    def invalid_authz(self):
        """An order whose only authz failed dns-01 (no TXT record): (order, authz, challenge)."""
        order = self.p.new_order(self.alice, [unique("invalid")])
        authz_url = order["authorizations"][0]
        authz = self.p.fetch(self.alice, authz_url).json()
        challenge = next(c for c in authz["challenges"] if c["type"] == "dns-01")
        response = self.p.as_account(self.alice, challenge["url"], {})
        assert response.status_code == 200, describe(response)
        authz = self.p.wait_status(self.alice, authz_url, ("valid", "invalid"))
        assert authz["status"] == "invalid", authz
        return order, authz, challenge

    @functools.cached_property
    def deactivated_authz(self):
        """An order whose authz alice deactivated (S-AUTHZ-06): (order, authz URL, challenge)."""
        order = self.p.new_order(self.alice, [unique("deact")])
        authz_url = order["authorizations"][0]
        authz = self.p.fetch(self.alice, authz_url).json()
        response = self.p.as_account(self.alice, authz_url, {"status": "deactivated"})
        assert response.status_code == 200, describe(response)
        assert response.json()["status"] == "deactivated"
        return order, authz_url, authz["challenges"][0]

    def authz_of(self, order):
        return self.p.fetch(self.alice, order["authorizations"][0]).json()


@pytest.fixture(scope="module")
def w(server):
    return World(server)


# ----- the case table -------------------------------------------------------------------------
CASES = []


def case(case_id, status, types, check=None):
    """Registers `send(w) -> response` as a negative case expecting `status` and one of `types`;
    check(w, response, problem) adds case-specific assertions."""
    def register(send):
        CASES.append(pytest.param(send, status, types, check, id=case_id))
        return send
    return register


def new_account_payload():
    return {"termsOfServiceAgreed": True}


def raw_post(w, url, body, content_type=JOSE):
    return w.p.post(url, body, content_type)


def std_b64_with_plus_or_slash(make_bytes):
    """Unpadded standard base64 of make_bytes(i) for the first i whose encoding contains '+'
    or '/' (so it is not base64url)."""
    for i in range(1000):
        data = make_bytes(i)
        text = base64.b64encode(data).decode().rstrip("=")
        if "+" in text or "/" in text:
            return text
    raise AssertionError("no +/ found")


def padded_b64(data):
    """base64url *with* '=' padding; the data is grown by spaces until padding is needed."""
    while len(data) % 3 == 0:
        data += b" "
    text = base64.urlsafe_b64encode(data).decode()
    assert text.endswith("=")
    return text


# ----- HTTP layer (S-HTTP) ---------------------------------------------------------------------
@case("S-HTTP-09-unknown-path-GET-404", 404, "malformed")
def _(w):
    return w.p.get(w.base + "/no-such-resource")


@case("S-HTTP-09-unknown-path-POST-404", 404, "malformed")
def _(w):
    url = w.base + "/no-such-resource"
    return w.p.signed(url, None, None, account=w.alice)


def allow_has(*methods):
    def check(w, response, problem):
        allow = {m.strip() for m in response.headers.get("Allow", "").split(",")}
        assert set(methods) <= allow, describe(response)
    return check


@case("S-HTTP-06-GET-newAccount-405", 405, "malformed", allow_has("POST"))
def _(w):
    return w.p.get(w.p.url("newAccount"))


@case("S-HTTP-06-GET-newOrder-405", 405, "malformed", allow_has("POST"))
def _(w):
    return w.p.get(w.p.url("newOrder"))


@case("S-HTTP-06-GET-account-405", 405, "malformed", allow_has("POST"))
def _(w):
    return w.p.get(w.alice.url)


@case("S-HTTP-06-GET-order-405", 405, "malformed", allow_has("POST"))
def _(w):
    return w.p.get(w.pending["url"])


@case("S-HTTP-06-GET-authz-405", 405, "malformed", allow_has("POST"))
def _(w):
    return w.p.get(w.pending["authorizations"][0])


@case("S-HTTP-06-GET-revokeCert-405", 405, "malformed", allow_has("POST"))
def _(w):
    return w.p.get(w.p.url("revokeCert"))


@case("S-HTTP-06-PUT-directory-405", 405, "malformed", allow_has("GET"))
def _(w):
    return w.p.request("PUT", w.server.directory, body=b"{}", content_type="application/json")


@case("S-HTTP-06-DELETE-newNonce-405", 405, "malformed", allow_has("GET"))
def _(w):
    return w.p.request("DELETE", w.p.url("newNonce"), content_type=None)


@case("S-HTTP-07-content-type-application-json-415", 415, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload()), "application/json")


@case("S-HTTP-07-content-type-missing-415", 415, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload()), None)


@case("S-HTTP-07-content-type-text-plain-415", 415, "malformed")
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, content_type="text/plain")


@case("S-JWS-02-garbage-body", 400, "malformed")
def _(w):
    return raw_post(w, w.p.url("newAccount"), secrets.token_bytes(200))


@case("S-JWS-02-empty-body", 400, "malformed")
def _(w):
    return raw_post(w, w.p.url("newAccount"), b"")


# ----- JWS (S-JWS, S-HTTP-04) -------------------------------------------------------------------
@case("S-JWS-02-not-json", 400, "malformed")
def _(w):
    return raw_post(w, w.p.url("newAccount"), b'{"protected": "abc", ')


@case("S-JWS-02-json-array", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, [w.p.jws(Key(), url, new_account_payload())])


@case("S-JWS-02-compact-serialization", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    return raw_post(w, url, f"{jws['protected']}.{jws['payload']}.{jws['signature']}")


@case("S-JWS-02-general-serialization-one-signature", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    return raw_post(w, url, {"payload": jws["payload"], "signatures": [
        {"protected": jws["protected"], "signature": jws["signature"]}]})


@case("S-JWS-02-general-serialization-two-signatures", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    key = Key()
    first = w.p.jws(key, url, new_account_payload())
    second = w.p.jws(key, url, new_account_payload())
    return raw_post(w, url, {"payload": first["payload"], "signatures": [
        {"protected": first["protected"], "signature": first["signature"]},
        {"protected": second["protected"], "signature": second["signature"]}]})


@case("S-JWS-02-flattened-plus-signatures-array", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    jws["signatures"] = [{"protected": jws["protected"], "signature": jws["signature"]}]
    return raw_post(w, url, jws)


@case("S-JWS-02-missing-protected", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    del jws["protected"]
    return raw_post(w, url, jws)


@case("S-JWS-03-missing-payload", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    del jws["payload"]
    return raw_post(w, url, jws)


@case("S-JWS-02-missing-signature", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    del jws["signature"]
    return raw_post(w, url, jws)


@case("S-JWS-02-empty-signature", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(), signature_b64=""))


@case("S-JWS-02-members-not-strings", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    jws["protected"] = {"alg": "ES256"}
    return raw_post(w, url, jws)


@case("S-JWS-03-unprotected-header-member", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    jws["header"] = {"kid": "x"}
    return raw_post(w, url, jws)


@case("S-JWS-03-b64-false", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(),
                                    extra={"b64": False, "crit": ["b64"]}))


@case("S-JWS-03-unknown-crit", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(),
                                    extra={"crit": ["anvil-unknown"], "anvil-unknown": 1}))


@case("S-HTTP-04-padded-protected", 400, "malformed")
def _(w):
    url, key = w.p.url("newAccount"), Key()
    header = {"alg": key.alg, "jwk": key.jwk, "nonce": w.p.nonce(), "url": url}
    return raw_post(w, url, w.p.jws(key, url, new_account_payload(),
                                    protected_b64=padded_b64(json.dumps(header).encode())))


@case("S-HTTP-04-padded-payload", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, None, payload_b64=padded_b64(
        json.dumps(new_account_payload()).encode())))


@case("S-HTTP-04-padded-signature", 400, "malformed")
def _(w):
    url, key = w.p.url("newAccount"), Key()  # an ES256 signature is 64 bytes: "==" padding
    jws = w.p.jws(key, url, new_account_payload())
    jws["signature"] += "=="
    return raw_post(w, url, jws)


@case("S-HTTP-04-standard-base64-protected", 400, "malformed")
def _(w):
    url, key = w.p.url("newAccount"), Key()
    nonce = w.p.nonce()
    protected = std_b64_with_plus_or_slash(lambda i: json.dumps(
        {"alg": key.alg, "jwk": key.jwk, "nonce": nonce, "url": url, "z": "?>" * i}).encode())
    return raw_post(w, url, w.p.jws(key, url, new_account_payload(), protected_b64=protected))


@case("S-HTTP-04-standard-base64-payload", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    payload = std_b64_with_plus_or_slash(lambda i: json.dumps(
        {"termsOfServiceAgreed": True, "z": "?>" * i}).encode())
    return raw_post(w, url, w.p.jws(Key(), url, None, payload_b64=payload))


@case("S-HTTP-04-non-base64url-characters-signature", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    jws["signature"] = "!!" + jws["signature"][2:]
    return raw_post(w, url, jws)


@case("S-JWS-04-protected-header-not-json", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(),
                                    protected_raw=b'{"alg": "ES256", '))


@case("S-JWS-04-protected-header-json-array", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(),
                                    protected_raw=b'["ES256"]'))


def lists_algorithms(w, response, problem):
    algorithms = problem.get("algorithms")  # S-JWS-05: MUST list the accepted algs
    assert isinstance(algorithms, list) and "ES256" in algorithms, describe(response)
    assert "none" not in algorithms and not any(a.startswith("HS") for a in algorithms)


@case("S-JWS-05-alg-none", 400, "badSignatureAlgorithm", lists_algorithms)
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(), alg="none",
                                    signature=secrets.token_bytes(64)))


@case("S-JWS-05-alg-HS256", 400, "badSignatureAlgorithm", lists_algorithms)
def _(w):
    import hmac
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload(), alg="HS256", signature=b"x")
    jws["signature"] = b64u(hmac.new(b"k" * 32, f"{jws['protected']}.{jws['payload']}".encode(),
                                     "sha256").digest())
    return raw_post(w, url, jws)


@case("S-JWS-05-alg-unknown", 400, "badSignatureAlgorithm", lists_algorithms)
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(), alg="XS999"))


@case("S-JWS-05-alg-HS256-with-kid", 400, "badSignatureAlgorithm", lists_algorithms)
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, alg="HS256",
                      signature=secrets.token_bytes(32))


@case("S-JWS-04-alg-missing", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(), omit=("alg",)))


@case("S-JWS-07-alg-ES384-with-P-256-key", 400, "badPublicKey")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key("p256"), url, new_account_payload(), alg="ES384"))


@case("S-JWS-07-alg-RS256-with-EC-key", 400, "badPublicKey")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key("p256"), url, new_account_payload(), alg="RS256"))


@case("S-JWS-07-RSA-1024-key", 400, "badPublicKey")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key("rsa1024"), url, new_account_payload()))


@case("S-JWS-07-EC-point-not-on-curve", 400, "badPublicKey")
def _(w):
    url, key = w.p.url("newAccount"), Key()
    jwk = dict(key.jwk)
    y = int.from_bytes(base64.urlsafe_b64decode(jwk["y"] + "=="), "big")
    jwk["y"] = b64u(((y + 1) % 2**256).to_bytes(32, "big"))
    return raw_post(w, url, w.p.jws(key, url, new_account_payload(), jwk=jwk))


@case("S-JWS-07-jwk-alg-member-mismatch", 400, "badPublicKey")
def _(w):
    url, key = w.p.url("newAccount"), Key()
    return raw_post(w, url, w.p.jws(key, url, new_account_payload(),
                                    jwk=dict(key.jwk, alg="ES384")))


@case("S-JWS-07-jwk-with-private-part", 400, ("malformed", "badPublicKey"))
def _(w):
    url, key = w.p.url("newAccount"), Key()
    return raw_post(w, url, w.p.jws(key, url, new_account_payload(), jwk=key.private_jwk))


@case("S-JWS-07-jwk-missing-y", 400, ("malformed", "badPublicKey"))
def _(w):
    url, key = w.p.url("newAccount"), Key()
    jwk = dict(key.jwk)
    del jwk["y"]
    return raw_post(w, url, w.p.jws(key, url, new_account_payload(), jwk=jwk))


@case("S-JWS-07-jwk-not-an-object", 400, ("malformed", "badPublicKey"))
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(), jwk="not-a-jwk"))


@case("S-JWS-04-jwk-and-kid-both", 400, "malformed")
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, jwk=w.alice.key.jwk)


@case("S-JWS-04-neither-jwk-nor-kid", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, new_account_payload(), jwk=None))


@case("S-JWS-08-kid-on-newAccount", 400, "malformed")
def _(w):
    return w.p.signed(w.p.url("newAccount"), None, new_account_payload(), account=w.alice)


@case("S-JWS-08-jwk-on-newOrder", 400, "malformed")
def _(w):
    return w.p.signed(w.p.url("newOrder"), w.alice.key,
                      {"identifiers": [{"type": "dns", "value": unique("jwk")}]})


@case("S-JWS-08-jwk-on-account-POST-as-GET", 400, "malformed")
def _(w):
    return w.p.signed(w.alice.url, w.alice.key, None)


@case("S-JWS-08-unknown-kid", 400, "accountDoesNotExist")
def _(w):
    kid = w.base + "/my-account/" + secrets.token_hex(8)
    return w.p.signed(w.p.url("newOrder"), Key(), {"identifiers": [
        {"type": "dns", "value": unique("kid")}]}, kid=kid)


@case("S-JWS-08-kid-with-trailing-slash", 400, "accountDoesNotExist")
def _(w):
    return w.p.signed(w.alice.url, w.alice.key, None, kid=w.alice.url + "/")


@case("S-JWS-09-url-of-another-endpoint", 403, "unauthorized")
def _(w):
    jws = w.p.jws(w.alice.key, w.p.url("newOrder"), None, kid=w.alice.url)
    return raw_post(w, w.alice.url, jws)


@case("S-JWS-09-url-trailing-slash", 403, "unauthorized")
def _(w):
    jws = w.p.jws(w.alice.key, w.alice.url + "/", None, kid=w.alice.url)
    return raw_post(w, w.alice.url, jws)


@case("S-JWS-09-url-http-scheme", 403, "unauthorized")
def _(w):
    jws = w.p.jws(w.alice.key, w.alice.url.replace("https://", "http://", 1), None,
                  kid=w.alice.url)
    return raw_post(w, w.alice.url, jws)


@case("S-JWS-09-url-host-variant", 403, "unauthorized")
def _(w):
    jws = w.p.jws(w.alice.key, w.alice.url.replace("127.0.0.1", "localhost", 1), None,
                  kid=w.alice.url)
    return raw_post(w, w.alice.url, jws)


@case("S-JWS-09-url-missing", 400, "malformed")
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, omit=("url",))


@case("S-JWS-09-url-not-a-string", 400, "malformed")
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, extra={"url": 42})


@case("S-JWS-01-bad-signature-bit-flip", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    jws = w.p.jws(Key(), url, new_account_payload())
    raw = bytearray(base64.urlsafe_b64decode(jws["signature"] + "=="))
    raw[5] ^= 0x01
    jws["signature"] = b64u(bytes(raw))
    return raw_post(w, url, jws)


@case("S-JWS-01-signed-by-another-key", 400, "malformed")
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, sign_key=Key())


@case("S-JWS-01-payload-not-json", 400, "malformed")
def _(w):
    url = w.p.url("newAccount")
    return raw_post(w, url, w.p.jws(Key(), url, b"{termsOfServiceAgreed"))


# ----- nonces (S-NONCE) -------------------------------------------------------------------------
def retry_with_error_nonce(w, response, problem):
    """S-NONCE-06: the badNonce answer's Replay-Nonce is accepted by the retry."""
    nonce = response.headers["Replay-Nonce"]
    retry = w.p.signed(w.alice.url, None, None, account=w.alice, nonce=nonce)
    assert retry.status_code == 200, describe(retry)


@case("S-NONCE-06-missing-nonce", 400, "badNonce", retry_with_error_nonce)
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, omit=("nonce",))


@case("S-NONCE-05-unknown-nonce", 400, "badNonce", retry_with_error_nonce)
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, nonce=b64u(secrets.token_bytes(16)))


@case("S-NONCE-05-reused-nonce", 400, "badNonce", retry_with_error_nonce)
def _(w):
    nonce = w.p.nonce(fresh=True)
    first = w.p.signed(w.alice.url, None, None, account=w.alice, nonce=nonce)
    assert first.status_code == 200, describe(first)
    return w.p.signed(w.alice.url, None, None, account=w.alice, nonce=nonce)


@case("S-NONCE-05-nonce-reused-after-failed-request", 400, "badNonce")
def _(w):
    nonce = w.p.nonce(fresh=True)  # struck at first use even if that request fails
    first = w.p.signed(w.p.url("newOrder"), None, {"identifiers": []}, account=w.alice, nonce=nonce)
    assert first.status_code == 400 and problem_type(first) == "malformed", describe(first)
    return w.p.signed(w.alice.url, None, None, account=w.alice, nonce=nonce)


@case("S-NONCE-07-nonce-not-base64url", 400, "malformed")
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, nonce="a+b/=")


@case("S-NONCE-07-nonce-not-a-string", 400, "malformed")
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, nonce=12345)


def nonce_survives(w, response, problem):
    """S-NONCE-08 (BP): a request with a bad signature does not burn its nonce."""
    protected = json.loads(response.request.body)["protected"]
    nonce = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))["nonce"]
    retry = w.p.signed(w.alice.url, None, None, account=w.alice, nonce=nonce)
    assert retry.status_code == 200, describe(retry)


@case("S-NONCE-08-bad-signature-keeps-nonce", 400, "malformed", nonce_survives)
def _(w):
    return w.p.signed(w.alice.url, None, None, account=w.alice, sign_key=Key(),
                      nonce=w.p.nonce(fresh=True))


# ----- accounts (S-ACCT) ------------------------------------------------------------------------
def links_terms(w, response, problem):
    assert 'rel="terms-of-service"' in response.headers.get("Link", ""), describe(response)


@case("S-ACCT-06-tos-false", 403, "userActionRequired", links_terms)
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), {"termsOfServiceAgreed": False})


@case("S-ACCT-06-tos-missing", 403, "userActionRequired", links_terms)
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), {"contact": ["mailto:a@neg.example"]})


@case("S-ACCT-05-contact-tel", 400, "unsupportedContact")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(new_account_payload(),
                                                         contact=["tel:+15555550100"]))


@case("S-ACCT-05-contact-https", 400, "unsupportedContact")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(new_account_payload(),
                                                         contact=["https://neg.example/me"]))


@case("S-ACCT-05-contact-mailto-empty", 400, "invalidContact")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(new_account_payload(),
                                                         contact=["mailto:"]))


@case("S-ACCT-05-contact-mailto-not-an-address", 400, "invalidContact")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(new_account_payload(),
                                                         contact=["mailto:not an address"]))


@case("S-ACCT-05-contact-mailto-hfields", 400, "invalidContact")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(
        new_account_payload(), contact=["mailto:a@neg.example?subject=hi"]))


@case("S-ACCT-05-contact-mailto-two-addresses", 400, "invalidContact")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(
        new_account_payload(), contact=["mailto:a@neg.example,b@neg.example"]))


@case("S-ACCT-05-contact-not-an-array", 400, "malformed")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(new_account_payload(),
                                                         contact="mailto:a@neg.example"))


@case("S-ACCT-05-contact-array-of-numbers", 400, "malformed")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), dict(new_account_payload(), contact=[1]))


@case("S-ACCT-08-update-contact-tel", 400, "unsupportedContact")
def _(w):
    return w.p.as_account(w.bob, w.bob.url, {"contact": ["tel:+15555550100"]})


@case("S-ACCT-04-onlyReturnExisting-unknown-key", 400, "accountDoesNotExist")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), {"onlyReturnExisting": True})


@case("S-ACCT-02-tos-not-a-boolean", 400, "malformed")
def _(w):
    return w.p.signed(w.p.url("newAccount"), Key(), {"termsOfServiceAgreed": "yes"})


@case("S-PAG-03-POST-as-GET-another-accounts-url", 403, "unauthorized")
def _(w):
    return w.p.as_account(w.bob, w.alice.url)


@case("S-PAG-03-update-another-accounts-url", 403, "unauthorized")
def _(w):
    return w.p.as_account(w.bob, w.alice.url, {"contact": ["mailto:evil@neg.example"]})


@case("S-JWS-10-deactivated-account-POST-as-GET", 401, "unauthorized")
def _(w):
    return w.p.as_account(w.deactivated, w.deactivated.url)


@case("S-JWS-10-deactivated-account-newOrder", 401, "unauthorized")
def _(w):
    return w.p.as_account(w.deactivated, w.p.url("newOrder"),
                          {"identifiers": [{"type": "dns", "value": unique("deact")}]})


@case("S-ACCT-10-deactivated-key-newAccount", 401, "unauthorized")
def _(w):
    return w.p.signed(w.p.url("newAccount"), w.deactivated.key, new_account_payload())


@case("S-ACCT-10-deactivated-account-reactivate", 401, "unauthorized")
def _(w):
    return w.p.as_account(w.deactivated, w.deactivated.url, {"status": "valid"})


# ----- key rollover (S-KEY) ---------------------------------------------------------------------
def key_change(w, *, account=None, new_key=None, inner_url=None, payload=None, inner_kw=None,
               account_field=None, old_key=None):
    """A keyChange request from a fresh account (so a wrongly accepted rollover harms no other
    case), with the inner JWS bent as asked."""
    account = account or w.p.new_account()
    new_key = new_key or Key()
    url = w.p.url("keyChange")
    if payload is None:
        inner_payload = {"account": account.url if account_field is None else account_field,
                         "oldKey": (old_key or account.key).jwk}
        kw = {"nonce": "unused", "omit": ("nonce",)}
        kw.update(inner_kw or {})
        payload = w.p.jws(new_key, inner_url or url, inner_payload, **kw)
    return w.p.as_account(account, url, payload)


@case("S-KEY-04-wrong-oldKey", 400, "malformed")
def _(w):
    return key_change(w, old_key=Key())


@case("S-KEY-04-account-field-mismatch", 400, "malformed")
def _(w):
    return key_change(w, account_field=w.alice.url)


@case("S-KEY-03-inner-url-mismatch", 400, "malformed")
def _(w):
    return key_change(w, inner_url=w.p.url("newAccount"))


@case("S-KEY-03-inner-nonce-present", 400, "malformed")
def _(w):
    return key_change(w, inner_kw={"nonce": DEFAULT, "omit": ()})


@case("S-KEY-02-inner-kid-instead-of-jwk", 400, "malformed")
def _(w):
    account = w.p.new_account()
    return key_change(w, account=account, inner_kw={"kid": account.url})


@case("S-KEY-02-inner-bad-signature", 400, "malformed")
def _(w):
    return key_change(w, inner_kw={"sign_key": Key()})


@case("S-KEY-02-inner-RSA-1024", 400, "badPublicKey")
def _(w):
    return key_change(w, new_key=Key("rsa1024"))


@case("S-KEY-01-payload-not-a-jws", 400, "malformed")
def _(w):
    return key_change(w, payload={"account": "x", "oldKey": {}})


@case("S-KEY-05-new-key-is-current-key", 400, "malformed")
def _(w):
    account = w.p.new_account()
    return key_change(w, account=account, new_key=account.key)


def locates_bob(w, response, problem):
    assert response.headers.get("Location") == w.bob.url, describe(response)


@case("S-KEY-05-new-key-owned-by-another-account", 409, "malformed", locates_bob)
def _(w):
    return key_change(w, new_key=w.bob.key)



# ----- orders (S-ORD, S-IP, S-PAG) --------------------------------------------------------------
def order_with(w, identifiers, **fields):
    return w.p.as_account(w.alice, w.p.url("newOrder"),
                          dict({"identifiers": identifiers}, **fields))


def dns(value):
    return {"type": "dns", "value": value}


NAME_ERRORS = ("malformed", "rejectedIdentifier")  # S-ORD-02/S-ORD-08: a name that is refused
# (S-IP-05, a BP line, says "malformed" for an IP literal typed dns; S-ORD-02/S-ORD-08 allow
# rejectedIdentifier for any refused name, so NAME_ERRORS is used there too.)
TYPE_ERRORS = ("unsupportedIdentifier", "rejectedIdentifier", "malformed")  # S-ORD-02


@case("S-ORD-01-identifiers-empty", 400, "malformed")
def _(w):
    return order_with(w, [])


@case("S-ORD-01-identifiers-missing", 400, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.p.url("newOrder"), {"notBefore": "2030-01-01T00:00:00Z"})


@case("S-ORD-01-identifiers-not-an-array", 400, "malformed")
def _(w):
    return order_with(w, dns(unique("obj")))


@case("S-ORD-01-identifier-value-not-a-string", 400, "malformed")
def _(w):
    return order_with(w, [{"type": "dns", "value": 7}])


@case("S-ORD-01-identifier-type-missing", 400, "malformed")
def _(w):
    return order_with(w, [{"value": unique("notype")}])


@case("S-ORD-02-type-email", 400, TYPE_ERRORS)
def _(w):
    return order_with(w, [{"type": "email", "value": "a@neg.example"}])


@case("S-ORD-07-double-wildcard", 400, "malformed")
def _(w):
    return order_with(w, [dns("*.*.neg.example")])


@case("S-ORD-07-wildcard-not-leftmost", 400, "malformed")
def _(w):
    return order_with(w, [dns("a.*.neg.example")])


@case("S-ORD-07-wildcard-partial-label", 400, "malformed")
def _(w):
    return order_with(w, [dns("*a.neg.example")])


@case("S-ORD-08-trailing-dot", 400, NAME_ERRORS)
def _(w):
    return order_with(w, [dns(unique("dot") + ".")])


@case("S-ORD-08-empty-label", 400, NAME_ERRORS)
def _(w):
    return order_with(w, [dns("a..neg.example")])


@case("S-ORD-08-name-254-chars", 400, NAME_ERRORS)
def _(w):
    name = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 62])
    assert len(name) == 254
    return order_with(w, [dns(name)])


@case("S-ORD-08-invalid-characters", 400, NAME_ERRORS)
def _(w):
    return order_with(w, [dns("exa mple.neg.example")])


@case("S-ORD-08-empty-value", 400, NAME_ERRORS)
def _(w):
    return order_with(w, [dns("")])


@case("S-IP-05-ipv4-literal-typed-dns", 400, NAME_ERRORS)
def _(w):
    return order_with(w, [dns("127.0.0.1")])


@case("S-IP-05-ipv6-literal-typed-dns", 400, NAME_ERRORS)
def _(w):
    return order_with(w, [dns("2001:db8::1")])


@case("S-IP-01-ip-type-with-dns-name", 400, "malformed")
def _(w):
    return order_with(w, [{"type": "ip", "value": unique("ipname")}])


@case("S-IP-01-ipv4-leading-zeros", 400, "malformed")
def _(w):
    return order_with(w, [{"type": "ip", "value": "010.0.0.1"}])


@case("S-IP-01-ipv6-not-rfc5952", 400, "malformed")
def _(w):
    return order_with(w, [{"type": "ip", "value": "2001:DB8:0::1"}])


BAD_SET = ["*.*.multi.neg.example", "trailing.multi.neg.example.", "a..multi.neg.example"]


def subproblems_name_each(w, response, problem):
    assert "identifier" not in problem, describe(response)  # S-ERR-03
    subs = problem.get("subproblems")
    assert isinstance(subs, list) and subs, describe(response)
    named = set()
    for sub in subs:
        assert sub.get("type", "").startswith(ACME_ERROR), sub
        assert sub.get("detail"), sub
        assert sub.get("identifier", {}).get("type") == "dns", sub
        named.add(sub["identifier"]["value"])
    assert named == set(BAD_SET), describe(response)


@case("S-ERR-03-several-bad-identifiers-subproblems", 400, TYPE_ERRORS, subproblems_name_each)
def _(w):
    return order_with(w, [dns(unique("good"))] + [dns(v) for v in BAD_SET])


@case("S-ORD-02-notBefore-not-rfc3339", 400, "malformed")
def _(w):
    return order_with(w, [dns(unique("nb"))], notBefore="next tuesday")


@case("S-ORD-02-notAfter-not-rfc3339", 400, "malformed")
def _(w):
    return order_with(w, [dns(unique("na"))], notAfter="2030-13-45T99:00:00Z")


@case("S-PROF-02-unadvertised-profile", 400, "invalidProfile")
def _(w):
    return order_with(w, [dns(unique("prof"))], profile="no-such-profile-" + secrets.token_hex(2))


@case("S-PAG-02-order-fetch-with-empty-object", 400, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.pending["url"], {})


@case("S-PAG-02-newOrder-POST-as-GET", 400, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.p.url("newOrder"))


@case("S-PAG-02-orders-list-with-empty-object", 400, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.alice.body["orders"], {})


@case("S-PAG-03-another-accounts-order", 404, "malformed")
def _(w):
    return w.p.as_account(w.bob, w.pending["url"])


@case("S-PAG-03-another-accounts-orders-list", 404, "malformed")
def _(w):
    return w.p.as_account(w.bob, w.alice.body["orders"])


@case("S-PAG-03-unknown-order", 404, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.base + "/my-order/" + secrets.token_urlsafe(32))


# ----- authorizations and challenges (S-AUTHZ, S-CHAL) ------------------------------------------
@case("S-AUTHZ-06-status-valid", 400, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.pending["authorizations"][0], {"status": "valid"})


@case("S-AUTHZ-06-status-not-a-string", 400, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.pending["authorizations"][0], {"status": 1})


@case("S-PAG-03-another-accounts-authz", 404, "malformed")
def _(w):
    return w.p.as_account(w.bob, w.pending["authorizations"][0])


@case("S-PAG-03-deactivate-another-accounts-authz", 404, "malformed")
def _(w):
    return w.p.as_account(w.bob, w.pending["authorizations"][0], {"status": "deactivated"})


@case("S-PAG-03-another-accounts-challenge", 404, "malformed")
def _(w):
    challenge = w.authz_of(w.pending)["challenges"][0]
    return w.p.as_account(w.bob, challenge["url"], {})


@case("S-PAG-03-unknown-authz", 404, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.base + "/authZ/" + secrets.token_urlsafe(32))


@case("S-PAG-03-unknown-challenge", 404, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.base + "/chalZ/" + secrets.token_urlsafe(32), {})


@case("S-CHAL-05-challenge-of-valid-authz", 400, "malformed")
def _(w):
    authz = w.authz_of(w.ready)
    assert authz["status"] == "valid", authz
    challenge = next(c for c in authz["challenges"] if c["status"] == "valid")
    return w.p.as_account(w.alice, challenge["url"], {})


@case("S-CHAL-05-challenge-of-invalid-authz", 400, "malformed")
def _(w):
    _, _, challenge = w.invalid_authz
    return w.p.as_account(w.alice, challenge["url"], {})


@case("S-CHAL-04-challenge-of-deactivated-authz", 400, "malformed")
def _(w):
    _, _, challenge = w.deactivated_authz
    return w.p.as_account(w.alice, challenge["url"], {})


# ----- finalize (S-FIN) -------------------------------------------------------------------------
def finalize_raw(w, order, payload, account=None):
    return w.p.as_account(account or w.alice, order["finalize"], payload)


def stays_ready(w, response, problem):
    body = w.p.fetch(w.alice, w.ready["url"]).json()  # S-FIN-03 SHOULD; C-FIN-06
    assert body["status"] == "ready", body


CSR_ERRORS = ("badCSR", "malformed")  # S-FIN-02


def csr(names, key=None):
    """{"csr": base64url(DER)} for names, signed by key (a fresh P-256 key by default)."""
    return {"csr": b64u(make_csr(key or Key(), names))}


@case("S-FIN-01-order-not-ready", 403, "orderNotReady")
def _(w):
    return finalize_raw(w, w.pending, csr([w.pending["identifiers"][0]["value"]]))


@case("S-FIN-01-order-invalid", 403, "orderNotReady")
def _(w):
    order, _, _ = w.deactivated_authz
    return finalize_raw(w, order, csr([order["identifiers"][0]["value"]]))


@case("S-FIN-01-second-finalize", 403, "orderNotReady")
def _(w):
    order, _, _ = w.valid
    return finalize_raw(w, order, csr([order["identifiers"][0]["value"]]))


@case("S-FIN-02-csr-missing", 400, "malformed", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"certificate": "x"})


@case("S-PAG-02-finalize-POST-as-GET", 400, "malformed", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, None)


@case("S-FIN-02-csr-not-a-string", 400, CSR_ERRORS, stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": 12})


@case("S-FIN-02-csr-padded", 400, CSR_ERRORS, stays_ready)
def _(w):
    der = make_csr(Key(), w.ready["names"])
    while len(der) % 3 == 0:  # re-make until the encoding needs padding
        der = make_csr(Key(), w.ready["names"])
    return finalize_raw(w, w.ready, {"csr": base64.urlsafe_b64encode(der).decode()})


@case("S-FIN-02-csr-standard-base64", 400, CSR_ERRORS, stays_ready)
def _(w):
    text = std_b64_with_plus_or_slash(lambda i: make_csr(Key(), w.ready["names"]))
    return finalize_raw(w, w.ready, {"csr": text})


@case("S-FIN-02-csr-pem", 400, CSR_ERRORS, stays_ready)
def _(w):
    pem = make_csr(Key(), w.ready["names"], der=False).decode()
    return finalize_raw(w, w.ready, {"csr": pem})


@case("S-FIN-02-csr-not-der", 400, CSR_ERRORS, stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": b64u(b"\x30\x03\x02\x01" + secrets.token_bytes(40))})


@case("S-FIN-03-csr-extra-name", 400, "badCSR", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, csr(w.ready["names"] + [unique("x")]))


@case("S-FIN-03-csr-missing-name", 400, "badCSR", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": b64u(make_csr(Key(), w.ready["names"][:1]))})


@case("S-FIN-03-csr-other-names", 400, "badCSR", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": b64u(make_csr(Key(), [unique("o1"), unique("o2")]))})


@case("S-FIN-04-csr-key-is-account-key", 400, "badCSR", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": b64u(make_csr(w.alice.key, w.ready["names"]))})


@case("S-FIN-04-csr-key-is-another-account-key", 400, "badCSR", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": b64u(make_csr(w.bob.key, w.ready["names"]))})


@case("S-FIN-05-csr-bad-signature", 400, "badCSR", stays_ready)
def _(w):
    der = bytearray(make_csr(Key("rsa2048"), w.ready["names"]))
    der[-1] ^= 0x01  # the last byte of the RSA signature BIT STRING
    return finalize_raw(w, w.ready, {"csr": b64u(bytes(der))})


@case("S-FIN-05-csr-rsa-1024", 400, "badCSR", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": b64u(make_csr(Key("rsa1024"), w.ready["names"]))})


@case("S-FIN-05-csr-sha1", 400, "badCSR", stays_ready)
def _(w):
    import warnings
    from cryptography.hazmat.primitives import hashes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cryptography deprecates SHA-1 signing: that is the point
        der = make_csr(Key("rsa2048"), w.ready["names"], hash_alg=hashes.SHA1())
    return finalize_raw(w, w.ready, {"csr": b64u(der)})


@case("S-PAG-03-finalize-another-accounts-order", 404, "malformed", stays_ready)
def _(w):
    return finalize_raw(w, w.ready, {"csr": b64u(make_csr(Key(), w.ready["names"]))},
                        account=w.bob)


# ----- certificates and revocation (S-CERT, S-REV) ----------------------------------------------
def revoke(w, payload, account=None, key=None, **kw):
    url = w.p.url("revokeCert")
    if account is not None:
        return w.p.as_account(account, url, payload, **kw)
    return w.p.signed(url, key, payload, **kw)


def valid_cert_b64(w):
    return b64u(leaf_der(w.valid[2]))


@case("S-PAG-03-another-accounts-certificate", 404, "malformed")
def _(w):
    return w.p.as_account(w.bob, w.valid[0]["certificate"])


@case("S-PAG-03-unknown-certificate-url", 404, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.base + "/certZ/" + secrets.token_hex(8))


@case("S-PAG-02-certificate-fetch-with-empty-object", 400, "malformed")
def _(w):
    return w.p.as_account(w.alice, w.valid[0]["certificate"], {})


@case("S-REV-03-reason-7", 400, "badRevocationReason")
def _(w):
    return revoke(w, {"certificate": valid_cert_b64(w), "reason": 7}, account=w.alice)


@case("S-REV-03-reason-11", 400, "badRevocationReason")
def _(w):
    return revoke(w, {"certificate": valid_cert_b64(w), "reason": 11}, account=w.alice)


@case("S-REV-03-reason-negative", 400, "badRevocationReason")
def _(w):
    return revoke(w, {"certificate": valid_cert_b64(w), "reason": -1}, account=w.alice)


@case("S-REV-04-unknown-certificate", 404, "malformed")
def _(w):
    return revoke(w, {"certificate": b64u(self_signed_der(Key()))}, account=w.alice)


@case("S-REV-01-certificate-missing", 400, "malformed")
def _(w):
    return revoke(w, {"reason": 1}, account=w.alice)


@case("S-REV-01-certificate-pem", 400, "malformed")
def _(w):
    return revoke(w, {"certificate": w.valid[2]}, account=w.alice)


@case("S-HTTP-04-revoke-certificate-padded", 400, "malformed")
def _(w):
    der = leaf_der(w.valid[2])
    return revoke(w, {"certificate": padded_b64(der) if len(der) % 3
                      else base64.urlsafe_b64encode(der).decode() + "=="}, account=w.alice)


@case("S-PAG-02-revokeCert-POST-as-GET", 400, "malformed")
def _(w):
    return revoke(w, None, account=w.alice)


@case("S-REV-02-unrelated-account", 403, "unauthorized")
def _(w):
    return revoke(w, {"certificate": valid_cert_b64(w)}, account=w.bob)


@case("S-REV-02-jwk-not-the-certificate-key", 403, "unauthorized")
def _(w):
    return revoke(w, {"certificate": valid_cert_b64(w)}, key=Key())


@case("S-REV-02-jwk-of-the-issuing-account-key", 403, "unauthorized")
def _(w):
    return revoke(w, {"certificate": valid_cert_b64(w)}, key=w.alice.key)


@case("S-REV-04-already-revoked", 400, "alreadyRevoked")
def _(w):
    return revoke(w, {"certificate": b64u(w.revoked[0])}, account=w.alice)


@case("S-REV-04-already-revoked-by-certificate-key", 400, "alreadyRevoked")
def _(w):
    der, cert_key = w.revoked
    return revoke(w, {"certificate": b64u(der), "reason": 1}, key=cert_key)


@case("S-PAG-02-keyChange-POST-as-GET", 400, "malformed")
def _(w):
    return w.p.as_account(w.p.new_account(), w.p.url("keyChange"))


# ----- the tests --------------------------------------------------------------------------------
@pytest.mark.parametrize("send,status,types,check", CASES)
def test_negative(w, send, status, types, check):
    response = send(w)
    problem = expect_problem(response, status, types)
    if check is not None:
        check(w, response, problem)


def test_there_are_at_least_60_distinct_cases():
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 60, len(ids)


def test_body_over_64KiB_is_refused_with_413(w):
    """S-HTTP-09: the HTTP layer refuses a body over 64 KiB (413; S-ERR-01 wants a problem
    document too). Sent over a raw TLS socket: the server answers before the body is through."""
    from urllib.parse import urlsplit
    url = w.p.url("newAccount")
    parts = urlsplit(url)
    body = b"{" + b" " * (70 * 1024) + b"}"
    head = (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: anvil-probe\r\n"
            f"Content-Type: application/jose+json\r\nContent-Length: {len(body)}\r\n").encode()
    response = raw_exchange(url, head, body, MOCKCA_TLS_ROOT)
    expect_problem(response, 413, "malformed", post=False)
    assert w.p.get(w.server.directory).status_code == 200  # a new connection is served


def test_header_over_8KiB_is_refused_with_431(w):
    """S-HTTP-09: a request head over 8 KiB gets 431 (S-ERR-01 wants a problem document too)."""
    response = w.p.get(w.server.directory, headers={"X-Anvil-Filler": "a" * 9000})
    expect_problem(response, 431, "malformed", post=False)
    assert w.p.get(w.server.directory).status_code == 200


@pytest.mark.parametrize("status_value", ["valid", "revoked"])
def test_account_update_ignores_status_other_than_deactivated(w, status_value):
    """S-ACCT-08 (RFC 8555 §7.3.2): an update MUST ignore `status` except deactivation, so
    {"status":"valid"} / {"status":"revoked"} is answered 200 with the account unchanged."""
    account = w.p.new_account()
    response = w.p.as_account(account, account.url, {"status": status_value})
    assert response.status_code == 200, describe(response)
    assert response.json()["status"] == "valid", describe(response)
    assert w.p.fetch(account, account.url).json()["status"] == "valid"


@pytest.mark.parametrize("kind", ["p256", "p384", "rsa2048", "ed25519"])
def test_probe_keys_are_accepted(w, kind):
    """S-JWS-06: the probe's own signing is right for every key type the negatives use."""
    account = w.p.new_account(Key(kind))
    assert account.body["status"] == "valid"
    assert w.p.fetch(account, account.url).json()["status"] == "valid"


def test_server_still_alive_after_the_negatives(w, server):
    assert server.alive(), server.stderr()
    response = w.p.get(server.directory)
    assert response.status_code == 200, describe(response)
    assert {"newNonce", "newAccount", "newOrder", "revokeCert", "keyChange"} <= set(response.json())
    assert w.p.fetch(w.alice, w.alice.url).json()["status"] == "valid"
