#!/usr/bin/python3
"""Writes the seed corpus of the acme_router fuzz target: acme_router/.

Standard library only. Run from anywhere: /usr/bin/python3 fuzz/corpus/make_acme_router_seeds.py
Files are named after what they hold and rewritten in place; reproducers added by hand (crash-*,
regression-*) are left alone. The input format is described in fuzz/acme_router_fuzzer.cpp:
byte 0 even = a raw request; odd = a signed request, byte 1 the endpoint, byte 2 the flags.
"""

import json
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "acme_router")

(NEW_ACCOUNT, NEW_ORDER, FINALIZE, REVOKE_CERT, KEY_CHANGE, ACCOUNT, CHALLENGE, AUTHZ, ORDER,
 ORDERS_LIST, CERTIFICATE, RENEWAL_INFO) = range(12)
FILL, BY_JWK, FAIL_VALIDATION, RAW_INNER = 0x01, 0x02, 0x04, 0x08

ARI = "/draft-ietf-acme-ari-03/renewalInfo"
JOSE = "Content-Type: application/jose+json"


def raw(request_line, headers=(), body=""):
    return b"\x00" + "\n".join([request_line, *headers, "", body]).encode()


def signed(endpoint, flags, payload):
    if not isinstance(payload, str):
        payload = json.dumps(payload, separators=(",", ":"))
    return bytes([1, endpoint, flags]) + payload.encode()


UNSIGNED_JWS = json.dumps({"protected": "eyJhbGciOiJFUzI1NiJ9", "payload": "e30",
                           "signature": "c2lnbmF0dXJl"})

SEEDS = {
    "raw-directory": raw("GET /dir"),
    "raw-head-nonce": raw("HEAD /nonce-plz"),
    "raw-get-nonce": raw("GET /nonce-plz"),
    "raw-cors-preflight": raw("OPTIONS /sign-me-up", ["Origin: https://client.example"]),
    "raw-unknown-path": raw("GET /no-such-thing"),
    "raw-post-directory": raw("POST /dir", [JOSE], "{}"),
    "raw-unsigned-new-account": raw("POST /sign-me-up", [JOSE], UNSIGNED_JWS),
    "raw-wrong-content-type": raw("POST /order-plz", ["Content-Type: text/plain"], UNSIGNED_JWS),
    "raw-other-host": raw("GET /dir", ["Host: [::1]:14000"]),
    "raw-absolute-form": raw("GET https://127.0.0.1:14000/dir", ["Host: ignored.example"]),
    "raw-renewal-info-bad": raw("GET " + ARI + "/not-a-cert-id"),
    "raw-orders-page": raw("POST /list-orderz/1?page=2", [JOSE], UNSIGNED_JWS),
    "raw-alternate-chain": raw("POST /certZ/1/alternate/9", [JOSE], UNSIGNED_JWS),
    "new-account": signed(NEW_ACCOUNT, 0, {"termsOfServiceAgreed": True,
                                           "contact": ["mailto:a@fuzz.example"]}),
    "new-account-no-tos": signed(NEW_ACCOUNT, 0, {"contact": ["tel:+1"]}),
    "new-account-eab": signed(NEW_ACCOUNT, FILL, {"termsOfServiceAgreed": True}),
    "new-account-bad-eab": signed(NEW_ACCOUNT, 0, {
        "termsOfServiceAgreed": True,
        "externalAccountBinding": {"protected": "eyJhbGciOiJIUzI1NiJ9", "payload": "e30",
                                   "signature": "AAAA"}}),
    "new-account-only-existing": signed(NEW_ACCOUNT, BY_JWK, {"onlyReturnExisting": True}),
    "new-order": signed(NEW_ORDER, 0, {
        "identifiers": [{"type": "dns", "value": "a.fuzz.example"},
                        {"type": "ip", "value": "192.0.2.1"}],
        "profile": "shortlived", "notBefore": "2023-11-15T00:00:00Z",
        "notAfter": "2023-11-20T00:00:00Z"}),
    "new-order-wildcard": signed(NEW_ORDER, 0, {"identifiers": [{"type": "dns",
                                                                 "value": "*.fuzz.example"}]}),
    "new-order-blocked": signed(NEW_ORDER, 0, {"identifiers": [{"type": "dns",
                                                                "value": "x.blocked.example"}]}),
    "new-order-replaces": signed(NEW_ORDER, 0, {
        "identifiers": [{"type": "dns", "value": "ready.fuzz.example"}],
        "replaces": "aGVsbG8.AQ"}),
    "finalize": signed(FINALIZE, FILL, {}),
    "finalize-bad-csr": signed(FINALIZE, 0, {"csr": "MIIB"}),
    "revoke-by-kid": signed(REVOKE_CERT, FILL, {"reason": 1}),
    "revoke-by-cert-key": signed(REVOKE_CERT, FILL | BY_JWK, {"reason": 4}),
    "revoke-bad-reason": signed(REVOKE_CERT, FILL, {"reason": 7}),
    "key-change": signed(KEY_CHANGE, FILL, {}),
    "key-change-raw-inner": signed(KEY_CHANGE, RAW_INNER, UNSIGNED_JWS),
    "account-get": signed(ACCOUNT, 0, ""),
    "account-contact": signed(ACCOUNT, 0, {"contact": ["mailto:b@fuzz.example"]}),
    "account-deactivate": signed(ACCOUNT, 0, {"status": "deactivated"}),
    "challenge-respond": signed(CHALLENGE, 0, {}),
    "challenge-fail": signed(CHALLENGE, FAIL_VALIDATION, {}),
    "challenge-get": signed(CHALLENGE, 0, ""),
    "authz-get": signed(AUTHZ, 0, ""),
    "authz-deactivate": signed(AUTHZ, 0, {"status": "deactivated"}),
    "order-get": signed(ORDER, 0, ""),
    "orders-list": signed(ORDERS_LIST, 0, ""),
    "certificate": signed(CERTIFICATE, 0, ""),
    "certificate-alternate": signed(CERTIFICATE, FILL, ""),
    "renewal-info": signed(RENEWAL_INFO, FILL, ""),
    "renewal-info-unknown-serial": signed(RENEWAL_INFO, FILL, "AQ"),
    "renewal-info-padded": signed(RENEWAL_INFO, 0, "aGVsbG8=.AQ"),
}


def main():
    os.makedirs(HERE, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(HERE, name), "wb") as out:
            out.write(data)


if __name__ == "__main__":
    main()
