#include "mockdns/zone/zone.hpp"

#include <mutex>

#include "mockdns/zone/responder.hpp"

namespace mockdns::zone {

void Zone::Update(const std::function<void(ZoneData&)>& fn) {
  std::unique_lock lock(mu_);
  fn(data_);
}

wire::Message Zone::Answer(const wire::Message& query) const {
  std::shared_lock lock(mu_);
  return Respond(query, data_);
}

ZoneData Zone::Snapshot() const {
  std::shared_lock lock(mu_);
  return data_;
}

}  // namespace mockdns::zone
