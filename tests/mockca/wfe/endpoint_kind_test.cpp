#include "mockca/wfe/endpoint_kind.hpp"

#include <catch2/catch.hpp>

namespace endpoint_kind_test {

namespace {

using mockca::wfe::EndpointKindOf;

TEST_CASE("Every ACME path maps to the endpoint kind fault rules name", "[wfe][faults]") {
  const std::pair<const char*, const char*> kCases[] = {
      {"/dir", "directory"},
      {"/nonce-plz", "newNonce"},
      {"/sign-me-up", "newAccount"},
      {"/my-account/7", "account"},
      {"/rollover-account-key", "keyChange"},
      {"/order-plz", "newOrder"},
      {"/my-order/abc", "order"},
      {"/list-orderz/7", "order"},  // an account's orders list counts as "order"
      {"/finalize-order/abc", "finalize"},
      {"/authZ/abc", "authz"},
      {"/chalZ/abc", "challenge"},
      {"/certZ/abc", "certificate"},
      {"/certZ/abc/alternate/1", "certificate"},
      {"/revoke-cert", "revokeCert"},
      {"/draft-ietf-acme-ari-03/renewalInfo/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", "renewalInfo"},
      {"/draft-ietf-acme-ari-03/renewalInfo", "renewalInfo"},
  };
  for (const auto& [path, kind] : kCases) {
    DYNAMIC_SECTION(path) {
      CHECK(EndpointKindOf(path) == kind);
    }
  }
}

TEST_CASE("Paths that are not ACME endpoints have no kind", "[wfe][faults]") {
  for (const char* path : {"", "/", "/dirx", "/dir/", "/order-plz/x", "/my-orde",
                           "/draft-ietf-acme-ari-03/renewalInfoX", "/roots/0", "/faults"}) {
    DYNAMIC_SECTION(path) {
      CHECK(EndpointKindOf(path).empty());
    }
  }
}

}  // namespace

}  // namespace endpoint_kind_test
