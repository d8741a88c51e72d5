#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/message.hpp"
#include "mockca/jose/jws.hpp"
#include "mockca/report/records.hpp"
#include "mockca/report/served_status.hpp"

namespace mockca::report {

// How much a Recorder keeps. The exchanges kept are bounded three ways: per client, by clients,
// and in bytes over all clients (an estimate of their strings and decoded JSON: the process's
// memory for them is up to about twice that); besides them each kept exchange holds about two
// nonce-ledger entries and at most one Retry-After entry.
struct RecorderLimits {
  bool enabled = true;  // false: Record does nothing
  // The newest exchanges of a client; older ones are dropped (ClientRecord::dropped counts them).
  std::size_t exchanges_per_client = 2000;
  // Clients recorded at once; exchanges of further clients are refused (RecorderStats counts them).
  std::size_t clients = 1000;
  // The estimated bytes of all kept exchanges; past it the oldest exchanges of the client holding
  // the most bytes are dropped (counted in its ClientRecord::dropped) until it holds again.
  std::size_t exchange_bytes = std::size_t{128} << 20;
};

struct RecorderStats {
  std::size_t clients = 0;              // recorded now
  std::size_t exchange_bytes = 0;       // the estimated bytes of the exchanges kept now
  std::uint64_t exchanges = 0;          // recorded since the last Reset (dropped ones included)
  std::uint64_t dropped_for_bytes = 0;  // dropped to keep within RecorderLimits::exchange_bytes
  std::uint64_t refused_exchanges = 0;  // not recorded because the client cap was reached
  // Distinct client ids refused since the last Reset (exact up to kRefusedRemembered of them, then
  // each refused exchange of an id not remembered counts again).
  std::uint64_t refused_clients = 0;
};

// The session log of conformance.md §0 for mockca's ACME listener: every exchange, the decoded
// JWS, the nonce ledger and the Retry-After ledger, per client. The router calls Record once per
// exchange, after the response is final.
//
// Attribution (which ClientRecord an exchange goes to):
//  - a JWS whose protected header has a kid: the client is the kid (the account URL);
//  - a JWS with a jwk: "key:<RFC 7638 thumbprint>", until a newAccount request with that jwk is
//    answered 200 or 201 with a Location. Then the key's record merges into the account's (id =
//    the Location, exchanges kept in id order) and later jwk requests with that key go there too;
//  - anything else (GET directory, HEAD/GET newNonce, GET renewalInfo, plain GETs, a POST whose
//    body is no JWS with kid or jwk): by User-Agent. It goes to the client that most recently sent
//    a signed request with exactly that User-Agent, else to "anonymous:<User-Agent>". When a
//    signed request first comes with a User-Agent that has an anonymous record, that record merges
//    into the signed client's.
// This is a heuristic: clients running in parallel with identical User-Agents get their unsigned
// requests mixed (each goes to whichever signed last), and a client that changes its User-Agent
// between requests splits. Run clients one at a time, or give them distinct User-Agents.
//
// Nonce ledger: each Replay-Nonce of a response makes an entry issued_by that exchange; each JWS
// nonce appends the exchange to used_by (an entry with issued_by 0 when mockca never issued it);
// a badNonce problem response sets the entry's rejection to its detail, the first time. A client's
// nonces are those issued to it or used by it. Retry-After ledger: each response with Retry-After
// makes an entry for its Location (else the request URL; a finalize's goes to its order's URL
// once an order body named that finalize URL); the client's next exchange with that exact url
// (or, after a challenge answer, its authorization's: Link rel="up") fills next_request. State
// history: the status of each account, order, authorization and challenge a 200/201 JSON response
// showed (ServedStatuses), kept when it differs from the last one served for that URL. The VA probe
// log and the fault events come from RecordProbe and RecordFault, by account URL.
//
// Thread-safe: one mutex; the JWS decoding and body copies happen outside it.
class Recorder {
 public:
  explicit Recorder(RecorderLimits limits = {});
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Records one exchange. kind is the endpoint kind (wfe::EndpointKindOf, "" for none),
  // fault_rules the ids of the fault rules that fired for it, received when the request was read,
  // duration until the response was decided; parsed_jws_header, when not null, the protected
  // header jose::ParseJws gave for request.body (then the body is not parsed again here).
  void Record(const http::Request& request, const http::Response& response, std::string kind,
              std::vector<std::string> fault_rules, TimePoint received,
              std::chrono::microseconds duration,
              const jose::ProtectedHeader* parsed_jws_header = nullptr);

