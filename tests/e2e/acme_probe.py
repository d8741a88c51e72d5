"""A raw ACME (RFC 8555) probe client for the negative suite: every byte of a request is in the
caller's hands, so deliberately broken requests can be sent.

- Key: P-256, P-384, RSA-2048, RSA-1024, Ed25519 private keys with their public JWK, RFC 7638
  thumbprint and JWS signing (raw r||s for ECDSA, PKCS#1 v1.5 for RS256).
- Probe.jws(): a flattened JWS with full control over the protected header (alg, jwk, kid, nonce,
  url, extra members, members left out, or raw protected bytes), the payload bytes and the
  signature bytes.
- Probe.post(): any method, body, Content-Type and extra headers.
- Helpers for the happy path: account, order, dns-01 through the embedded mockdns, finalize with a
  CSR built by cryptography, certificate download, revocation.
- expect_problem(): status, application/problem+json, type urn:ietf:params:acme:error:<x>, a
  non-empty detail, and Replay-Nonce on every POST response (S-NONCE-01).

Runs under Debian's /usr/bin/python3 (requests, cryptography).
"""
import base64
import hashlib
import json
import time

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

ACME_ERROR = "urn:ietf:params:acme:error:"
JOSE = "application/jose+json"
USER_AGENT = "anvil-acme-probe/1.0 python-requests"

_OMIT = object()  # "leave this protected-header member out"
DEFAULT = object()  # "use the normal value"


def b64u(data):
    """base64url without padding (RFC 8555 §6.1)."""
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical_json(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _int_bytes(value, length=None):
    length = length or max(1, (value.bit_length() + 7) // 8)
    return value.to_bytes(length, "big")


class Key:
    """A private key with its JWS alg, public JWK and thumbprint."""

    KINDS = ("p256", "p384", "rsa2048", "rsa1024", "ed25519")

    def __init__(self, kind="p256"):
        self.kind = kind
        if kind == "p256":
            self.private = ec.generate_private_key(ec.SECP256R1())
            self.alg, self.size = "ES256", 32
        elif kind == "p384":
            self.private = ec.generate_private_key(ec.SECP384R1())
            self.alg, self.size = "ES384", 48
        elif kind in ("rsa2048", "rsa1024"):
            self.private = rsa.generate_private_key(65537, int(kind[3:]))
            self.alg, self.size = "RS256", None
        elif kind == "ed25519":
            self.private = ed25519.Ed25519PrivateKey.generate()
            self.alg, self.size = "EdDSA", None
        else:
            raise ValueError(kind)

    @property
    def public(self):
        return self.private.public_key()

    @property
    def jwk(self):
        """The public JWK (RFC 7517/7518; the required members only)."""
        if self.kind.startswith("p"):
            numbers = self.public.public_numbers()
            crv = {"p256": "P-256", "p384": "P-384"}[self.kind]
            return {"kty": "EC", "crv": crv, "x": b64u(_int_bytes(numbers.x, self.size)),
                    "y": b64u(_int_bytes(numbers.y, self.size))}
        if self.kind.startswith("rsa"):
            numbers = self.public.public_numbers()
            return {"kty": "RSA", "n": b64u(_int_bytes(numbers.n)),
                    "e": b64u(_int_bytes(numbers.e))}
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}

    @property
    def private_jwk(self):
        """The JWK with its private members (never to be sent; C-JWS-07 probes do)."""
        jwk = dict(self.jwk)
        if self.kind.startswith("p"):
            jwk["d"] = b64u(_int_bytes(self.private.private_numbers().private_value, self.size))
        elif self.kind.startswith("rsa"):
            numbers = self.private.private_numbers()
            jwk.update(d=b64u(_int_bytes(numbers.d)), p=b64u(_int_bytes(numbers.p)),
                       q=b64u(_int_bytes(numbers.q)))
        else:
            jwk["d"] = b64u(self.private.private_bytes(serialization.Encoding.Raw,
                                                       serialization.PrivateFormat.Raw,
                                                       serialization.NoEncryption()))
        return jwk

    def thumbprint(self):
        """RFC 7638 JWK thumbprint, base64url."""
        return b64u(hashlib.sha256(canonical_json(self.jwk).encode()).digest())

    def sign(self, data):
        if self.kind.startswith("p"):
            hash_alg = hashes.SHA256() if self.kind == "p256" else hashes.SHA384()
            r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hash_alg)))
            return _int_bytes(r, self.size) + _int_bytes(s, self.size)
        if self.kind.startswith("rsa"):
            return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.private.sign(data)

    def pem(self):
        return self.public.public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)


