#include "mockca/report/recorder.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>

#include "mockca/report/exchange_builder.hpp"
#include "mockca/report/http_date.hpp"
#include "mockca/report/jws_decode.hpp"

namespace mockca::report {
namespace {

constexpr char kBadNonce[] = "urn:ietf:params:acme:error:badNonce";
constexpr char kAnonymous[] = "anonymous:";

// The account URL a newAccount exchange established: its Location when it was signed with a jwk
// and answered 200 or 201; "" otherwise.
std::string NewAccountUrl(const Exchange& exchange, const std::string& origin) {
  if (exchange.kind != "newAccount" || !exchange.jws || !exchange.jws->kid.empty() ||
      (exchange.status != 200 && exchange.status != 201)) {
    return {};
  }
  return AbsoluteUrl(exchange.ResponseHeader("Location"), origin);
}

std::string ProblemDetail(const Exchange& exchange) {
  const auto body =
      nlohmann::json::parse(exchange.response_body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.contains("detail") && body["detail"].is_string()) {
    return body["detail"].get<std::string>();
  }
  return exchange.problem_type;
}

// Whether exchange asks for the resource entry's Retry-After is about.
bool FollowsUp(const RetryAfterEntry& entry, const Exchange& exchange) {
  return exchange.url == entry.url || (!entry.up_url.empty() && exchange.url == entry.up_url);
}

// The target of the first Link header with rel="up", or "".
std::string UpLink(const Exchange& exchange) {
  for (const LinkValue& link : LinkValues(exchange.response_headers)) {
    if (link.params.find("rel=\"up\"") != std::string::npos) {
      return link.target;
    }
  }
  return {};
}

// Fills entry's next request from the first of exchanges after it for its url.
template <typename Exchanges>
void FillNextRequest(RetryAfterEntry& entry, const Exchanges& exchanges) {
  for (const Exchange& exchange : exchanges) {
    if (exchange.id > entry.advertised_by && FollowsUp(entry, exchange)) {
      entry.next_request = exchange.id;
      entry.next_request_at = exchange.received;
      return;
    }
  }
}

// About how many bytes exchange holds: its strings, and a JWS decoded in full (a truncated body's:
// BuildExchange) at about twice the size of the base64url text it came from for the JSON
// (nlohmann's nodes); 512 for the fixed parts. An estimate for the recorder's byte budget, the same
// for an exchange every time it is asked.
std::size_t ExchangeBytes(const Exchange& exchange) {
  std::size_t bytes = 512 + exchange.remote.size() + exchange.method.size() + exchange.url.size() +
                      exchange.kind.size() + exchange.request_body.size() +
                      exchange.broken_delivery.size() + exchange.response_body.size() +
                      exchange.problem_type.size();
  bytes += exchange.request_headers.ByteSize() + exchange.response_headers.ByteSize();
  for (const std::string& rule : exchange.fault_rules) {
    bytes += 32 + rule.size();
  }
  if (exchange.jws) {
    const RecordedJws& jws = *exchange.jws;
    bytes += 3 * (jws.protected_b64.size() + jws.payload_b64.size()) + jws.signature_b64.size() +
             jws.alg.size() + jws.nonce.size() + jws.url.size() + jws.kid.size() +
             jws.verifying_key.size();
  }
  return bytes;
}

// The JWS of each exchange decoded in full (the Recorder keeps only what recording needs).
void CompleteExchanges(ClientRecord& record) {
  for (Exchange& exchange : record.exchanges) {
    exchange.jws = FullJws(exchange);
  }
}

// Drops the oldest entries of a client's list beyond cap.
template <typename Entries>
void KeepNewest(Entries& entries, std::size_t cap) {
  if (entries.size() > cap) {
    entries.erase(entries.begin(),
                  entries.begin() + static_cast<std::ptrdiff_t>(entries.size() - cap));
  }
}

// KeepNewest for a list that grows one entry at a time: it waits until the list holds a quarter
// more than cap, so that erasing at the front of the vector moves each entry about five times in
// all rather than cap times. ToRecord cuts what a snapshot shows to cap.
template <typename Entries>
void KeepNewestAmortized(Entries& entries, std::size_t cap) {
  if (entries.size() > cap + cap / 4) {
    KeepNewest(entries, cap);
  }
}

// Appends source's entries to dest, keeps them ordered by time (stable: equal times keep dest's
// first) and the newest cap of them.
template <typename Entries, typename TimeOf>
void MergeByTime(Entries& dest, const Entries& source, std::size_t cap, TimeOf time_of) {
  dest.insert(dest.end(), source.begin(), source.end());
  std::stable_sort(dest.begin(), dest.end(),
                   [&](const auto& a, const auto& b) { return time_of(a) < time_of(b); });
  KeepNewest(dest, cap);
}

}  // namespace

Recorder::Recorder(RecorderLimits limits) : limits_(limits) {}

void Recorder::Record(const http::Request& request, const http::Response& response,
                      std::string kind, std::vector<std::string> fault_rules, TimePoint received,
                      std::chrono::microseconds duration,
                      const jose::ProtectedHeader* parsed_jws_header) {
  if (!limits_.enabled) {
    return;
  }
  // The parsing work, outside the lock.
  Exchange exchange = BuildExchange(request, response, std::move(kind), std::move(fault_rules),
                                    received, duration, parsed_jws_header);
  const std::string signer = exchange.jws ? SignerOf(*exchange.jws) : std::string();
  const std::string user_agent = request.Header("User-Agent");
  const std::string origin = "https://" + request.host;
  const std::string account_url = signer.empty() ? std::string() : NewAccountUrl(exchange, origin);
  // A body the client did not get whole (a reset mid-body) showed it no state.
  ServedObjects served = ServedStatuses(
      exchange, exchange.broken_delivery.empty() ? std::string_view(response.body) : "", origin);

  std::lock_guard<std::mutex> lock(mu_);
  exchange.id = next_id_++;
  Client* client = Attribute(signer, user_agent);
  if (client == nullptr) {
    ++stats_.refused_exchanges;
    return;
  }
  ++stats_.exchanges;
  TrackVerifyingKey(exchange, signer, account_url);
  if (exchange.jws && !exchange.jws->kid.empty() && client->record.account_url.empty()) {
    client->record.account_url = exchange.jws->kid;
  }
  AddNonces(*client, exchange);
  AddRetryAfter(*client, exchange, origin);
  AddStatusChanges(*client, exchange.id, std::move(served));
  const std::string id = client->record.id;
  Append(*client, std::move(exchange));
  if (!account_url.empty()) {
    Merge(id, account_url);
    key_owner_[signer] = account_url;
    if (const auto account = clients_.find(account_url); account != clients_.end()) {
      account->second.record.account_url = account_url;
    }
  }
}

Recorder::Client* Recorder::Attribute(const std::string& signer, const std::string& user_agent) {
  if (signer.empty()) {
    const auto owner = ua_owner_.find(user_agent);
    const bool owned = owner != ua_owner_.end() && clients_.count(owner->second) != 0;
    return FindOrCreate(owned ? owner->second : kAnonymous + user_agent, user_agent);
  }
  const auto account = key_owner_.find(signer);
  const std::string id = account != key_owner_.end() ? account->second : signer;
  Merge(kAnonymous + user_agent, id);
  Client* client = FindOrCreate(id, user_agent);
  if (client != nullptr) {
    ua_owner_[user_agent] = id;
  }
  return client;
}

Recorder::Client* Recorder::FindOrCreate(const std::string& id, const std::string& user_agent) {
  if (const auto it = clients_.find(id); it != clients_.end()) {
    return &it->second;
  }
  if (clients_.size() >= limits_.clients) {
    if (refused_.size() >= kRefusedRemembered) {
      ++stats_.refused_clients;
    } else if (refused_.insert(id).second) {
      ++stats_.refused_clients;
    }
    return nullptr;
  }
  Client& client = clients_[id];
  client.seq = next_seq_++;
  client.record.id = id;
  client.record.user_agent = user_agent;
  return &client;
}

void Recorder::Merge(const std::string& from, const std::string& to) {
  const auto it = clients_.find(from);
  if (it == clients_.end() || from == to) {
    return;
  }
  Client source = std::move(it->second);
  clients_.erase(it);
  for (auto& [user_agent, owner] : ua_owner_) {
    if (owner == from) {
      owner = to;
    }
  }
  for (auto& [key, account] : key_owner_) {
    if (account == from) {
      account = to;
    }
  }
  auto [slot, created] = clients_.try_emplace(to);
  Client& dest = slot->second;
  if (created) {
    dest = std::move(source);
    dest.record.id = to;
    return;
  }
  if (source.seq < dest.seq) {
    dest.seq = source.seq;
    dest.record.user_agent = source.record.user_agent;
  }
  if (dest.record.account_url.empty()) {
    dest.record.account_url = source.record.account_url;
  }
  std::deque<Exchange> merged;
  std::merge(std::make_move_iterator(dest.exchanges.begin()),
             std::make_move_iterator(dest.exchanges.end()),
             std::make_move_iterator(source.exchanges.begin()),
             std::make_move_iterator(source.exchanges.end()), std::back_inserter(merged),
             [](const Exchange& a, const Exchange& b) { return a.id < b.id; });
  dest.exchanges = std::move(merged);
  dest.exchange_bytes += source.exchange_bytes;
  dest.record.dropped += source.record.dropped;
  while (dest.exchanges.size() > limits_.exchanges_per_client) {
    DropOldest(dest);
  }
  for (const std::string& nonce : source.nonce_order) {
    if (dest.nonces.insert(nonce).second) {
      dest.nonce_order.push_back(nonce);
    } else if (const auto entry = nonces_.find(nonce); entry != nonces_.end()) {
      --entry->second.clients;  // held by both; dest keeps it
    }
  }
  TrimNonces(dest);
  auto& entries = dest.record.retry_after;
  entries.insert(entries.end(), source.record.retry_after.begin(), source.record.retry_after.end());
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.advertised_by < b.advertised_by; });
  for (RetryAfterEntry& entry : entries) {
    if (!entry.next_request) {
      FillNextRequest(entry, dest.exchanges);
    }
  }
  KeepNewest(entries, limits_.exchanges_per_client);
  const std::size_t cap = limits_.exchanges_per_client;
  MergeByTime(dest.record.probes, source.record.probes, cap,
              [](const ProbeRecord& probe) { return probe.started; });
  MergeByTime(dest.record.states, source.record.states, cap,
              [](const StatusChange& change) { return change.exchange; });
  MergeByTime(dest.record.fault_events, source.record.fault_events, cap,
              [](const FaultEvent& fault) { return fault.time; });
  dest.served_status.merge(source.served_status);
  dest.order_of_finalize.merge(source.order_of_finalize);
}