  // Adds a VA attempt to the probe log of the client whose account URL is account_url (created
  // when no client has it yet); nothing for an empty account_url or when the client cap is
  // reached. Kept: the newest exchanges_per_client probes of a client.
  void RecordProbe(const std::string& account_url, ProbeRecord probe);
  // Adds a fault that fired below the router to the client of account_url, as RecordProbe.
  void RecordFault(const std::string& account_url, FaultEvent fault);

  // Every client, in the order they were first seen.
  std::vector<ClientRecord> Snapshot() const;
  // One client by its id (an account URL, "key:<thumbprint>", "anonymous:<User-Agent>"), or by
  // "key:<thumbprint>" of a key whose record merged into an account. nullopt when unknown.
  std::optional<ClientRecord> SnapshotOf(const std::string& account_or_client_id) const;

  // A fresh session: forgets every client, the ledgers and the counters. Exchange ids keep
  // increasing.
  void Reset();

  RecorderStats Stats() const;
  const RecorderLimits& limits() const { return limits_; }

 private:
  struct Client {
    std::uint64_t seq = 0;  // creation order, for Snapshot
    ClientRecord record;    // record.exchanges and record.nonces stay empty: built by Snapshot
    std::deque<Exchange> exchanges;
    std::size_t exchange_bytes = 0;          // ExchangeBytes of exchanges
    std::unordered_set<std::string> nonces;  // keys into nonces_
    std::deque<std::string> nonce_order;     // the same keys, oldest first (for the cap)
    std::unordered_map<std::string, std::string> served_status;  // object URL → status last served
    std::unordered_map<std::string, std::string> order_of_finalize;  // finalize URL → order URL
  };
  struct LedgerEntry {
    NonceEntry entry;
    std::size_t clients = 0;  // how many Client::nonces hold it; erased at 0
  };

  // REQUIRES: mu_ held, for all below.
  // The client an exchange from user_agent signed by signer ("" for unsigned) goes to; merges an
  // anonymous record into a signer's. nullptr when a new client would exceed the cap.
  Client* Attribute(const std::string& signer, const std::string& user_agent);
  Client* FindOrCreate(const std::string& id, const std::string& user_agent);
  // Moves every record of from into to (created when absent); from is erased. The merged
  // exchanges stay in id order and within the cap.
  void Merge(const std::string& from, const std::string& to);
  void AddNonces(Client& client, const Exchange& exchange);
  void AddRetryAfter(Client& client, const Exchange& exchange, const std::string& origin);
  void TouchNonce(Client& client, const std::string& nonce);
  void TrimNonces(Client& client);
  // Appends exchange, dropping the client's oldest beyond its cap, then keeps every client within
  // the byte budget.
  void Append(Client& client, Exchange exchange);
  void DropOldest(Client& client);
  void KeepWithinByteBudget();
  // Sets exchange.jws->verifying_key, and follows the account's key through newAccount and
  // keyChange (account_url: what NewAccountUrl found for this exchange).
  void TrackVerifyingKey(Exchange& exchange, const std::string& signer,
                         const std::string& account_url);
  // Appends the changes among served (the statuses exchange's response showed) to client.states.
  void AddStatusChanges(Client& client, std::uint64_t exchange_id, ServedObjects served);
  // Appends entry to (record.*list) of the client whose id is account_url (created when absent),
  // keeping the newest exchanges_per_client; nothing when recording is off, account_url is empty
  // or the client cap is reached. Takes mu_.
  template <typename Entry>
  void AppendToAccount(const std::string& account_url, std::vector<Entry> ClientRecord::*list,
                       Entry entry);
  ClientRecord ToRecord(const Client& client) const;

  // Nonce-ledger entries a client keeps (the oldest are forgotten beyond it).
  std::size_t NonceCap() const { return 2 * limits_.exchanges_per_client + 2; }
  static constexpr std::size_t kRefusedRemembered = 10'000;

  const RecorderLimits limits_;
  mutable std::mutex mu_;
  // Guarded by mu_:
  std::uint64_t next_id_ = 1;  // not reset by Reset
  std::uint64_t next_seq_ = 1;
  std::unordered_map<std::string, Client> clients_;           // by ClientRecord::id
  std::unordered_map<std::string, std::string> ua_owner_;     // User-Agent → signed client id
  std::unordered_map<std::string, std::string> key_owner_;    // "key:<tp>" → account URL
  std::unordered_map<std::string, std::string> account_key_;  // account URL → "key:<tp>"
  std::unordered_map<std::string, LedgerEntry> nonces_;       // by nonce value
  std::unordered_set<std::string> refused_;                   // client ids refused
  std::size_t exchange_bytes_ = 0;                            // sum of Client::exchange_bytes
  RecorderStats stats_;  // counters only: clients and exchange_bytes are filled in by Stats()
};

}  // namespace mockca::report
