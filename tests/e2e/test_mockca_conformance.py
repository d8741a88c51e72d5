"""mockca's positive conformance audit: complete ACME flows driven through the raw probe client,
with every response recorded and checked against conformance.md Part A's server rules.

Each test names its S-* items. Rules checked on every recorded response (audit()):
- S-LINK-01: Link <directory>;rel="index" on every response except the directory itself.
- S-LINK-02: Link <authz>;rel="up" on every 2xx response of a challenge resource.
- S-NONCE-01: every POST response (errors too) has a Replay-Nonce never seen before in the test.
- S-NONCE-03: newNonce responses have Cache-Control with no-store.
- S-ERR-02: every problem type is urn:ietf:params:acme:error:<registered name>.
- S-ORD-10: an order read as processing carries Retry-After.
Each test starts its own mockca (free ports, tmp dirs), so they are safe under -n 2.
Runs under Debian's python3:
  /usr/bin/python3 -m pytest -p no:cacheprovider -n 2 tests/e2e/test_mockca_conformance.py
"""
import hashlib
import http
import http.server
import ipaddress
import re
import subprocess
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

from acme_probe import (ACME_ERROR, Account, Key, Probe, b64u, describe, expect_problem,
                        leaf_der)
from conftest import MOCKCA_TLS_ROOT, free_port

# RFC 8555 §6.7 registered error types, plus alreadyReplaced (RFC 9773) and invalidProfile
# (draft-ietf-acme-profiles).
REGISTERED_ERRORS = {
    "accountDoesNotExist", "alreadyRevoked", "badCSR", "badNonce", "badPublicKey",
    "badRevocationReason", "badSignatureAlgorithm", "caa", "compound", "connection", "dns",
    "externalAccountRequired", "incorrectResponse", "invalidContact", "malformed",
    "orderNotReady", "rateLimited", "rejectedIdentifier", "serverInternal", "tls",
    "unauthorized", "unsupportedContact", "unsupportedIdentifier", "userActionRequired",
    "alreadyReplaced", "invalidProfile",
}
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


# ----- recording probe --------------------------------------------------------------------------
class Recorder(Probe):
    """A Probe that records every response (HEAD newNonce included) and knows which challenge URL
    belongs to which authz."""

    def __init__(self, directory_url, ca_bundle):
        self.log = []
        self.challenge_authz = {}  # challenge URL -> authz URL
        super().__init__(directory_url, ca_bundle)

    def request(self, method, url, **kwargs):
        response = super().request(method, url, **kwargs)
        self.log.append(response)
        if response.status_code < 300 and "json" in response.headers.get("Content-Type", ""):
            try:
                body = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict) and isinstance(body.get("challenges"), list):
                for challenge in body["challenges"]:
                    if isinstance(challenge, dict) and "url" in challenge:
                        self.challenge_authz[challenge["url"]] = response.url
        return response

    def nonce(self, fresh=False):
        if self._nonces and not fresh:
            return self._nonces.pop()
        response = self.request("HEAD", self.dir["newNonce"], content_type=None)
        assert response.status_code == 200 and response.headers.get("Replay-Nonce"), \
            describe(response)
        return self._nonces.pop()

    def authz(self, account, url):
        return self.fetch(account, url).json()


def parse_links(response):
    """[(target, {param: value})] of every Link field value (requests joins repeats with ', ')."""
    header = response.headers.get("Link", "")
    out = []
    for match in re.finditer(r"<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:\"[^\"]*\"|[^;,\s]*))?)*)",
                             header):
        params = {}
        for param in re.finditer(r";\s*([^;,=\s]+)\s*(?:=\s*(\"[^\"]*\"|[^;,\s]*))?",
                                 match.group(2)):
            params[param.group(1).lower()] = (param.group(2) or "").strip('"')
        out.append((match.group(1), params))
    return out


def link_targets(response, rel):
    return [target for target, params in parse_links(response)
            if rel in params.get("rel", "").split()]


def walk_problems(value, top=False):
    """Every problem document inside a JSON value: the value itself when top, `error` members,
    and `subproblems` entries."""
    if top and isinstance(value, dict) and "type" in value:
        yield value
    if isinstance(value, dict):
        for name, member in value.items():
            if name == "error" and isinstance(member, dict):
                yield member
            if name == "subproblems" and isinstance(member, list):
                yield from (p for p in member if isinstance(p, dict))
            yield from walk_problems(member)
    elif isinstance(value, list):
        for member in value:
            yield from walk_problems(member)


