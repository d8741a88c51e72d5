#include "mockca/report/report_part_b.hpp"

namespace mockca::report {

const std::vector<PartBItem>& PartBItems() {
  // Generated from conformance.md Part B (the ID and Lvl columns verbatim; the requirement is its
  // first sentence, shortened where it ran long). Keep in step with the spec: IDs never change.
  static const std::vector<PartBItem> kItems = {
      {"C-HTTP-01", "MUST / SHOULD", "Every request has a User-Agent (MUST)."},
      {"C-HTTP-02", "SHOULD", "Send Accept-Language."},
      {"C-HTTP-03", "SEC", "HTTPS only, with server certificate validation."},
      {"C-HTTP-04", "BP", "Header names are case-insensitive; HTTP/2 is possible."},
      {"C-HTTP-05", "BP", "Retry-After is parsed in both forms: delta-seconds and IMF-fixdate."},
      {"C-HTTP-06", "MUST", "base64url fields carry no padding and use the URL-safe alphabet."},
      {"C-HTTP-07", "BP",
       "A signed POST is never replayed blindly to a redirect target; the client re-signs for the "
       "new URL with a new nonce, or fails cleanly."},
      {"C-HTTP-08", "BP",
       "Survives a dropped connection: retries with a *new* nonce; does not assume the lost "
       "request failed (it may have been processed)."},
      {"C-DIR-01", "BP", "The client is configured with the directory URL only."},
      {"C-DIR-02", "BP", "Unknown directory members and unknown meta members are ignored."},
      {"C-DIR-03", "MUST NOT", "newAuthz is used only if advertised."},
      {"C-DIR-04", "BP",
       "If resource URLs start returning 404, the directory is re-fetched (via rel=index) rather "
       "than retrying stale URLs forever."},
      {"C-NONCE-01", "MUST", "Every JWS carries a nonce this server issued."},
      {"C-NONCE-02", "MUST", "A nonce is never used twice."},
      {"C-NONCE-03", "SHOULD / MUST",
       "After badNonce the client retries (SHOULD), and the retry uses the nonce from the error "
       "response (MUST)."},
      {"C-NONCE-04", "BP",
       "Reuses the Replay-Nonce of the last response instead of a HEAD newNonce before every "
       "POST."},
      {"C-NONCE-05", "MUST", "Invalid Replay-Nonce values (non-base64url, empty) are ignored."},
      {"C-NONCE-06", "SHOULD NOT", "No Replay-Nonce header in requests."},
      {"C-NONCE-07", "BP",
       "Copes with expiry after long waits (DNS propagation, manual steps) and with narrow nonce "
       "scope: it recovers through the badNonce path."},
      {"C-NONCE-08", "BP",
       "If a Replay-Nonce is missing from an error, a new one is fetched from newNonce rather than "
       "reusing the old one."},
      {"C-JWS-01", "MUST",
       "Flattened JSON only: one signature, no unprotected header, no b64:false, payload present."},
      {"C-JWS-02", "MUST", "The protected header has alg, nonce, url, and exactly one of jwk/kid."},
      {"C-JWS-03", "MUST", "jwk only on newAccount and on cert-key revocation."},
      {"C-JWS-04", "MUST", "alg is not none or a MAC, and matches the key (P-256→ES256, …)."},
      {"C-JWS-05", "MUST",
       "url is exactly the string the server provided and exactly the target of the request (no "
       "re-encoding, default port or case change)."},
      {"C-JWS-06", "MUST", "Content-Type: application/jose+json on every POST."},
      {"C-JWS-07", "SEC", "The jwk holds public members only."},
      {"C-JWS-08", "MUST",
       "JWK and thumbprint follow RFC 7518/7638 (no leading zero octets, full-length EC "
       "coordinates, required members only)."},
      {"C-JWS-09", "BP",
       "No legacy or server-owned fields in payloads (resource, status in newOrder, "
       "keyAuthorization)."},
      {"C-PAG-01", "MUST",
       "Account, order, authz, challenge, certificate and orders list are fetched with "
       "POST-as-GET, payload:\"\": not {}, not e30, not a plain GET."},
      {"C-PAG-02", "MUST", "Plain GET only for directory, newNonce and renewalInfo."},
      {"C-PAG-03", "BP",
       "Validation progress is judged from the authz (and the order), not only from the "
       "challenge."},
      {"C-ACCT-01", "MUST", "201 and 200 from newAccount both mean success."},
      {"C-ACCT-02", "SHOULD",
       "Looks up an existing account with onlyReturnExisting:true and handles accountDoesNotExist "
       "(re-register on purpose, no loop)."},
      {"C-ACCT-03", "MUST NOT", "A mailto contact has no hfields and only one address."},
      {"C-ACCT-04", "SHOULD NOT", "Does not agree to the ToS automatically by default."},
      {"C-ACCT-05", "BP",
       "On userActionRequired: shows the instance URL (and the ToS link) to the operator and "
       "stops. No tight retry and no silent new account."},
      {"C-ACCT-06", "MUST", "When externalAccountRequired is set, an EAB is sent."},
      {"C-ACCT-07", "BP",
       "externalAccountRequired without configured EAB gives a clear error and no loop."},
      {"C-ACCT-08", "BP", "Account updates send only contact (or the deactivation status)."},
      {"C-ACCT-09", "MUST / BP",
       "Deactivation body is exactly {\"status\":\"deactivated\"} with kid."},
      {"C-ACCT-10", "MUST / SEC", "A fresh key for every account creation and every rollover."},
      {"C-ACCT-11", "BP",
       "A 401 for a deactivated or revoked account is handled cleanly, with no loop."},
      {"C-KEY-01", "MUST",
       "The outer JWS uses kid = the account URL and the old key; its payload is a flattened inner "
       "JWS."},
      {"C-KEY-02", "MUST",
       "The inner JWS is signed by the new key, with jwk = the new public key and no kid."},
      {"C-KEY-03", "MUST", "Inner url equals outer url; the inner JWS has no nonce."},
      {"C-KEY-04", "MUST",
       "The inner payload has account equal to the exact Location string and oldKey equal to the "
       "current public key."},
      {"C-KEY-05", "BP", "After a 200 only the new key is used, with the same kid."},
      {"C-ORD-01", "MUST",
       "newOrder sends identifiers (type/value) and, optionally, notBefore/notAfter in RFC 3339."},
      {"C-ORD-02", "MUST", "The order URL comes from Location and is polled there."},
      {"C-ORD-03", "SHOULD", "The order status decides the next step."},
      {"C-ORD-04", "SHOULD NOT",
       "No assumption about the order of identifiers, authorizations or challenges, and no 1:1 "
       "index pairing."},
      {"C-ORD-05", "SHOULD",
       "If identifiers/authorizations change between fetches, the order is treated as invalid."},
      {"C-ORD-06", "BP",
       "invalid at any stage: read and show order.error, stop polling, never finalize. A new order "
       "comes only after backoff."},
      {"C-ORD-07", "SHOULD / BP",
       "On processing: poll the order by POST-as-GET no earlier than Retry-After, until valid or "
       "invalid, and never finalize again."},
      {"C-ORD-08", "SHOULD",
       "After orderNotReady the order is fetched (POST-as-GET) rather than retried blindly."},
      {"C-ORD-09", "BP",
       "expires is respected: no work on an expired order; a new order is started."},
      {"C-ORD-10", "BP",
       "Wildcard: order *.d, then take the authz for d with wildcard:true and use dns-01."},
      {"C-ORD-11", "BP",
       "An error for unsupported notBefore/notAfter is handled (retry without them, or report)."},
      {"C-CHAL-01", "BP",
       "Challenge types it does not know (and their extra fields, or no token) are skipped without "
       "failing."},
      {"C-CHAL-02", "MUST",
       "The challenge response body is exactly {} (not keyAuthorization, not the echoed challenge, "
       "not \"\")."},
      {"C-CHAL-03", "SHOULD NOT", "A challenge is answered only once its resource is provisioned."},
      {"C-CHAL-04", "MUST",
       "http-01 serves the keyAuthz at /.well-known/acme-challenge/<token> over plain HTTP."},
      {"C-CHAL-05", "MUST",
       "dns-01 TXT at _acme-challenge.<base> = base64url(SHA-256(keyAuthz)), unpadded."},
      {"C-CHAL-06", "MUST",
       "tls-alpn-01: a self-signed certificate with one dNSName SAN and a critical acmeIdentifier "
       "extension, served for ALPN acme-tls/1."},
      {"C-CHAL-07", "SHOULD", "The resource is removed once the challenge is valid or invalid."},
      {"C-CHAL-08", "SHOULD",
       "If the challenge POST gets an HTTP error, whatever was provisioned is undone."},
      {"C-CHAL-09", "SHOULD NOT / BP",
       "Poll the authz by POST-as-GET; honour Retry-After; when the VA request can be seen, don't "
       "start polling before it."},
      {"C-CHAL-10", "BP", "A challenge still processing with an interim error keeps being polled."},
      {"C-CHAL-11", "BP", "An invalid authz ends the order."},
      {"C-CHAL-12", "BP",
       "Pending authz it abandons are deactivated with exactly {\"status\":\"deactivated\"}."},
      {"C-CHAL-13", "MUST",
       "A client that copies tokens from incoming requests checks the token syntax first."},
      {"C-CHAL-14", "BP",
       "A reused valid authz may list only the validated challenge (possibly of a type the client "
       "would not pick)."},
      {"C-FIN-01", "MUST",
       "The CSR's identifier set equals the order's exactly: nothing missing, nothing extra."},
      {"C-FIN-02", "MUST / BP", "dns names in the CN and/or the SAN extension."},
      {"C-FIN-03", "MUST", "The csr value is base64url DER, not PEM and not standard base64."},
      {"C-FIN-04", "MUST / SEC",
       "The CSR key is neither the account key nor any known account key."},
      {"C-FIN-05", "BP",
       "The CSR signature is valid, with SHA-256 or better and an acceptable key; it requests no "
       "extensions the CA won't give."},
      {"C-FIN-06", "BP",
       "On badCSR, the order stays ready: either fix the CSR and finalize again, or report. No "
       "blind loop."},
      {"C-CERT-01", "MUST", "Download by POST-as-GET from order.certificate."},
      {"C-CERT-02", "MUST / SEC",
       "The PEM is checked to contain only CERTIFICATE blocks; the file is rejected if any other "
       "block appears."},
      {"C-CERT-03", "BP",
       "No fixed chain length is assumed; a chain with or without the root is accepted."},
      {"C-CERT-04", "BP / MAY",
       "Alternates are read from the certificate response's Link headers, fetched by POST-as-GET "
       "and chosen per preference."},
      {"C-CERT-05", "BP",
       "The leaf is checked against the CSR key and the identifiers before it is installed."},
      {"C-ERR-01", "SHOULD",
       "Problem documents are parsed (including a ; charset parameter) and detail is shown to the "
       "operator."},
      {"C-ERR-02", "BP / MAY", "subproblems are handled."},
      {"C-ERR-03", "BP", "Unknown or non-ACME type URIs are handled generically."},
      {"C-ERR-04", "BP", "5xx/serverInternal is retried with backoff."},
      {"C-ERR-05", "BP", "A non-JSON error body (an HTML 502 from a proxy) is handled."},
      {"C-RL-01", "BP", "On 429 the same request waits at least Retry-After."},
      {"C-RL-02", "BP",
       "503 with Retry-After is treated the same way on any endpoint, newNonce and directory "
       "included."},
      {"C-RL-03", "BP",
       "Every polling loop honours Retry-After when given, uses bounded exponential backoff "
       "otherwise, and has an overall timeout."},
      {"C-RL-04", "BP",
       "Odd Retry-After values are clamped: past dates, garbage, or values over a day."},
      {"C-RL-05", "BP",
       "Repeated validation failures do not make it create orders endlessly (burning the CA's "
       "limits)."},
      {"C-REV-01", "MUST",
       "certificate is base64url DER of the leaf only (not PEM, not the chain)."},
      {"C-REV-02", "MUST",
       "Authenticated either by kid (account) or by jwk = the certificate's public key with a "
       "signature by that key."},
      {"C-REV-03", "BP",
       "alreadyRevoked, badRevocationReason and unauthorized are reported clearly."},
      {"C-IP-01", "MUST",
       "Type ip with the canonical text form (RFC 5952 for IPv6; dotted-quad without leading "
       "zeros)."},
      {"C-IP-02", "MUST", "The CSR carries the IP as an iPAddress SAN, not as a dNSName or CN."},
      {"C-IP-03", "MUST", "No dns-01 for IPs."},
      {"C-ARI-01", "MUST",
       "certID = b64url(AKI keyIdentifier) \".\" b64url(serial DER content, with a leading 0x00 "
       "when the high bit is set), padding stripped."},
      {"C-ARI-02", "MUST", "renewalInfo is fetched with an unauthenticated GET (not POST-as-GET)."},
      {"C-ARI-03", "SHOULD / MUST", "Fetched soon after issuance (SHOULD)."},
      {"C-ARI-04", "MUST",
       "Renewal is scheduled inside the window; a window in the past means renewing now."},
      {"C-ARI-05", "MUST",
       "An invalid renewalInfo response is not acted on: retry in about 6 h and fall back to the "
       "normal renewal schedule; 5xx means backoff."},
      {"C-ARI-06", "MUST NOT",
       "No renewalInfo queries for certificates that are expired or already replaced."},
      {"C-ARI-07", "SHOULD / SHOULD NOT",
       "replaces = the predecessor's certID when there is a clear predecessor."},
      {"C-ARI-08", "BP",
       "On 409 alreadyReplaced (or another replaces rejection), the newOrder is retried without "
       "replaces; renewal is not abandoned."},
      {"C-PROF-01", "MUST NOT / SHOULD NOT",
       "Only advertised profile names are requested (MUST NOT in the aaron draft, SHOULD NOT in "
       "the ietf draft)."},
      {"C-PROF-02", "BP", "invalidProfile (at newOrder or at finalize) is reported, with no loop."},
      {"C-ROB-01", "BP",
       "Unknown members in every JSON object (account, order, authz, challenge, problem, "
       "renewalInfo) are ignored."},
      {"C-ROB-02", "BP",
       "Optional members may be absent: contact, notBefore, error, expires where not required, "
       "validated."},
      {"C-ROB-03", "BP",
       "Every legal status is accepted, including ones the client rarely sees (expired, revoked, "
       "order processing, authz deactivated)."},
      {"C-ROB-04", "BP",
       "Link parsing handles several fields, comma-joined values, both rel spellings, quoting, "
       "repeated rels and several rels in one link."},
      {"C-ROB-05", "BP",
       "Media types with parameters are accepted (application/json; charset=utf-8)."},
  };
  return kItems;
}

std::optional<std::size_t> PartBIndexOf(std::string_view rule_id) {
  const std::vector<PartBItem>& items = PartBItems();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& id = items[i].id;
    if (!rule_id.starts_with(id)) {
      continue;
    }
    const std::string_view rest = rule_id.substr(id.size());
    // A sub-rule is the item's ID plus one lowercase letter: "C-ACCT-06a".
    if (rest.empty() || (rest.size() == 1 && rest[0] >= 'a' && rest[0] <= 'z')) {
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace mockca::report
