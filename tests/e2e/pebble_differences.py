"""The allow-list of test_pebble_differential.py: every intended difference between Debian's Pebble
2.4.0 and mockca on the scripted sequence.

Each entry is one (step id, attribute) pair with Pebble's value, mockca's value and the reason: a
conformance.md Part A item (S-*) or a pebble.md section showing where mockca follows RFC 8555 (or
a newer Pebble) and 2.4.0 does not. Attributes (see observe() in the test):

- `status`, `problem` (the problem type without the ACME URN prefix), `content_type` (media type),
  `body` (empty / text / json-object ...);
- `field:<name>` (a top-level JSON member and its JSON type), `field:meta.<name>` (directory meta),
  `value:status` (the object's `status`);
- `header:<Location|Replay-Nonce|Retry-After|Allow>` and `link:<rel>` ("present" or absent);
- `pem_certificates` (the number of certificates in a chain).

None means absent. When the HTTP status differs, only `status` and `problem` are compared for that
step (the bodies are then different kinds of answer). `step` may be a tuple of step ids when one
reason covers the same attribute on several steps.

An entry that no longer differs fails the test, so remove it when mockca (or the reference) changes.
Differences that look like mockca bugs are NOT listed here: they fail the test until fixed.
"""
from collections import namedtuple

Difference = namedtuple("Difference", "step what pebble mockca reason")

ACCOUNT_OBJECT_STEPS = ("account.new", "account.new_existing_key", "account.fetch",
                        "account.update_contact", "account.fetch_new_key", "account.deactivate")
FOREIGN_STEPS = ("order.fetch_foreign", "authz.fetch_foreign", "certificate.download_foreign")
DEACTIVATED_STEPS = ("account.after_deactivation", "order.new_after_deactivation",
                     "account.new_deactivated_key")
SUBPROBLEM_STEPS = ("order.new_bad_dns_underscore", "order.new_bad_dns_trailing_dot",
                    "order.new_bad_dns_ip_literal", "order.new_bad_dns_inner_wildcard",
                    "order.new_unknown_type")

ORDER_OBJECT_STEPS = ("order.new_dns", "order.new_wildcard", "order.new_ip", "order.fetch",
                      "order.poll_ready", "finalize.ok", "order.poll_valid")