def audit(probe):
    """Checks the per-response rules on everything `probe` recorded; returns the problem types
    seen (without the URN prefix)."""
    directory = probe.directory_url
    seen_nonces = set()
    failures = []
    types = set()
    for response in probe.log:
        method = response.request.method
        where = f"{method} {response.url} -> {response.status_code}"
        # S-LINK-01
        index = link_targets(response, "index")
        if response.url == directory:
            if index:
                failures.append(f"S-DIR-04: directory carries rel=index: {where}")
        elif index != [directory]:
            failures.append(f"S-LINK-01: want Link <{directory}>;rel=\"index\", got "
                            f"{response.headers.get('Link')!r}: {where}")
        # S-NONCE-01 / freshness
        nonce = response.headers.get("Replay-Nonce")
        if method == "POST" and not nonce:
            failures.append(f"S-NONCE-01: POST response without Replay-Nonce: {where}")
        if nonce:
            if nonce in seen_nonces:
                failures.append(f"S-NONCE-01: Replay-Nonce {nonce} seen before: {where}")
            seen_nonces.add(nonce)
        # S-NONCE-03
        if response.url == probe.dir["newNonce"]:
            cache = response.headers.get("Cache-Control", "")
            if "no-store" not in [d.strip().lower() for d in cache.split(",")]:
                failures.append(f"S-NONCE-03: newNonce Cache-Control {cache!r}: {where}")
        # S-LINK-02
        if response.url in probe.challenge_authz and response.status_code < 300:
            up = link_targets(response, "up")
            if up != [probe.challenge_authz[response.url]]:
                failures.append(f"S-LINK-02: want Link <{probe.challenge_authz[response.url]}>;"
                                f"rel=\"up\", got {response.headers.get('Link')!r}: {where}")
        # S-ERR-02 and S-ORD-10
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if "json" not in content_type:
            continue
        try:
            body = response.json()
        except ValueError:
            failures.append(f"unparsable JSON: {where}")
            continue
        problem_top = content_type == "application/problem+json"
        for problem in walk_problems(body, top=problem_top):
            kind = problem.get("type", "")
            name = kind.removeprefix(ACME_ERROR) if kind.startswith(ACME_ERROR) else None
            if name is None or name not in REGISTERED_ERRORS:
                failures.append(f"S-ERR-02: problem type {kind!r}: {where}")
            else:
                types.add(name)
        if (isinstance(body, dict) and "finalize" in body and body.get("status") == "processing"
                and not response.headers.get("Retry-After")):
            failures.append(f"S-ORD-10: processing order without Retry-After: {where}")
    assert not failures, "\n".join(failures)
    return types


@pytest.fixture
def probe_for():
    def make(server):
        return Recorder(server.directory, MOCKCA_TLS_ROOT)
    return make


