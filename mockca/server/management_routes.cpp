#include "mockca/server/management_routes.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "common/json_parse.hpp"
#include "common/x509_builder.hpp"
#include "mockca/ca/renewal_facts.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::server {
namespace {

constexpr std::string_view kRoots = "/roots/";
constexpr std::string_view kRootKeys = "/root-keys/";
constexpr std::string_view kIntermediates = "/intermediates/";
constexpr std::string_view kIntermediateKeys = "/intermediate-keys/";
constexpr std::string_view kCertStatus = "/cert-status-by-serial/";

constexpr char kPemChain[] = "application/pem-certificate-chain; charset=utf-8";
constexpr char kPemFile[] = "application/x-pem-file";

http::Response NotFound() {
  return http::Response::Text(404, "");
}

http::Response Ok(std::string body, const char* content_type) {
  http::Response response{200, {}, std::move(body)};
  response.With("Content-Type", content_type);
  return response;
}

// The rest of path after prefix, or nullopt when path does not start with it.
std::optional<std::string_view> After(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) {
    return std::nullopt;
  }
  return path.substr(prefix.size());
}

// Pebble's strconv.Atoi on the index, without the sign: decimal digits below count.
std::optional<std::size_t> ChainIndex(std::string_view text, std::size_t count) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  const std::size_t index = std::stoul(std::string(text));
  return index < count ? std::optional(index) : std::nullopt;
}

// Go's time.Time.String() of when in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC", the
// fraction's trailing zeros (and a bare dot) dropped.
std::string GoTimeString(core::TimePoint when) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
  const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(when - seconds).count();
  const std::time_t time = std::chrono::system_clock::to_time_t(seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  std::string out = text;
  if (nanos > 0) {
    std::string digits = std::to_string(nanos);
    digits.insert(0, 9 - digits.size(), '0');
    digits.erase(digits.find_last_not_of('0') + 1);
    out += "." + digits;
  }
  return out + " +0000 UTC";
}

// A serial in canonical form: lowercase hex without leading zeros ("0" for zero), or nullopt when
// text is not hex (Go's big.Int.SetString(text, 16), minus the sign it also accepts).
std::optional<std::string> CanonicalSerial(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789abcdefABCDEF") != text.npos) {
    return std::nullopt;
  }
  std::string hex;
  for (const char c : text.substr(std::min(text.find_first_not_of('0'), text.size()))) {
    hex += static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  }
  return hex.empty() ? "0" : hex;
}

// The store's key for a canonical serial: the hex of a positive DER INTEGER's content octets.
std::string ContentOctetsHex(const std::string& canonical) {
  std::string hex = canonical.size() % 2 == 1 ? "0" + canonical : canonical;
  return hex.front() >= '8' ? "00" + hex : hex;
}

http::Response CertStatus(std::string_view serial_text, const ca::CertificateAuthority& authority,
                          const store::MemoryStore& store) {
  const auto serial = CanonicalSerial(serial_text);
  if (!serial) {
    return http::Response::Text(400, "");
  }
  const std::string key = ContentOctetsHex(*serial);
  nlohmann::ordered_json status;
  if (const auto certificate = store.GetCertificateBySerial(key)) {
    status["Status"] = certificate->revoked ? "Revoked" : "Valid";
    status["Serial"] = *serial;
    status["Certificate"] = common::CertificateDerToPem(certificate->der);
    if (certificate->revoked) {
      status["Reason"] = certificate->revoked->reason;
      status["RevokedAt"] = GoTimeString(certificate->revoked->when);
    }
  } else if (const auto ca_pem = authority.CaCertificatePem(key)) {
    status["Status"] = "Valid";
    status["Serial"] = *serial;
    status["Certificate"] = *ca_pem;
  } else {
    return NotFound();
  }
  return http::Response::Json(200, status.dump());
}

// /set-renewal-info/ (pebble.md §3): a certificate's renewalInfo answer, set by the test harness.
http::Response SetRenewalInfo(const http::Request& request, store::MemoryStore& store) {
  if (request.method != "POST") {
    return wfe::RenderProblem(acme::MethodNotAllowed(request.method + " is not allowed on " +
                                                     std::string(kSetRenewalInfoPath)))
        .With("Allow", "POST");
  }
  const auto parsed = common::ParseJson(request.body);
  if (!parsed) {
    return wfe::RenderProblem(acme::Malformed("the body " + parsed.error()));
  }
  const nlohmann::json& body = *parsed;
  if (!body.is_object() || !body.contains("certificate") || !body["certificate"].is_string() ||
      !body.contains("ariResponse") || !body["ariResponse"].is_string()) {
    return wfe::RenderProblem(
        acme::Malformed("body must be {\"certificate\":\"<PEM>\",\"ariResponse\":\"<string>\"}"));
  }
  const auto serial = ca::SerialHexFromPem(body["certificate"].get<std::string>());
  if (!serial) {
    return wfe::RenderProblem(acme::Malformed("\"certificate\": " + serial.error().detail));
  }
  auto stored = store.SetRenewalInfoOverride(*serial, body["ariResponse"].get<std::string>());
  if (!stored) {
    return wfe::RenderProblem(stored.error());  // NotFound: 404 malformed, as Pebble
  }
  return http::Response{200, {}, {}};
}

// /roots/<n>: the root, and a Link to every other chain's root (pebble.md §3).
http::Response Root(const http::Request& request, std::size_t chain,
                    const ca::CertificateAuthority& authority) {
  http::Response response = Ok(authority.RootPem(chain), kPemChain);
  for (std::size_t other = 0; other < authority.ChainCount(); ++other) {
    if (other != chain) {
      response.With("Link", "<https://" + request.host + std::string(kRoots) +
                                std::to_string(other) + ">;rel=\"alternate\"");
    }
  }
  return response;
}

// The whole interface.
http::Response Serve(const http::Request& request, const ca::CertificateAuthority& authority,
                     store::MemoryStore& store) {
  const std::string path = request.Path();
  const std::size_t chains = authority.ChainCount();
  if (path == kSetRenewalInfoPath) {
    return SetRenewalInfo(request, store);
  }
  if (const auto serial = After(path, kCertStatus)) {
    return CertStatus(*serial, authority, store);
  }
  if (const auto rest = After(path, kRoots)) {
    const auto chain = ChainIndex(*rest, chains);
    return chain ? Root(request, *chain, authority) : NotFound();
  }
  if (const auto rest = After(path, kIntermediates)) {
    const auto chain = ChainIndex(*rest, chains);
    return chain ? Ok(authority.IntermediatePem(*chain), kPemChain) : NotFound();
  }
  if (const auto rest = After(path, kRootKeys)) {
    const auto chain = ChainIndex(*rest, chains);
    return chain ? Ok(authority.RootKeyPem(*chain), kPemFile) : NotFound();
  }
  if (const auto rest = After(path, kIntermediateKeys)) {
    const auto chain = ChainIndex(*rest, chains);
    return chain ? Ok(authority.IntermediateKeyPem(*chain), kPemFile) : NotFound();
  }
  return NotFound();
}

}  // namespace

http::Response ServeManagement(const http::Request& request, const ManagementSources& sources) {
  return Serve(request, sources.authority, sources.store);
}

}  // namespace mockca::server