_ENTRIES = [
    # --- directory -------------------------------------------------------------------------------
    Difference("directory", "field:renewalInfo", None, "string",
               "S-ARI-01; pebble.md §0 (v2.6.0, #461) and §2.10: Pebble serves ARI (renewalInfo in the "
               "directory) since v2.6.0; 2.4.0 predates it."),
    Difference("directory", "field:meta.profiles", None, "object",
               "S-PROF-01, S-DIR-07; pebble.md §0 (v2.7.0) and §1.2: Pebble offers profiles "
               "(`default` when the config names none) since v2.7.0; 2.4.0 predates them."),
    Difference("directory", "field:meta.caaIdentities", None, "array",
               "pebble.md §0 (v2.10.0, #536) and §2.3: Pebble has advertised "
               "meta.caaIdentities since v2.10.0; 2.4.0 predates it. RFC 8555 §7.1.1 meta "
               "member (S-DIR-03, S-CAA-06)."),

    # --- orders: profiles --------------------------------------------------------------------------
    Difference(ORDER_OBJECT_STEPS, "field:profile", None, "string",
               "S-PROF-03: an accepted order shows its profile (the default one when none was "
               "asked for); Pebble has done so since v2.7.0 (pebble.md §0), 2.4.0 has no profiles."),

    # --- accounts --------------------------------------------------------------------------------
    Difference("account.new_without_tos", "problem", "agreementRequired", "userActionRequired",
               "S-ACCT-06; pebble.md §0 (v2.9.0, #514): agreementRequired is not an RFC 8555 "
               "§6.7 type, current Pebble sends userActionRequired too."),
    Difference(ACCOUNT_OBJECT_STEPS, "field:key", "object", None,
               "pebble.md §2.4 ('Note the non-standard key field'): RFC 8555 §7.1.2 defines no "
               "`key` member in the account object; mockca does not echo the JWK (S-ACCT-01)."),
    Difference(ACCOUNT_OBJECT_STEPS, "field:termsOfServiceAgreed", None, "boolean",
               "S-ACCT-01: the account object carries `termsOfServiceAgreed` when it was sent "
               "(RFC 8555 §7.1.2); Pebble drops it."),
    Difference("account.update_status_valid", "status", 400, 200,
               "S-ACCT-08: an update ignores `status` other than deactivation and returns 200 "
               "with the account (RFC 8555 §7.3.2); Pebble rejects any other status as malformed "
               "(pebble.md §2.4)."),
    Difference("account.update_status_valid", "problem", "malformed", None,
               "S-ACCT-08 (see the status entry of this step)."),
    Difference("keychange.to_existing_key", "status", 500, 409,
               "S-KEY-05 / RFC 8555 §7.3.5: a new key that belongs to another account gets 409 "
               "with that account's Location (current Pebble does the same, pebble.md §2.4); "
               "2.4.0 answers 500 serverInternal."),
    Difference("keychange.to_existing_key", "problem", "serverInternal", "malformed",
               "S-KEY-05 (see the status entry of this step); 409 carries a problem document "
               "with Location, as Boulder does."),
    Difference("keychange.ok", "body", "empty", "json-object",
               "S-KEY-06: success is 200; RFC 8555 §7.3.5 does not define the body and mockca "
               "returns the updated account object (as Boulder does), Pebble an empty body "
               "(pebble.md §2.4)."),
    Difference("keychange.ok", "content_type", None, "application/json",
               "S-KEY-06 (see the body entry of this step)."),
    Difference("keychange.ok", "field:contact", None, "array",
               "S-KEY-06 (the updated account object)."),
    Difference("keychange.ok", "field:orders", None, "string",
               "S-KEY-06 (the updated account object)."),
    Difference("keychange.ok", "field:status", None, "string",
               "S-KEY-06 (the updated account object)."),
    Difference("keychange.ok", "field:termsOfServiceAgreed", None, "boolean",
               "S-KEY-06 (the updated account object), S-ACCT-01."),
    Difference("keychange.ok", "value:status", None, "valid",
               "S-KEY-06 (the updated account object)."),
    Difference(DEACTIVATED_STEPS, "status", 403, 401,
               "S-JWS-10 / RFC 8555 §7.3.6: requests signed by a deactivated account get 401 "
               "unauthorized (conformance.md Part E item 1: Pebble answers 403)."),

    # --- orders ----------------------------------------------------------------------------------
    Difference("order.new_ip_noncanonical", "status", 201, 400,
               "S-IP-01 / RFC 8738 §3: an ip identifier must be in RFC 5952 canonical form; "
               "`2001:DB8::1` is malformed (README 'Protocol choices'); Pebble accepts it."),
    Difference("order.new_ip_noncanonical", "problem", None, "malformed",
               "S-IP-01 (see the status entry of this step)."),
    Difference(SUBPROBLEM_STEPS, "field:subproblems", None, "array",
               "S-ORD-02 / S-ERR-03 (RFC 8555 §6.7.1): one subproblem, carrying its identifier, "
               "per bad identifier (README 'Protocol choices'); Pebble 2.4.0 has no subproblems "
               "(pebble.md §0, v2.5.0 #383)."),
    Difference("order.new_unknown_type", "problem", "malformed", "unsupportedIdentifier",
               "S-ORD-02: RFC 8555 §6.7 defines unsupportedIdentifier for an identifier type the "
               "server does not support; Pebble never emits it (pebble.md §2.5, §6.1)."),
    Difference(FOREIGN_STEPS, "status", 403, 404,
               "S-PAG-03: another account's object answers 404 exactly like an unknown one (no "
               "existence oracle, RFC 8555 §10.5); Pebble answers 403 (README 'Protocol "
               "choices')."),
    Difference(FOREIGN_STEPS, "problem", "unauthorized", "malformed",
               "S-PAG-03 (see the status entry of these steps): the 404 is the same problem an "
               "unknown id gets."),

    # --- challenges ------------------------------------------------------------------------------
    Difference("challenge.fetch", "link:up", None, "present",
               "S-LINK-02 / RFC 8555 §7.5.1: challenge responses carry Link rel=\"up\" to the "
               "authz (conformance.md §1.1 matrix: challenge POST and POST-as-GET); Pebble adds "
               "it to the challenge POST only."),
    Difference("challenge.post_keyauthorization", "status", 400, 200,
               "S-CHAL-03: response members the challenge type does not define are ignored "
               "(RFC 8555 errata 5729, C-CHAL-02 logged); Pebble rejects `keyAuthorization` "
               "(conformance.md Part E item 7, pebble.md §2.6)."),
    Difference("challenge.post_keyauthorization", "problem", "malformed", None,
               "S-CHAL-03 (see the status entry of this step)."),
    Difference("challenge.post", "value:status", "pending", "processing",
               "S-CHAL-03 / RFC 8555 §7.1.6: a challenge POST moves the challenge to "
               "`processing`; Pebble 2.4.0 has no processing state (pebble.md §0, v2.5.0 #382)."),
    Difference("challenge.post", "header:Retry-After", None, "present",
               "S-CHAL-06 / S-AUTHZ-05 (RFC 8555 §8.2): a processing challenge carries "
               "Retry-After; Pebble 2.4.0 has no Retry-After (pebble.md §0, v2.5.0 #380)."),

    # --- finalize --------------------------------------------------------------------------------
    Difference("finalize.csr_mismatch", "status", 403, 400,
               "S-FIN-03 / RFC 8555 §7.4: a CSR whose names differ from the order's SHOULD be "
               "badCSR (conformance.md Part E item 6: Pebble answers 403 unauthorized)."),
    Difference("finalize.csr_mismatch", "problem", "unauthorized", "badCSR",
               "S-FIN-03 (see the status entry of this step)."),
    Difference("finalize.ok", "header:Location", "present", None,
               "pebble.md §2.7 and §0 (v2.9.0, #509): RFC 8555 §7.4 defines no Location on the "
               "finalize response; Pebble 2.4.0 sent one, current Pebble does not."),
    Difference("finalize.ok", "header:Retry-After", None, "present",
               "S-ORD-10 / S-FIN-06: a processing order carries Retry-After (README 'Protocol "
               "choices': Retry-After: 1); Pebble 2.4.0 has none (pebble.md §0, v2.5.0 #380)."),

    # --- transport -------------------------------------------------------------------------------
    Difference("path.unknown", "content_type", "text/plain", "application/problem+json",
               "S-ERR-01 (RFC 8555 §6.7): error bodies are problem documents; Pebble answers "
               "Go's plain-text `404 page not found` (pebble.md §2.1)."),
    Difference("path.unknown", "body", "text", "json-object", "S-ERR-01 (see content_type)."),
    Difference("path.unknown", "problem", None, "malformed", "S-ERR-01 (see content_type)."),
    Difference("path.unknown", "field:type", None, "string", "S-ERR-01 (see content_type)."),
    Difference("path.unknown", "field:detail", None, "string", "S-ERR-01 (see content_type)."),
    Difference("path.unknown", "field:status", None, "number", "S-ERR-01 (see content_type)."),
    Difference("path.unknown", "link:index", None, "present",
               "S-LINK-01 (RFC 8555 §7.1): Link rel=\"index\" on every response except the "
               "directory; Pebble's plain 404 has none."),
]


def _expand(entries):
    out = []
    for entry in entries:
        steps = entry.step if isinstance(entry.step, tuple) else (entry.step,)
        out.extend(entry._replace(step=step) for step in steps)
    return out


DIFFERENCES = _expand(_ENTRIES)

# (step, attribute) pairs not compared because they are timing-dependent on either server (none
# so far; an entry here needs the reason next to it).
VOLATILE = set()