class Account:
    def __init__(self, key, url, body):
        self.key, self.url, self.body = key, url, body


class ProblemError(AssertionError):
    pass


def describe(response):
    return (f"{response.request.method} {response.url} -> {response.status_code} "
            f"{dict(response.headers)}\n{response.text[:2000]}")


def expect_problem(response, status, types, *, post=None, detail=True):
    """Asserts an RFC 7807 problem: the HTTP status, Content-Type application/problem+json, a
    `type` that is urn:ietf:params:acme:error:<one of types>, a non-empty `detail`, and (for a
    POST) a Replay-Nonce (S-NONCE-01). Returns the parsed problem."""
    if isinstance(types, str):
        types = (types,)
    want = {ACME_ERROR + t for t in types}
    where = describe(response)
    assert response.status_code == status, f"expected {status} {sorted(types)}; got {where}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.split(";")[0].strip().lower() == "application/problem+json", where
    problem = response.json()
    assert problem.get("type") in want, f"expected type in {sorted(want)}; got {where}"
    if detail:
        assert isinstance(problem.get("detail"), str) and problem["detail"].strip(), where
    if "status" in problem:
        assert problem["status"] == status, where  # S-ERR-01
    if post is None:
        post = response.request.method == "POST"
    if post:
        assert response.headers.get("Replay-Nonce"), f"no Replay-Nonce (S-NONCE-01): {where}"
    return problem


def problem_type(response):
    try:
        return response.json().get("type", "").removeprefix(ACME_ERROR)
    except ValueError:
        return None