# ----- helpers ----------------------------------------------------------------------------------
def csr_der(key, names=(), ips=()):
    builder = x509.CertificateSigningRequestBuilder()
    builder = builder.subject_name(x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, names[0])] if names else []))
    sans = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(i))
                                                for i in ips]
    builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(key.private, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def new_ip_order(probe, account, ip="127.0.0.1"):
    response = probe.as_account(account, probe.url("newOrder"),
                                {"identifiers": [{"type": "ip", "value": ip}]})
    assert response.status_code == 201, describe(response)
    body = response.json()
    body["url"] = response.headers["Location"]
    return body


def challenge_of(authz, kind):
    return next(c for c in authz["challenges"] if c["type"] == kind)


def check_challenge_schema(challenge):
    """S-CHAL-01 / S-CHAL-02 on one challenge object."""
    for member in ("type", "url", "status", "token"):
        assert member in challenge, f"S-CHAL-01: {member} missing: {challenge}"
    assert challenge["status"] in ("pending", "processing", "valid", "invalid"), challenge
    token = challenge["token"]
    assert isinstance(token, str) and BASE64URL.match(token), f"S-CHAL-02: {token!r}"
    assert "=" not in token and len(token) >= 22, f"S-CHAL-02: token {token!r} < 128 bits"
    if challenge["status"] == "valid":
        assert RFC3339.match(challenge.get("validated", "")), \
            f"S-CHAL-01: valid challenge without RFC 3339 validated: {challenge}"
    if challenge["status"] == "invalid":
        error = challenge.get("error")
        assert isinstance(error, dict) and error.get("type", "").startswith(ACME_ERROR), \
            f"S-CHAL-01: invalid challenge without a problem document: {challenge}"


def check_final_authz(authz):
    """S-AUTHZ-04: a valid authz carries expires; once final only the valid challenge or ones
    with an error are listed."""
    assert authz["status"] in ("valid", "invalid"), authz
    if authz["status"] == "valid":
        assert RFC3339.match(authz.get("expires", "")), f"S-AUTHZ-04: no expires: {authz}"
        assert any(c["status"] == "valid" for c in authz["challenges"]), authz
    for challenge in authz["challenges"]:
        assert challenge["status"] == "valid" or "error" in challenge, \
            f"S-AUTHZ-04: final authz still lists {challenge}: {authz}"
        check_challenge_schema(challenge)


def finalize_and_wait(probe, account, order, csr):
    """S-FIN-06 / S-ORD-10: the finalize reply is 200 with processing + Retry-After or valid +
    certificate; polls until valid. Returns the valid order."""
    response = probe.as_account(account, order["finalize"], {"csr": b64u(csr)})
    assert response.status_code == 200, f"S-FIN-06: {describe(response)}"
    body = response.json()
    assert body["status"] in ("processing", "valid"), f"S-FIN-06: {describe(response)}"
    if body["status"] == "processing":
        assert response.headers.get("Retry-After"), f"S-ORD-10: {describe(response)}"
    else:
        assert body.get("certificate"), f"S-FIN-06: {describe(response)}"
    body = probe.wait_status(account, order["url"], ("valid", "invalid"))
    assert body["status"] == "valid" and body.get("certificate"), body
    return body


PEM_CHAIN = re.compile(r"^(-----BEGIN CERTIFICATE-----\r?\n(?:[A-Za-z0-9+/]{64}\r?\n)*"
                       r"[A-Za-z0-9+/]{0,63}={0,2}\r?\n?-----END CERTIFICATE-----\r?\n)+$")


def verify_signed_by(cert, issuer):
    key = issuer.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(cert.signature, cert.tbs_certificate_bytes,
                   ec.ECDSA(cert.signature_hash_algorithm))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(),
                   cert.signature_hash_algorithm)
    elif isinstance(key, ed25519.Ed25519PublicKey):
        key.verify(cert.signature, cert.tbs_certificate_bytes)
    else:
        raise AssertionError(f"unexpected issuer key {key}")


def check_chain(response, server, tmp_path):
    """S-CERT-02: strict PEM, certificates only, leaf first, each next certifies the previous,
    root left out; openssl verifies the leaf against /roots/0. Returns the parsed certificates."""
    assert response.status_code == 200, describe(response)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    assert content_type == "application/pem-certificate-chain", describe(response)
    text = response.text
    assert PEM_CHAIN.match(text), f"S-CERT-02: not strict PEM of certificates only:\n{text}"
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\r?\n", text,
                        re.S)
    assert "".join(blocks) == text, f"S-CERT-02: extra text:\n{text}"
    certs = [x509.load_pem_x509_certificate(b.encode()) for b in blocks]
    assert len(certs) >= 2, f"S-CERT-02: want leaf + intermediate, got {len(certs)}"
    leaf = certs[0]
    basic = leaf.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert not basic.ca, "S-CERT-02: the first certificate is not the end-entity"
    for child, parent in zip(certs, certs[1:]):
        assert child.issuer == parent.subject, f"S-CERT-02: {parent.subject} !> {child.subject}"
        verify_signed_by(child, parent)
    root_path = server.root_pem(tmp_path)
    root = x509.load_pem_x509_certificate(root_path.read_bytes())
    for cert in certs:
        assert cert.subject != cert.issuer, f"S-CERT-02: self-signed {cert.subject} in chain"
        assert cert.fingerprint(hashes.SHA256()) != root.fingerprint(hashes.SHA256())
    verify_signed_by(certs[-1], root)
    leaf_file, chain_file = tmp_path / "leaf.pem", tmp_path / "untrusted.pem"
    leaf_file.write_text(blocks[0])
    chain_file.write_text("".join(blocks[1:]))
    result = subprocess.run(["openssl", "verify", "-CAfile", str(root_path), "-untrusted",
                             str(chain_file), str(leaf_file)], capture_output=True, text=True,
                            timeout=10)
    assert result.returncode == 0, f"S-CERT-02: openssl verify: {result.stdout}{result.stderr}"
    return certs


