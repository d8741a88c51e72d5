#pragma once

#include <functional>
#include <shared_mutex>

#include "mockdns/wire/message.hpp"
#include "mockdns/zone/zone_data.hpp"

namespace mockdns::zone {

// The live DNS data shared by the DNS listeners (readers) and the management API (writer).
// Thread-safe: one shared_mutex; answers are computed under the shared lock.
class Zone {
 public:
  Zone() = default;
  Zone(const Zone&) = delete;
  Zone& operator=(const Zone&) = delete;

  // Runs fn on the data under the exclusive lock. fn must not call back into this Zone.
  void Update(const std::function<void(ZoneData&)>& fn);
  wire::Message Answer(const wire::Message& query) const;
  ZoneData Snapshot() const;

 private:
  mutable std::shared_mutex mu_;
  ZoneData data_;  // guarded by mu_
};

}  // namespace mockdns::zone
