// B.6 Accounts (C-ACCT): contacts and account updates.
#include <optional>
#include <string>
#include <vector>

#include "common/ascii.hpp"
#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

constexpr std::string_view kMailto = "mailto:";

// C-ACCT-03 (§7.3): a mailto contact has no hfields and one address.
Finding JudgeMailtoContacts(const ClientRecord& client) {
  FindingBuilder result("C-ACCT-03", "MUST NOT");
  for (const Exchange& exchange : client.exchanges) {
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || (exchange.kind != "newAccount" && exchange.kind != "account")) {
      continue;
    }
    const auto contacts = payload->find("contact");
    if (contacts == payload->end() || !contacts->is_array()) {
      continue;
    }
    for (const nlohmann::json& contact : *contacts) {
      if (!contact.is_string()) {
        continue;
      }
      const std::string uri = contact.get<std::string>();
      if (!common::EqualsIgnoreCase(std::string_view(uri).substr(0, kMailto.size()), kMailto)) {
        continue;
      }
      result.Checked(exchange.id);
      const std::string_view address = std::string_view(uri).substr(kMailto.size());
      if (address.find('?') != std::string_view::npos) {
        result.Fail(Describe(exchange) + ": contact \"" + uri + "\" has hfields ('?')",
                    {exchange.id});
      } else if (address.find(',') != std::string_view::npos) {
        result.Fail(Describe(exchange) + ": contact \"" + uri +
                        "\" lists several addresses; send one mailto URI per address",
                    {exchange.id});
      }
    }
  }
  return result.Finish("every mailto contact is a single address without hfields",
                       "no mailto contact sent");
}

// C-ACCT-08 (§7.3.2, BP): an account update sends only contact (or status).
Finding JudgeAccountUpdate(const ClientRecord& client) {
  FindingBuilder result("C-ACCT-08", "BP");
  for (const Exchange& exchange : client.exchanges) {
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || exchange.kind != "account" || payload->empty()) {
      continue;
    }
    result.Checked(exchange.id);
    std::string others;
    for (const auto& [member, value] : payload->items()) {
      if (member != "contact" && member != "status") {
        others += (others.empty() ? "" : ", ") + member;
      }
    }
    if (!others.empty()) {
      result.Note(Describe(exchange) + ": the account update also sends " + others +
                      "; send only contact (or status)",
                  {exchange.id});
    }
  }
  return result.Finish("account updates send only contact or status", "no account update sent");
}

// C-ACCT-09 (§7.3.6): deactivation is exactly {"status":"deactivated"} (MUST); the key is not
// used after a successful one (BP).
Finding JudgeDeactivation(const ClientRecord& client) {
  FindingBuilder result("C-ACCT-09", "MUST / BP");
  const nlohmann::json exact = {{"status", "deactivated"}};
  std::optional<std::uint64_t> deactivated;  // the successful deactivation
  for (const Exchange& exchange : client.exchanges) {
    if (deactivated && IsSignedPost(exchange) && !exchange.jws->kid.empty()) {
      result.Note(Describe(exchange) + " is signed for the account deactivated by #" +
                      std::to_string(*deactivated),
                  {*deactivated, exchange.id});
    }
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || exchange.kind != "account" || !payload->contains("status")) {
      continue;
    }
    result.Checked(exchange.id);
    if (*payload != exact) {
      result.Fail(Describe(exchange) + ": the deactivation body is " + payload->dump() +
                      ", not exactly {\"status\":\"deactivated\"}",
                  {exchange.id});
    } else if (exchange.status == 200 && !deactivated) {
      deactivated = exchange.id;
    }
  }
  return result.Finish("deactivation sent exactly {\"status\":\"deactivated\"}; key unused after",
                       "no account deactivation sent");
}

}  // namespace

std::vector<Rule> AccountRules() {
  return {
      {"C-ACCT-03", "MUST NOT", "A mailto contact has no hfields and only one address.",
       JudgeMailtoContacts},
      {"C-ACCT-08", "BP", "Account updates send only contact (or the deactivation status).",
       JudgeAccountUpdate},
      {"C-ACCT-09", "MUST / BP",
       "Deactivation body is exactly {\"status\":\"deactivated\"} with kid; the key is not used "
       "afterwards.",
       JudgeDeactivation},
  };
}

}  // namespace mockca::report::rules