class ChallengeHttp:
    """A tiny http-01 server on 127.0.0.1 (a free port): serves `routes` (path -> callable
    returning (status, headers, body)) and records every request's Host header."""

    def __init__(self):
        self.routes = {}
        self.hosts = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.hosts.append((self.path, self.headers.get("Host")))
                route = outer.routes.get(self.path)
                status, headers, body = route() if route else (404, {}, b"not found")
                # The status line, header and body in one write, as most servers send a small
                # response: the VA must enforce its caps whatever the TCP segmentation.
                head = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}"]
                head += [f"{name}: {value}" for name, value in headers.items()]
                head += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
                self.close_connection = True
                try:
                    self.wfile.write("\r\n".join(head).encode() + body)
                except OSError:
                    pass  # the VA stopped reading at its cap

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def challenge_http():
    server = ChallengeHttp()
    yield server
    server.close()


def names(tag, count=1):
    import secrets
    return [f"{tag}{i}-{secrets.token_hex(4)}.conf.example" for i in range(count)]


# ----- tests ------------------------------------------------------------------------------------
def test_full_flow_links_locations_nonces_errors_S_LINK_01_S_LINK_03_S_NONCE_01_S_NONCE_03_S_DIR_05_S_ERR_02(  # noqa: E501
        mockca, probe_for, tmp_path):
    """One whole flow with errors mixed in; every response audited.
    S-LINK-01 (rel=index everywhere but the directory), S-LINK-03 (Location on newAccount 201 and
    200, newOrder 201, keyChange 409), S-DIR-05 (termsOfService present and equal to the
    userActionRequired rel=terms-of-service), S-NONCE-01/03, S-ERR-02, S-FIN-06, S-ORD-10."""
    p = probe_for(mockca)
    tos = p.dir.get("meta", {}).get("termsOfService")
    assert isinstance(tos, str) and tos, f"S-DIR-05: no meta.termsOfService: {p.dir}"

    # newNonce both ways.
    head = p.request("HEAD", p.url("newNonce"), content_type=None)
    assert head.status_code == 200, describe(head)
    get = p.get(p.url("newNonce"))
    assert get.status_code == 204 and get.headers.get("Replay-Nonce"), describe(get)

    # S-DIR-05: terms not agreed -> 403 userActionRequired, Link rel=terms-of-service == meta.
    key = Key("p256")
    response = p.signed(p.url("newAccount"), key, {"termsOfServiceAgreed": False})
    expect_problem(response, 403, "userActionRequired")
    assert link_targets(response, "terms-of-service") == [tos], \
        f"S-DIR-05/S-ACCT-06: {describe(response)}"

    # S-LINK-03: newAccount 201 and 200 both carry Location (the same one).
    response = p.signed(p.url("newAccount"), key, {"termsOfServiceAgreed": True,
                                                   "contact": ["mailto:a@conf.example"]})
    assert response.status_code == 201 and response.headers.get("Location"), describe(response)
    account = Account(key, response.headers["Location"], response.json())
    again = p.signed(p.url("newAccount"), key, {"termsOfServiceAgreed": True})
    assert again.status_code == 200, describe(again)
    assert again.headers.get("Location") == account.url, f"S-LINK-03: {describe(again)}"
    only = p.signed(p.url("newAccount"), key, {"onlyReturnExisting": True})
    assert only.status_code == 200, describe(only)
    assert only.headers.get("Location") == account.url, f"S-LINK-03: {describe(only)}"
    p.fetch(account, account.url)

    # newOrder 201 + Location.
    order_names = names("flow", 2)
    response = p.as_account(account, p.url("newOrder"),
                            {"identifiers": [{"type": "dns", "value": n} for n in order_names]})
    assert response.status_code == 201 and response.headers.get("Location"), \
        f"S-LINK-03: {describe(response)}"
    order = response.json()
    order["url"] = response.headers["Location"]

    # An error on the way: finalize too early (orderNotReady), an unknown order (404).
    cert_key = Key("p256")
    early = p.as_account(account, order["finalize"], {"csr": b64u(csr_der(cert_key, order_names))})
    expect_problem(early, 403, "orderNotReady")
    missing = p.as_account(account, order["url"] + "-nope")
    assert missing.status_code == 404, describe(missing)
    # A GET (not POST-as-GET) on the order: an error, still with rel=index.
    p.get(order["url"])

    for authz_url in order["authorizations"]:
        authz = p.solve_dns01(account, authz_url, mockca)
        assert authz["status"] == "valid", authz
        challenge = challenge_of(authz, "dns-01")
        p.fetch(account, challenge["url"])  # POST-as-GET on the challenge (S-LINK-02 audited)
    p.wait_status(account, order["url"], ("ready",))
    valid = finalize_and_wait(p, account, order, csr_der(cert_key, order_names))
    chain = p.fetch(account, valid["certificate"])
    check_chain(chain, mockca, tmp_path)

    # keyChange to a key another account already holds: 409 + Location of that account.
    other = p.new_account()
    url = p.url("keyChange")
    inner = p.jws(other.key, url, {"account": account.url, "oldKey": key.jwk},
                  nonce="unused", omit=("nonce",))
    response = p.as_account(account, url, inner)
    assert response.status_code == 409, describe(response)
    assert response.headers.get("Location") == other.url, f"S-LINK-03: {describe(response)}"

    # Revoke, then revoke again (alreadyRevoked).
    der = leaf_der(chain.text)
    response = p.as_account(account, p.url("revokeCert"), {"certificate": b64u(der)})
    assert response.status_code == 200, describe(response)
    response = p.as_account(account, p.url("revokeCert"), {"certificate": b64u(der)})
    expect_problem(response, 400, "alreadyRevoked")

    # A replayed nonce: badNonce, with a fresh nonce on the error.
    nonce = p.nonce(fresh=True)
    p.as_account(account, account.url, nonce=nonce)
    response = p.as_account(account, account.url, nonce=nonce)
    expect_problem(response, 400, "badNonce")

    types = audit(p)
    assert {"userActionRequired", "orderNotReady", "alreadyRevoked", "badNonce"} <= types, types


