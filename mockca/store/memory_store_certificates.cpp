// MemoryStore: certificates (RFC 8555 §7.4.2, §7.6) and their ARI state (RFC 9773).
#include <mutex>
#include <utility>

#include "mockca/store/map_helpers.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/store/write_checks.hpp"

namespace mockca::store {

acme::Result<core::Certificate> MemoryStore::AddCertificate(core::Certificate certificate) {
  std::unique_lock lock(mu_);
  if (certificate.serial_hex.empty() || certificate_by_serial_.contains(certificate.serial_hex)) {
    return acme::ServerInternal("certificate serial empty or already used: " +
                                certificate.serial_hex);
  }
  certificate.id = NewIdLocked();
  certificate.issued = clock_.Now();
  certificate_by_serial_.emplace(certificate.serial_hex, certificate.id);
  certificates_.emplace(certificate.id, certificate);
  return certificate;
}

std::optional<core::Certificate> MemoryStore::GetCertificate(const std::string& id) const {
  std::shared_lock lock(mu_);
  return internal::CopyOf(certificates_, id);
}

std::optional<core::Certificate> MemoryStore::GetCertificateBySerial(
    const std::string& serial_hex) const {
  std::shared_lock lock(mu_);
  auto id = certificate_by_serial_.find(serial_hex);
  return id == certificate_by_serial_.end() ? std::nullopt
                                            : std::optional(certificates_.at(id->second));
}

acme::Result<core::Certificate> MemoryStore::UpdateCertificate(const std::string& id,
                                                               const CertificateMutator& fn) {
  std::unique_lock lock(mu_);
  return internal::ApplyChecked(certificates_, id, "certificate", fn, CheckCertificateWrite);
}

bool MemoryStore::IsCertificateReplaced(const std::string& id, core::TimePoint now) const {
  std::shared_lock lock(mu_);
  auto it = certificates_.find(id);
  return it != certificates_.end() && IsReplacedLocked(it->second, now);
}

bool MemoryStore::IsReplacedLocked(const core::Certificate& certificate,
                                   core::TimePoint now) const {
  if (certificate.replaced) {
    return true;
  }
  // RFC 9773 §5: "not already been marked as replaced by a different Order that is not invalid".
  auto order = orders_.find(certificate.replacing_order_id);
  return order != orders_.end() &&
         OrderStatusLocked(order->second, now) != core::OrderStatus::kInvalid;
}

acme::Status MemoryStore::ClaimReplacementLocked(const std::string& certificate_id,
                                                 core::TimePoint now) {
  auto it = certificates_.find(certificate_id);
  if (it == certificates_.end()) {
    return acme::ServerInternal("replaced certificate " + certificate_id + " is not stored");
  }
  if (IsReplacedLocked(it->second, now)) {
    return acme::MakeProblem(acme::ProblemType::kAlreadyReplaced,
                             "certificate " + it->second.serial_hex + " is already replaced");
  }
  return {};
}

void MemoryStore::MarkReplacedLocked(const core::Order& order) {
  if (order.certificate_id.empty()) {
    return;
  }
  auto claim = replaced_certificate_by_order_.find(order.id);
  if (claim == replaced_certificate_by_order_.end()) {
    return;
  }
  if (auto certificate = certificates_.find(claim->second); certificate != certificates_.end()) {
    certificate->second.replaced = true;
  }
}

acme::Result<core::Certificate> MemoryStore::SetRenewalInfoOverride(const std::string& serial_hex,
                                                                    std::string ari_response) {
  std::unique_lock lock(mu_);
  auto id = certificate_by_serial_.find(serial_hex);
  if (id == certificate_by_serial_.end()) {
    return acme::NotFound("no certificate with serial " + serial_hex);
  }
  core::Certificate& certificate = certificates_.at(id->second);
  certificate.ari_response = std::move(ari_response);
  return certificate;
}

}  // namespace mockca::store
