#pragma once

#include <string>
#include <string_view>

namespace mockca::wfe {

// The endpoint kind of an ACME request path, as fault rules name it (faults::FaultRule::where,
// faults::Facts::where): "directory", "newNonce", "newAccount", "account", "newOrder", "order"
// (an order or an account's orders list), "authz", "challenge", "finalize", "certificate",
// "revokeCert", "keyChange" or "renewalInfo"; "" for any other path. path has no query string.
// Only the shape of the path counts: "/my-order/unknown" is an "order" even if it is a 404.
std::string EndpointKindOf(std::string_view path);

}  // namespace mockca::wfe
