// MemoryStore: certificates (RFC 8555 §7.4.2, §7.6).
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

}  // namespace mockca::store
