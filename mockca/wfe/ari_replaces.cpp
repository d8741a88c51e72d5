#include "mockca/wfe/ari_replaces.hpp"

#include <algorithm>

#include "common/ascii.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "mockca/wfe/ari_cert_id.hpp"

namespace mockca::wfe {
namespace {

bool SameIdentifier(const acme::Identifier& a, const acme::Identifier& b) {
  if (a.type != b.type) {
    return false;
  }
  return a.type == "dns" ? common::EqualsIgnoreCase(a.value, b.value) : a.value == b.value;
}

// Step 6: whether the certificate names any of order_identifiers.
acme::Status CheckSharedIdentifier(const core::Certificate& certificate,
                                   const std::vector<acme::Identifier>& order_identifiers) {
  auto facts = ca::InspectCertificate(std::string_view(
      reinterpret_cast<const char*>(certificate.der.data()), certificate.der.size()));
  if (!facts) {
    return acme::ServerInternal("replaced certificate is unreadable: " + facts.error().detail);
  }
  for (const acme::Identifier& named : facts->identifiers) {
    for (const acme::Identifier& ordered : order_identifiers) {
      if (SameIdentifier(named, ordered)) {
        return {};
      }
    }
  }
  return acme::Malformed(
      "identifiers in this order do not match any identifiers in the certificate being replaced");
}

}  // namespace

acme::Result<std::string> CheckReplaces(const nlohmann::json& replaces,
                                        const core::Account& account,
                                        const std::vector<acme::Identifier>& order_identifiers,
                                        const store::MemoryStore& store,
                                        const std::vector<std::string>& issuer_key_ids,
                                        core::TimePoint now) {
  if (!replaces.is_string()) {
    return acme::Malformed("\"replaces\" must be a certID string (RFC 9773 §5)");
  }
  auto cert_id = ParseCertId(replaces.get<std::string>());
  if (!cert_id) {
    return acme::Malformed("\"replaces\": " + cert_id.error().detail);
  }
  if (std::find(issuer_key_ids.begin(), issuer_key_ids.end(), cert_id->key_id) ==
      issuer_key_ids.end()) {
    return acme::Malformed("\"replaces\": certID keyIdentifier names no issuer of this CA");
  }
  const std::string serial = SerialHex(*cert_id);
  const auto certificate = store.GetCertificateBySerial(serial);
  if (!certificate) {
    return acme::Malformed("\"replaces\": this CA issued no certificate with serial " + serial);
  }
  if (store.IsCertificateReplaced(certificate->id, now)) {
    return acme::MakeProblem(acme::ProblemType::kAlreadyReplaced,
                             "certificate " + serial + " is already replaced by another order");
  }
  if (certificate->account_id != account.id) {
    return acme::Unauthorized("\"replaces\" names a certificate another account ordered");
  }
  if (acme::Status shared = CheckSharedIdentifier(*certificate, order_identifiers); !shared) {
    return shared.error();
  }
  return certificate->id;
}

}  // namespace mockca::wfe