class Probe:
    """One ACME endpoint; keeps a session and a nonce pool."""

    def __init__(self, directory_url, ca_bundle, timeout=30):
        self.directory_url = directory_url
        self.session = requests.Session()
        # trust_env off: REQUESTS_CA_BUNDLE (set in CI shells) would override `verify`, and a
        # proxy from the environment has no business between us and 127.0.0.1.
        self.session.trust_env = False
        self.session.verify = ca_bundle if isinstance(ca_bundle, bool) else str(ca_bundle)
        self.session.headers["User-Agent"] = USER_AGENT
        self.timeout = timeout
        self._nonces = []
        self.dir = self.get(directory_url).json()

    # ----- transport -------------------------------------------------------------------------
    def request(self, method, url, *, body=None, content_type=JOSE, headers=None):
        all_headers = {} if content_type is None else {"Content-Type": content_type}
        all_headers.update(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        response = self.session.request(method, url, data=body, headers=all_headers,
                                        timeout=self.timeout, allow_redirects=False)
        if response.headers.get("Replay-Nonce"):
            self._nonces.append(response.headers["Replay-Nonce"])
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, content_type=None, **kwargs)

    def post(self, url, body, content_type=JOSE, headers=None):
        # requests would add Content-Type only for dict data; we pass bytes, so None means none.
        return self.request("POST", url, body=body, content_type=content_type, headers=headers)

    def url(self, name):
        return self.dir[name]

    def nonce(self, fresh=False):
        """A nonce: one from an earlier response, or HEAD newNonce."""
        if self._nonces and not fresh:
            return self._nonces.pop()
        response = self.session.head(self.dir["newNonce"], timeout=self.timeout)
        assert response.status_code == 200 and response.headers.get("Replay-Nonce"), \
            describe(response)
        return response.headers["Replay-Nonce"]

    # ----- JWS -------------------------------------------------------------------------------
    def jws(self, key, url, payload, *, kid=None, jwk=DEFAULT, alg=DEFAULT, nonce=DEFAULT,
            extra=None, omit=(), protected_raw=None, protected_b64=None, payload_b64=None,
            signature=None, signature_b64=None, sign_key=None):
        """A flattened JWS as a dict {protected, payload, signature}.

        payload: None → "" (POST-as-GET); dict/list → JSON; str/bytes → those bytes.
        kid given → a kid header, else jwk (key.jwk unless jwk= says otherwise; jwk=None leaves
        it out). omit: header members to leave out. extra: members to add or override.
        protected_raw: the protected header bytes verbatim. *_b64: the encoded members verbatim.
        signature: raw signature bytes; sign_key: sign with another key than `key`."""
        header = {"alg": key.alg if alg is DEFAULT else alg}
        if kid is not None:
            header["kid"] = kid
        if jwk is DEFAULT:
            if kid is None:
                header["jwk"] = key.jwk
        elif jwk is not None:
            header["jwk"] = jwk
        header["nonce"] = self.nonce() if nonce is DEFAULT else nonce
        header["url"] = url
        header.update(extra or {})
        for name in omit:
            header.pop(name, None)
        if protected_b64 is None:
            raw = protected_raw if protected_raw is not None else json.dumps(header).encode()
            protected_b64 = b64u(raw)
        if payload_b64 is None:
            if payload is None:
                payload_bytes = b""
            elif isinstance(payload, (dict, list)):
                payload_bytes = json.dumps(payload).encode()
            elif isinstance(payload, str):
                payload_bytes = payload.encode()
            else:
                payload_bytes = payload
            payload_b64 = b64u(payload_bytes)
        if signature_b64 is None:
            if signature is None:
                signer = sign_key or key
                signature = signer.sign(f"{protected_b64}.{payload_b64}".encode())
            signature_b64 = b64u(signature)
        return {"protected": protected_b64, "payload": payload_b64, "signature": signature_b64}

    def signed(self, url, key, payload, *, account=None, content_type=JOSE, headers=None, **kw):
        """POSTs a JWS for `payload`, by kid when account is given (key defaults to its key)."""
        if account is not None:
            key = key or account.key
            kw.setdefault("kid", account.url)
        return self.post(url, self.jws(key, url, payload, **kw), content_type, headers)

    def as_account(self, account, url, payload=None, **kw):
        return self.signed(url, account.key, payload, account=account, **kw)

    # ----- happy path ------------------------------------------------------------------------
    def new_account(self, key=None, contact=None, tos=True, expect=201):
        key = key or Key("p256")
        payload = {"termsOfServiceAgreed": tos}
        if contact is not None:
            payload["contact"] = contact
        response = self.signed(self.url("newAccount"), key, payload)
        assert response.status_code == expect, describe(response)
        return Account(key, response.headers["Location"], response.json())

    def new_order(self, account, names, expect=201, **fields):
        identifiers = [{"type": "dns", "value": name} for name in names]
        response = self.as_account(account, self.url("newOrder"),
                                   {"identifiers": identifiers, **fields})
        assert response.status_code == expect, describe(response)
        body = response.json()
        body["url"] = response.headers["Location"]
        return body

    def fetch(self, account, url, expect=200):
        response = self.as_account(account, url)
        assert response.status_code == expect, describe(response)
        return response

    def key_authorization(self, account, token):
        return f"{token}.{account.key.thumbprint()}"

    def dns01_value(self, account, token):
        return b64u(hashlib.sha256(self.key_authorization(account, token).encode()).digest())

    def solve_dns01(self, account, authz_url, mockdns, wait=True):
        """Provisions the TXT record through the embedded mockdns and POSTs the dns-01 challenge."""
        authz = self.fetch(account, authz_url).json()
        if authz["status"] == "valid":
            return authz
        challenge = next(c for c in authz["challenges"] if c["type"] == "dns-01")
        mockdns.ok("/set-txt", {"host": f"_acme-challenge.{authz['identifier']['value']}.",
                                "value": self.dns01_value(account, challenge["token"])})
        response = self.as_account(account, challenge["url"], {})
        assert response.status_code == 200, describe(response)
        return self.wait_status(account, authz_url, ("valid", "invalid")) if wait else authz

    def wait_status(self, account, url, statuses, timeout=20):
        deadline = time.time() + timeout
        while True:
            body = self.fetch(account, url).json()
            if body["status"] in statuses:
                return body
            assert time.time() < deadline, f"{url} stuck in {body}"
            time.sleep(0.1)

    def ready_order(self, account, names, mockdns):
        order = self.new_order(account, names)
        for authz_url in order["authorizations"]:
            authz = self.solve_dns01(account, authz_url, mockdns)
            assert authz["status"] == "valid", authz
        body = self.wait_status(account, order["url"], ("ready", "invalid"))
        assert body["status"] == "ready", body
        body["url"] = order["url"]
        return body

    def finalize(self, account, order, csr_der, expect=200):
        response = self.as_account(account, order["finalize"], {"csr": b64u(csr_der)})
        assert response.status_code == expect, describe(response)
        return response

    def issue(self, account, names, mockdns, cert_key=None):
        """A whole issuance; returns (order, certificate key, PEM chain)."""
        cert_key = cert_key or Key("p256")
        order = self.ready_order(account, names, mockdns)
        self.finalize(account, order, make_csr(cert_key, names))
        body = self.wait_status(account, order["url"], ("valid", "invalid"))
        assert body["status"] == "valid", body
        body["url"] = order["url"]
        chain = self.fetch(account, body["certificate"]).text
        return body, cert_key, chain


