// B.6 Key rollover (C-KEY-01 .. -04): the nested JWS of keyChange (§7.3.5).
#include <set>
#include <string>
#include <vector>

#include "mockca/report/rules/key_support.hpp"
#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// One keyChange request with its inner JWS decoded.
struct KeyChange {
  std::size_t index = 0;  // in client.exchanges
  const Exchange* outer = nullptr;
  InnerJws inner;
};

std::vector<KeyChange> KeyChanges(const ClientRecord& client) {
  std::vector<KeyChange> changes;
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& exchange = client.exchanges[i];
    if (exchange.kind == "keyChange" && IsSignedPost(exchange)) {
      changes.push_back({i, &exchange, DecodeInnerJws(exchange.jws->payload)});
    }
  }
  return changes;
}

// The keyChanges whose payload is a flattened inner JWS (the others fail C-KEY-01 and leave the
// inner rules nothing to check).
std::vector<KeyChange> FlattenedKeyChanges(const ClientRecord& client) {
  std::vector<KeyChange> changes = KeyChanges(client);
  std::erase_if(changes, [](const KeyChange& change) { return !change.inner.flattened; });
  return changes;
}

// C-KEY-01: the outer JWS uses kid = the account URL; its payload is a flattened JWS.
Finding JudgeOuterJws(const ClientRecord& client) {
  FindingBuilder result("C-KEY-01", "MUST");
  const std::set<std::string> accounts = AccountUrls(client);
  for (const KeyChange& change : KeyChanges(client)) {
    const Exchange& outer = *change.outer;
    result.Checked(outer.id);
    if (outer.jws->kid.empty()) {
      result.Fail(Describe(outer) +
                      ": the outer JWS has no kid (it must be signed by the "
                      "account's current key, named by the account URL)",
                  {outer.id});
    } else if (!accounts.empty() && accounts.count(outer.jws->kid) == 0) {
      result.Fail(
          Describe(outer) + ": the outer kid \"" + outer.jws->kid + "\" is not the account URL",
          {outer.id});
    }
    if (!change.inner.flattened) {
      result.Fail(Describe(outer) + ": the payload is not a flattened JWS", {outer.id});
    }
  }
  return result.Finish("every keyChange is an account-signed JWS around a flattened JWS",
                       "no keyChange recorded");
}

// C-KEY-02: the inner JWS carries jwk = the new key and no kid.
Finding JudgeInnerKey(const ClientRecord& client) {
  FindingBuilder result("C-KEY-02", "MUST");
  for (const KeyChange& change : FlattenedKeyChanges(client)) {
    const Exchange& outer = *change.outer;
    result.Checked(outer.id);
    const nlohmann::json& header = change.inner.protected_header;
    if (!header.is_object() || !header.contains("jwk")) {
      result.Fail(Describe(outer) + ": the inner JWS has no jwk (the new key)", {outer.id});
    } else if (header.contains("kid")) {
      result.Fail(Describe(outer) +
                      ": the inner JWS has a kid; it must name the new key by jwk "
                      "only",
                  {outer.id});
    }
  }
  return result.Finish("every inner JWS carries the new key as jwk, without kid",
                       "no keyChange with a flattened inner JWS recorded");
}

// C-KEY-03: inner url == outer url, and no inner nonce.
Finding JudgeInnerUrlNonce(const ClientRecord& client) {
  FindingBuilder result("C-KEY-03", "MUST");
  for (const KeyChange& change : FlattenedKeyChanges(client)) {
    const Exchange& outer = *change.outer;
    result.Checked(outer.id);
    const nlohmann::json& header = change.inner.protected_header;
    const std::string url = StringMember(header, "url").value_or("(none)");
    if (url != outer.jws->url) {
      result.Fail(Describe(outer) + ": the inner url \"" + url + "\" differs from the outer \"" +
                      outer.jws->url + "\"",
                  {outer.id});
    }
    if (header.is_object() && header.contains("nonce")) {
      result.Fail(Describe(outer) + ": the inner JWS carries a nonce; it must not", {outer.id});
    }
  }
  return result.Finish("every inner url equals the outer url, and no inner JWS has a nonce",
                       "no keyChange with a flattened inner JWS recorded");
}

// C-KEY-04: inner payload account = the account URL, oldKey = the current key.
Finding JudgeInnerPayload(const ClientRecord& client) {
  FindingBuilder result("C-KEY-04", "MUST");
  std::set<std::string> accounts = AccountUrls(client);
  for (const KeyChange& change : FlattenedKeyChanges(client)) {
    const Exchange& outer = *change.outer;
    result.Checked(outer.id);
    const nlohmann::json& payload = change.inner.payload;
    const std::string account = StringMember(payload, "account").value_or("(none)");
    const bool known = accounts.empty() ? account == outer.jws->kid : accounts.count(account) != 0;
    if (!known) {
      result.Fail(Describe(outer) + ": the inner account \"" + account +
                      "\" is not the account URL as returned",
                  {outer.id});
    }
    if (!payload.is_object() || !payload.contains("oldKey")) {
      result.Fail(Describe(outer) + ": the inner payload has no oldKey", {outer.id});
      continue;
    }
    const nlohmann::json current = AccountKeyBefore(client, change.index, outer.jws->kid);
    if (current.is_object() && !SameKey(payload["oldKey"], current)) {
      result.Fail(Describe(outer) + ": oldKey is not the account's current key (by thumbprint)",
                  {outer.id});
    }
  }
  return result.Finish("every inner payload names the account and its current key",
                       "no keyChange with a flattened inner JWS recorded");
}

}  // namespace

std::vector<Rule> KeyChangeRules() {
  return {
      {"C-KEY-01", "MUST",
       "The outer JWS uses kid = the account URL and the old key; its payload is a flattened "
       "inner JWS.",
       JudgeOuterJws},
      {"C-KEY-02", "MUST",
       "The inner JWS is signed by the new key, with jwk = the new key, no kid.", JudgeInnerKey},
      {"C-KEY-03", "MUST", "Inner url equals outer url; the inner JWS has no nonce.",
       JudgeInnerUrlNonce},
      {"C-KEY-04", "MUST",
       "The inner payload has account = the exact Location string and oldKey = the current key.",
       JudgeInnerPayload},
  };
}

}  // namespace mockca::report::rules