void Recorder::AddNonces(Client& client, const Exchange& exchange) {
  if (exchange.jws && !exchange.jws->nonce.empty()) {
    const std::string& nonce = exchange.jws->nonce;
    NonceEntry& entry = nonces_[nonce].entry;
    entry.nonce = nonce;  // issued_by stays 0 when mockca never issued it
    entry.used_by.push_back(exchange.id);
    if (exchange.problem_type == kBadNonce && !entry.rejection) {
      entry.rejection = ProblemDetail(exchange);
    }
    TouchNonce(client, nonce);
  }
  for (const std::string& nonce : HeaderValues(exchange.response_headers, "Replay-Nonce")) {
    NonceEntry& entry = nonces_[nonce].entry;
    entry.nonce = nonce;
    if (entry.issued_by == 0) {
      entry.issued_by = exchange.id;
    }
    TouchNonce(client, nonce);
  }
}

void Recorder::TouchNonce(Client& client, const std::string& nonce) {
  if (client.nonces.insert(nonce).second) {
    ++nonces_[nonce].clients;
    client.nonce_order.push_back(nonce);
    TrimNonces(client);
  }
}

void Recorder::TrimNonces(Client& client) {
  while (client.nonce_order.size() > NonceCap()) {
    const std::string oldest = std::move(client.nonce_order.front());
    client.nonce_order.pop_front();
    client.nonces.erase(oldest);
    if (const auto it = nonces_.find(oldest); it != nonces_.end() && --it->second.clients == 0) {
      nonces_.erase(it);
    }
  }
}