def test_challenge_schema_tokens_and_final_authz_S_CHAL_01_S_CHAL_02_S_AUTHZ_04_S_LINK_02(
        mockca, probe_for):
    """S-CHAL-01 (fields; validated once valid; error problem once invalid), S-CHAL-02 (token
    entropy, alphabet, no '=', unique), S-AUTHZ-04 (valid authz has expires; final authz lists
    only valid or errored challenges), S-LINK-02 (rel=up on challenge responses)."""
    p = probe_for(mockca)
    account = p.new_account()
    order = p.new_order(account, names("chal", 3))
    tokens = []
    authzs = [p.authz(account, url) for url in order["authorizations"]]
    for authz in authzs:
        assert authz["status"] == "pending", authz
        types = [c["type"] for c in authz["challenges"]]
        assert len(types) == len(set(types)), authz
        for challenge in authz["challenges"]:
            check_challenge_schema(challenge)
            assert challenge["status"] == "pending", challenge
            assert "validated" not in challenge and "error" not in challenge, challenge
            tokens.append(challenge["token"])
    assert len(tokens) == len(set(tokens)), f"S-CHAL-02: tokens not unique: {tokens}"

    # Two succeed by dns-01.
    for authz_url in order["authorizations"][:2]:
        authz = p.solve_dns01(account, authz_url, mockca)
        check_final_authz(authz)
        assert authz["status"] == "valid", authz
        valid = challenge_of(authz, "dns-01")
        assert valid["status"] == "valid", authz
        response = p.fetch(account, valid["url"])
        assert link_targets(response, "up") == [authz_url], f"S-LINK-02: {describe(response)}"

    # The third fails: a wrong TXT value.
    authz_url = order["authorizations"][2]
    authz = p.authz(account, authz_url)
    challenge = challenge_of(authz, "dns-01")
    mockca.ok("/set-txt", {"host": f"_acme-challenge.{authz['identifier']['value']}.",
                           "value": b64u(hashlib.sha256(b"wrong").digest())})
    response = p.as_account(account, challenge["url"], {})
    assert response.status_code == 200, describe(response)
    assert link_targets(response, "up") == [authz_url], f"S-LINK-02: {describe(response)}"
    check_challenge_schema(response.json())
    authz = p.wait_status(account, authz_url, ("valid", "invalid"))
    assert authz["status"] == "invalid", authz
    check_final_authz(authz)
    failed = next(c for c in authz["challenges"] if c["url"] == challenge["url"])
    assert failed["status"] == "invalid", authz
    error = failed["error"]
    assert error["type"] in (ACME_ERROR + "unauthorized", ACME_ERROR + "incorrectResponse"), \
        f"S-CHAL-01: {failed}"
    assert isinstance(error.get("detail"), str) and error["detail"], failed
    response = p.fetch(account, challenge["url"])
    assert response.json()["status"] == "invalid" and "error" in response.json(), \
        describe(response)
    order_now = p.wait_status(account, order["url"], ("invalid",), timeout=5)
    assert order_now["status"] == "invalid", order_now
    audit(p)