def make_csr(key, names, *, common_name=True, hash_alg=None, der=True):
    """A PKCS#10 CSR for `names` (dNSName SANs, the first also as CN) signed by key."""
    builder = x509.CertificateSigningRequestBuilder()
    if common_name and names:
        builder = builder.subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                                     names[0])]))
    else:
        builder = builder.subject_name(x509.Name([]))
    if names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
    if hash_alg is None:
        hash_alg = None if key.kind == "ed25519" else (
            hashes.SHA384() if key.kind == "p384" else hashes.SHA256())
    csr = builder.sign(key.private, hash_alg)
    return csr.public_bytes(serialization.Encoding.DER if der else serialization.Encoding.PEM)


def leaf_der(chain_pem):
    """The DER of the first certificate of a PEM chain."""
    cert = x509.load_pem_x509_certificate(chain_pem.encode() if isinstance(chain_pem, str)
                                          else chain_pem)
    return cert.public_bytes(serialization.Encoding.DER)


def self_signed_der(key, name="unknown.example"):
    """A certificate this CA never issued."""
    import datetime
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key.private, None if key.kind == "ed25519" else hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


class RawResponse:
    """What raw_exchange read: status, headers (a requests-style case-insensitive dict), body."""

    def __init__(self, method, url, status, headers, body):
        self.status_code, self.headers, self.content = status, headers, body
        self.url = url
        self.text = body.decode(errors="replace")
        self.request = type("RawRequest", (), {"method": method, "body": None})()

    def json(self):
        return json.loads(self.text)


def raw_exchange(url, head, body=b"", ca_bundle=None, method="POST", timeout=10):
    """Sends `head` (the request line and headers, without the blank line) and then `body` over a
    fresh TLS connection, tolerating a server that answers and closes before the body is
    through; returns the RawResponse it read."""
    import socket
    import ssl
    from urllib.parse import urlsplit
    from requests.structures import CaseInsensitiveDict
    parts = urlsplit(url)
    context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
    with socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout) as sock:
        with context.wrap_socket(sock, server_hostname=parts.hostname) as tls:
            tls.sendall(head.rstrip(b"\r\n") + b"\r\n\r\n")
            try:
                for offset in range(0, len(body), 16384):
                    tls.sendall(body[offset:offset + 16384])
            except (OSError, ssl.SSLError):
                pass  # the server already answered and closed
            data = b""
            try:
                while True:
                    chunk = tls.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    if b"\r\n\r\n" in data:
                        head_part, _, rest = data.partition(b"\r\n\r\n")
                        length = [int(line.split(b":", 1)[1]) for line in head_part.split(b"\r\n")
                                  if line.lower().startswith(b"content-length:")]
                        if length and len(rest) >= length[0]:
                            break
            except (OSError, ssl.SSLError):
                pass
    head_part, _, rest = data.partition(b"\r\n\r\n")
    lines = head_part.decode(errors="replace").split("\r\n")
    assert lines and lines[0].startswith("HTTP/"), f"no HTTP answer: {data[:200]!r}"
    headers = CaseInsensitiveDict()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    return RawResponse(method, url, int(lines[0].split()[1]), headers, rest)