void Recorder::AddRetryAfter(Client& client, const Exchange& exchange, const std::string& origin) {
  auto& entries = client.record.retry_after;
  for (RetryAfterEntry& entry : entries) {
    if (!entry.next_request && FollowsUp(entry, exchange)) {
      entry.next_request = exchange.id;
      entry.next_request_at = exchange.received;
    }
  }
  const auto values = HeaderValues(exchange.response_headers, "Retry-After");
  if (values.empty()) {
    return;
  }
  RetryAfterEntry entry;
  entry.advertised_by = exchange.id;
  const std::string location = exchange.ResponseHeader("Location");
  entry.url = location.empty() ? exchange.url : AbsoluteUrl(location, origin);
  if (const auto order = client.order_of_finalize.find(entry.url);
      exchange.kind == "finalize" && order != client.order_of_finalize.end()) {
    entry.url = order->second;
  }
  if (exchange.kind == "challenge") {
    entry.up_url = AbsoluteUrl(UpLink(exchange), origin);
  }
  entry.value = values.front();
  // A value that is neither delta-seconds nor an IMF-fixdate constrains nothing.
  entry.not_before = RetryAfterTime(entry.value, exchange.received).value_or(exchange.received);
  entries.push_back(std::move(entry));
  KeepNewestAmortized(entries, limits_.exchanges_per_client);
}