def test_ip_order_offers_only_http01_and_tlsalpn01_S_IP_02(mockca, probe_for):
    """S-IP-02: an ip identifier is offered http-01 and tls-alpn-01 only (never dns-01)."""
    p = probe_for(mockca)
    account = p.new_account()
    order = new_ip_order(p, account)
    assert order["identifiers"] == [{"type": "ip", "value": "127.0.0.1"}], order
    authz = p.authz(account, order["authorizations"][0])
    assert authz["identifier"] == {"type": "ip", "value": "127.0.0.1"}, authz
    kinds = sorted(c["type"] for c in authz["challenges"])
    assert kinds and set(kinds) <= {"http-01", "tls-alpn-01"}, f"S-IP-02: {authz}"
    assert "dns-01" not in kinds
    for challenge in authz["challenges"]:
        check_challenge_schema(challenge)
    audit(p)


def test_ip_http01_host_header_and_ip_san_S_IP_03_S_CERT_02_S_FIN_06_S_ORD_10(
        mockca_factory, probe_for, challenge_http, tmp_path):
    """S-IP-03: the http-01 request for an ip identifier has Host equal to the address (with the
    non-default port appended, as HTTP requires); the order becomes ready, finalize with an IP SAN
    CSR (S-FIN-06, S-ORD-10), the chain is strict and verifies (S-CERT-02), the leaf's only SAN is
    the IP."""
    server = mockca_factory("--http-port", str(challenge_http.port))
    p = probe_for(server)
    account = p.new_account()
    order = new_ip_order(p, account)
    authz_url = order["authorizations"][0]
    authz = p.authz(account, authz_url)
    challenge = challenge_of(authz, "http-01")
    path = f"/.well-known/acme-challenge/{challenge['token']}"
    key_authorization = p.key_authorization(account, challenge["token"])
    challenge_http.routes[path] = lambda: (200, {"Content-Type": "text/plain"},
                                           key_authorization.encode())
    response = p.as_account(account, challenge["url"], {})
    assert response.status_code == 200, describe(response)
    authz = p.wait_status(account, authz_url, ("valid", "invalid"))
    assert authz["status"] == "valid", authz
    check_final_authz(authz)
    hosts = [host for got, host in challenge_http.hosts if got == path]
    assert hosts, challenge_http.hosts
    # RFC 8738 §5 / conformance S-IP-03: Host is the address; RFC 9110 §7.2 appends a non-default
    # port.
    for host in hosts:
        assert host in ("127.0.0.1", f"127.0.0.1:{challenge_http.port}"), \
            f"S-IP-03: Host {host!r}"
    p.wait_status(account, order["url"], ("ready",))
    cert_key = Key("p256")
    valid = finalize_and_wait(p, account, order, csr_der(cert_key, ips=["127.0.0.1"]))
    certs = check_chain(p.fetch(account, valid["certificate"]), server, tmp_path)
    san = certs[0].extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"], san
    assert san.get_values_for_type(x509.DNSName) == [], san
    assert certs[0].public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) == \
        cert_key.public.public_bytes(serialization.Encoding.DER,
                                     serialization.PublicFormat.SubjectPublicKeyInfo)
    audit(p)


