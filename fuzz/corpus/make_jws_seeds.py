#!/usr/bin/python3
"""Writes the seed corpus of the jws_parse fuzz target: jws_parse/.

Uses Debian's python3-josepy (RS256, ES256/384/512 and their JWKs) and python3-cryptography
(Ed25519, which josepy 1.13 lacks), so the seeds come from an implementation other than ours.
Run from anywhere: /usr/bin/python3 fuzz/corpus/make_jws_seeds.py
Keys are fresh on every run, so the signed seeds change; files are named after what they hold and
rewritten in place; reproducers added by hand (crash-*, regression-*) are left alone.
"""

import json
import os

import josepy
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "jws_parse")
URL = "https://ca.test/sign-me-up"
KID = "https://ca.test/my-account/1"
NONCE = "c2VydmVyLW5vbmNl"


def b64(data):
    return josepy.b64.b64encode(data).decode()


def compact(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


class Key:
    """A private key with its JWS alg, public JWK and signer."""

    def __init__(self, alg, private):
        self.alg = alg
        self.private = private
        if isinstance(private, ed25519.Ed25519PrivateKey):
            raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                    serialization.PublicFormat.Raw)
            self.jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}
        elif isinstance(private, rsa.RSAPrivateKey):
            self.jwk = josepy.JWKRSA(key=private.public_key()).to_partial_json()
        else:
            self.jwk = josepy.JWKEC(key=private.public_key()).to_partial_json()

    def sign(self, data, alg=None):
        if isinstance(self.private, ed25519.Ed25519PrivateKey):
            return self.private.sign(data)
        return getattr(josepy, alg or self.alg).sign(self.private, data)


def header(key, kid=None, **extra):
    out = {"alg": key.alg, "nonce": NONCE, "url": URL}
    if kid:
        out["kid"] = kid
    else:
        out["jwk"] = key.jwk
    out.update(extra)
    return out


def flattened(key, hdr, payload, sign_alg=None):
    protected = b64(compact(hdr))
    body = b64(payload)
    signature = key.sign((protected + "." + body).encode(), sign_alg)
    return {"protected": protected, "payload": body, "signature": b64(signature)}


def main():
    keys = {
        "rs256": Key("RS256", rsa.generate_private_key(65537, 2048)),
        "es256": Key("ES256", ec.generate_private_key(ec.SECP256R1())),
        "es384": Key("ES384", ec.generate_private_key(ec.SECP384R1())),
        "es512": Key("ES512", ec.generate_private_key(ec.SECP521R1())),
        "eddsa": Key("EdDSA", ed25519.Ed25519PrivateKey.generate()),
    }
    account = compact({"termsOfServiceAgreed": True, "contact": ["mailto:a@example.com"]})
    order = compact({"identifiers": [{"type": "dns", "value": "example.com"}]})
    seeds = {}
    for name, key in keys.items():
        seeds[f"{name}_jwk_new_account"] = flattened(key, header(key), account)
        seeds[f"{name}_kid_new_order"] = flattened(key, header(key, kid=KID), order)
    es256, rs256 = keys["es256"], keys["rs256"]
    seeds["es256_kid_post_as_get"] = flattened(es256, header(es256, kid=KID), b"")
    good = seeds["es256_jwk_new_account"]

    # Rejections: one per ParseJws / ParseJwk / VerifySignature branch worth starting from.
    weak = Key("RS256", rsa.generate_private_key(65537, 1024))
    seeds["bad_key_rsa1024"] = flattened(weak, header(weak), account)
    seeds["bad_key_es384_with_p256"] = flattened(
        es256, header(es256, alg="ES384"), account, sign_alg="ES384")
    seeds["bad_key_jwk_alg_mismatch"] = flattened(
        es256, header(es256, jwk=dict(es256.jwk, alg="ES384")), account)
    seeds["bad_sig_tampered_payload"] = dict(good, payload=b64(order))
    seeds["bad_alg_none"] = flattened(es256, header(es256, alg="none"), account)
    seeds["bad_alg_hs256"] = flattened(es256, header(es256, alg="HS256"), account)
    seeds["bad_nonce_missing"] = flattened(
        es256, {k: v for k, v in header(es256).items() if k != "nonce"}, account)
    seeds["bad_nonce_syntax"] = flattened(es256, header(es256, nonce="a+b/="), account)
    seeds["bad_both_jwk_and_kid"] = flattened(es256, header(es256, kid=KID, jwk=es256.jwk), account)
    seeds["bad_b64_false"] = flattened(es256, header(es256, b64=False, crit=["b64"]), account)
    seeds["bad_general_form"] = {"payload": good["payload"], "signatures": [
        {"protected": good["protected"], "signature": good["signature"]}]}
    seeds["bad_unprotected_header"] = dict(good, header={"kid": KID})
    seeds["bad_padded_protected"] = dict(good, protected=good["protected"] + "==")
    seeds["bad_private_jwk"] = flattened(
        rs256, header(rs256, jwk=josepy.JWKRSA(key=rs256.private).to_partial_json()), account)

    os.makedirs(OUT, exist_ok=True)
    for name, body in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(compact(body))
    with open(os.path.join(OUT, "bad_compact_form"), "wb") as f:
        f.write(".".join([good["protected"], good["payload"], good["signature"]]).encode())
    # For the target's second mode: a protected header as plain JSON, newline, payload.
    with open(os.path.join(OUT, "plain_header_with_jwk"), "wb") as f:
        f.write(compact(header(keys["es384"])) + b"\n" + account)
    with open(os.path.join(OUT, "plain_header_with_rsa_jwk"), "wb") as f:
        f.write(compact(header(rs256)) + b"\n")


if __name__ == "__main__":
    main()