void Recorder::TrackVerifyingKey(Exchange& exchange, const std::string& signer,
                                 const std::string& account_url) {
  if (!exchange.jws) {
    return;
  }
  RecordedJws& jws = *exchange.jws;
  if (!jws.kid.empty()) {
    const auto key = account_key_.find(jws.kid);
    jws.verifying_key = key != account_key_.end() ? key->second : std::string();
  } else if (!signer.empty()) {
    jws.verifying_key = signer;
  }
  if (!account_url.empty()) {
    account_key_[account_url] = signer;
  }
  if (exchange.kind == "keyChange" && exchange.status == 200 && !jws.kid.empty()) {
    const auto full = FullJws(exchange);
    if (!full || !full->payload.is_object()) {
      return;
    }
    if (const auto inner = DecodeJws(full->payload.dump()); inner && inner->jwk.is_object()) {
      account_key_[jws.kid] = SignerOf(*inner);
    }
  }
}

void Recorder::AddStatusChanges(Client& client, std::uint64_t exchange_id, ServedObjects served) {
  for (StatusChange& change : served.statuses) {
    if (const auto order = client.order_of_finalize.find(change.url);
        change.object == "order" && order != client.order_of_finalize.end()) {
      change.url = order->second;
    }
    if (change.object == "order" && !served.finalize_url.empty() &&
        change.url != served.finalize_url) {
      client.order_of_finalize[served.finalize_url] = change.url;
    }
    std::string& last = client.served_status[change.url];
    if (last == change.to) {
      continue;
    }
    change.exchange = exchange_id;
    change.from = std::exchange(last, change.to);
    client.record.states.push_back(std::move(change));
  }
  KeepNewestAmortized(client.record.states, limits_.exchanges_per_client);
  // The URL maps only serve the history; past a bound they start over (a long run forgets, at
  // worst, that it has seen a status, and records it once more).
  if (client.served_status.size() > 4 * limits_.exchanges_per_client) {
    client.served_status.clear();
  }
  if (client.order_of_finalize.size() > 4 * limits_.exchanges_per_client) {
    client.order_of_finalize.clear();
  }
}

template <typename Entry>
void Recorder::AppendToAccount(const std::string& account_url,
                               std::vector<Entry> ClientRecord::*list, Entry entry) {
  if (!limits_.enabled || account_url.empty()) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  Client* client = FindOrCreate(account_url, "");
  if (client == nullptr) {
    return;
  }
  if (client->record.account_url.empty()) {
    client->record.account_url = account_url;
  }
  (client->record.*list).push_back(std::move(entry));
  KeepNewestAmortized(client->record.*list, limits_.exchanges_per_client);
}