def test_ip_tlsalpn01_reverse_name_sni_S_IP_04(mockca_factory, probe_for):
    """S-IP-04: tls-alpn-01 for an ip identifier sends the in-addr.arpa reverse name in SNI and
    accepts the embedded responder's certificate (one iPAddress SAN equal to the address)."""
    port = free_port()
    server = mockca_factory("--mockdns-tlsalpn01", f"127.0.0.1:{port}", "--tls-port", str(port))
    p = probe_for(server)
    account = p.new_account()
    order = new_ip_order(p, account)
    authz_url = order["authorizations"][0]
    authz = p.authz(account, authz_url)
    challenge = challenge_of(authz, "tls-alpn-01")
    server.ok("/add-tlsalpn01", {"host": "127.0.0.1",
                                 "content": p.key_authorization(account, challenge["token"])})
    response = p.as_account(account, challenge["url"], {})
    assert response.status_code == 200, describe(response)
    authz = p.wait_status(account, authz_url, ("valid", "invalid"))
    assert authz["status"] == "valid", f"S-IP-04: {authz}"
    check_final_authz(authz)
    events = (server.history("tlsalpn01", "1.0.0.127.in-addr.arpa")
              + server.history("tlsalpn01", "127.0.0.1"))
    assert events, "no tls-alpn-01 handshake recorded"
    assert {e["ServerName"] for e in events} == {"1.0.0.127.in-addr.arpa"}, f"S-IP-04: {events}"
    assert all(e["SupportedProtos"] == ["acme-tls/1"] for e in events), events
    p.wait_status(account, order["url"], ("ready",))
    audit(p)


@pytest.mark.parametrize("mode", ["body-cap", "redirect-loop"])
def test_http01_body_and_redirect_caps_S_CHAL_13(mode, mockca_factory, probe_for,
                                                  challenge_http):
    """S-CHAL-13: the VA caps the http-01 body (64 KiB) and the redirect count; the challenge goes
    invalid with a detail that says why, the authz and order go invalid, and mockca keeps
    serving."""
    server = mockca_factory("--http-port", str(challenge_http.port))
    p = probe_for(server)
    account = p.new_account()
    order = new_ip_order(p, account)
    authz_url = order["authorizations"][0]
    challenge = challenge_of(p.authz(account, authz_url), "http-01")
    path = f"/.well-known/acme-challenge/{challenge['token']}"
    key_authorization = p.key_authorization(account, challenge["token"])
    if mode == "body-cap":
        body = (key_authorization + "\n").encode() + b" " * (70 * 1024)
        challenge_http.routes[path] = lambda: (200, {"Content-Type": "text/plain"}, body)
    else:
        challenge_http.routes[path] = lambda: (302, {"Location": path}, b"")
    response = p.as_account(account, challenge["url"], {})
    assert response.status_code == 200, describe(response)
    authz = p.wait_status(account, authz_url, ("valid", "invalid"))
    assert authz["status"] == "invalid", f"S-CHAL-13 ({mode}): {authz}"
    check_final_authz(authz)
    failed = challenge_of(authz, "http-01")
    detail = failed["error"].get("detail", "")
    if mode == "body-cap":
        assert re.search(r"body|size|large|65536|64 ?KiB", detail, re.I), \
            f"S-CHAL-13: detail does not mention the body cap: {failed}"
    else:
        assert re.search(r"redirect", detail, re.I), \
            f"S-CHAL-13: detail does not mention redirects: {failed}"
        fetches = [h for got, h in challenge_http.hosts if got == path]
        assert 1 < len(fetches) <= 21, f"S-CHAL-13: {len(fetches)} fetches"
    order_now = p.wait_status(account, order["url"], ("invalid",), timeout=5)
    assert order_now["status"] == "invalid", order_now
    # mockca keeps serving: a fresh order still works.
    assert server.alive()
    assert p.get(p.directory_url).status_code == 200
    p.new_order(p.new_account(), names("after"))
    audit(p)