void Recorder::RecordProbe(const std::string& account_url, ProbeRecord probe) {
  AppendToAccount(account_url, &ClientRecord::probes, std::move(probe));
}

void Recorder::RecordFault(const std::string& account_url, FaultEvent fault) {
  AppendToAccount(account_url, &ClientRecord::fault_events, std::move(fault));
}

void Recorder::Append(Client& client, Exchange exchange) {
  const std::size_t bytes = ExchangeBytes(exchange);
  client.exchanges.push_back(std::move(exchange));
  client.exchange_bytes += bytes;
  exchange_bytes_ += bytes;
  while (client.exchanges.size() > limits_.exchanges_per_client) {
    DropOldest(client);
  }
  KeepWithinByteBudget();
}

void Recorder::DropOldest(Client& client) {
  const std::size_t bytes = ExchangeBytes(client.exchanges.front());
  client.exchanges.pop_front();
  client.exchange_bytes -= bytes;
  exchange_bytes_ -= bytes;
  ++client.record.dropped;
}

void Recorder::KeepWithinByteBudget() {
  while (exchange_bytes_ > limits_.exchange_bytes) {
    Client* largest = nullptr;
    for (auto& [id, client] : clients_) {
      if (largest == nullptr || client.exchange_bytes > largest->exchange_bytes) {
        largest = &client;
      }
    }
    if (largest == nullptr || largest->exchanges.empty()) {
      return;
    }
    DropOldest(*largest);
    ++stats_.dropped_for_bytes;
  }
}

ClientRecord Recorder::ToRecord(const Client& client) const {
  ClientRecord record = client.record;
  const std::size_t cap = limits_.exchanges_per_client;
  KeepNewest(record.retry_after, cap);
  KeepNewest(record.states, cap);
  KeepNewest(record.probes, cap);
  KeepNewest(record.fault_events, cap);
  record.exchanges.assign(client.exchanges.begin(), client.exchanges.end());
  for (const std::string& nonce : client.nonces) {
    if (const auto it = nonces_.find(nonce); it != nonces_.end()) {
      record.nonces.emplace(nonce, it->second.entry);
    }
  }
  return record;
}

std::vector<ClientRecord> Recorder::Snapshot() const {
  std::unique_lock<std::mutex> lock(mu_);
  std::vector<const Client*> ordered;
  ordered.reserve(clients_.size());
  for (const auto& [id, client] : clients_) {
    ordered.push_back(&client);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Client* a, const Client* b) { return a->seq < b->seq; });
  std::vector<ClientRecord> records;
  records.reserve(ordered.size());
  for (const Client* client : ordered) {
    records.push_back(ToRecord(*client));
  }
  lock.unlock();
  for (ClientRecord& record : records) {
    CompleteExchanges(record);
  }
  return records;
}

std::optional<ClientRecord> Recorder::SnapshotOf(const std::string& account_or_client_id) const {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = clients_.find(account_or_client_id);
  if (it == clients_.end()) {
    const auto account = key_owner_.find(account_or_client_id);
    if (account == key_owner_.end()) {
      return std::nullopt;
    }
    it = clients_.find(account->second);
    if (it == clients_.end()) {
      return std::nullopt;
    }
  }
  ClientRecord record = ToRecord(it->second);
  lock.unlock();
  CompleteExchanges(record);
  return record;
}

void Recorder::Reset() {
  std::lock_guard<std::mutex> lock(mu_);
  clients_.clear();
  ua_owner_.clear();
  key_owner_.clear();
  account_key_.clear();
  nonces_.clear();
  refused_.clear();
  exchange_bytes_ = 0;
  stats_ = {};
}

RecorderStats Recorder::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  RecorderStats stats = stats_;
  stats.clients = clients_.size();
  stats.exchange_bytes = exchange_bytes_;
  return stats;
}

}  // namespace mockca::report
