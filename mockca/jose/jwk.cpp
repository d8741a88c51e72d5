#include "mockca/jose/jwk.hpp"

#include <array>
#include <cstdlib>
#include <string_view>
#include <utility>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "common/public_key_from_data.hpp"
#include "mockca/jose/base64url.hpp"

namespace mockca::jose {
namespace {

using nlohmann::json;

constexpr int kMinRsaBits = 2048;            // S-JWS-07, Baseline Requirements §6.1.5
constexpr int kMaxRsaBits = 8192;            // bounds the work of verifying with a hostile key
constexpr std::size_t kEd25519KeySize = 32;  // RFC 8032 §5.1.5

// RFC 7517 §9.2 and RFC 7518 §6.3.2, §6.2.2, §6.4.1: members that only a private (or symmetric) key
// has. An account key is public; sending its private half is a client bug worth refusing loudly.
constexpr std::array<std::string_view, 8> kPrivateMembers = {"d",  "p",  "q",   "dp",
                                                             "dq", "qi", "oth", "k"};

struct Curve {
  std::string_view crv;         // the JWK name (RFC 7518 §6.2.1.1)
  const char* group;            // OpenSSL's group name
  std::size_t coordinate_size;  // RFC 7518 §6.2.1.2: x and y are exactly this long
};

constexpr std::array<Curve, 3> kCurves = {{
    {"P-256", "prime256v1", 32},
    {"P-384", "secp384r1", 48},
    {"P-521", "secp521r1", 66},
}};

// A base64url member as received and decoded.
struct Member {
  std::string text;
  std::string bytes;
};

acme::Problem BadKey(std::string detail) {
  ERR_clear_error();  // a refused key leaves OpenSSL errors that are not ours to report
  return acme::BadPublicKey(std::move(detail));
}

acme::Result<std::string> StringMember(const json& jwk, const std::string& name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) {
    return acme::Malformed("jwk member " + name + " is missing or not a string");
  }
  return it->get<std::string>();
}

acme::Result<Member> Base64UrlMember(const json& jwk, const std::string& name) {
  auto text = StringMember(jwk, name);
  if (!text) {
    return text.error();
  }
  auto bytes = Base64UrlDecode(text.value(), "jwk." + name);
  if (!bytes) {
    return bytes.error();
  }
  return Member{std::move(text).value(), std::move(bytes).value()};
}

// RFC 7518 §6.3.1: n and e are Base64urlUInt, "the minimum number of octets needed".
acme::Result<Member> UintMember(const json& jwk, const std::string& name) {
  auto member = Base64UrlMember(jwk, name);
  if (!member) {
    return member;
  }
  if (member->bytes.empty() || member->bytes[0] == '\0') {
    return acme::Malformed("jwk member " + name +
                           " must be a minimal Base64urlUInt (no leading zero octet)");
  }
  return member;
}

common::BignumPtr ToBignum(const std::string& bytes) {
  return common::BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()), nullptr));
}

acme::Result<PublicKey> ParseRsa(const json& jwk) {
  auto n = UintMember(jwk, "n");
  if (!n) {
    return n.error();
  }
  auto e = UintMember(jwk, "e");
  if (!e) {
    return e.error();
  }
  // Bounded before BN_bin2bn: 8192 bits is 1024 bytes, and e never needs more than n.
  if (n->bytes.size() > kMaxRsaBits / 8) {
    return BadKey("RSA key is larger than " + std::to_string(kMaxRsaBits) + " bits");
  }
  if (e->bytes.size() > n->bytes.size()) {
    return BadKey("RSA public exponent is longer than the modulus");
  }
  const common::BignumPtr bn_n = ToBignum(n->bytes);
  const common::BignumPtr bn_e = ToBignum(e->bytes);
  if (!bn_n || !bn_e) {
    std::abort();  // allocation failure
  }
  // S-JWS-07: an RSA key under 2048 bits is refused with badPublicKey.
  const int bits = BN_num_bits(bn_n.get());
  if (bits < kMinRsaBits) {
    return BadKey("RSA key of " + std::to_string(bits) + " bits is too small (at least " +
                  std::to_string(kMinRsaBits) + ")");
  }
  if (!BN_is_odd(bn_e.get()) || BN_is_one(bn_e.get())) {
    return BadKey("RSA public exponent must be odd and greater than 1");
  }
  common::EvpPkeyPtr key = common::RsaPublicKeyFromData(bn_n.get(), bn_e.get());
  if (!key) {
    return BadKey("RSA key is not usable");
  }
  return PublicKey{std::move(key), "RSA", "", "",
                   json{{"e", e->text}, {"kty", "RSA"}, {"n", n->text}}};
}

acme::Result<PublicKey> ParseEc(const json& jwk, const std::string& crv) {
  const Curve* curve = nullptr;
  for (const Curve& candidate : kCurves) {
    if (candidate.crv == crv) {
      curve = &candidate;
    }
  }
  if (curve == nullptr) {
    return BadKey("unsupported EC curve \"" + crv + "\" (P-256, P-384, P-521)");
  }
  auto x = Base64UrlMember(jwk, "x");
  if (!x) {
    return x.error();
  }
  auto y = Base64UrlMember(jwk, "y");
  if (!y) {
    return y.error();
  }
  // RFC 7518 §6.2.1.2/3: each coordinate is the full size of the field, leading zeros kept.
  for (const auto& [name, member] : {std::pair{"x", &x.value()}, std::pair{"y", &y.value()}}) {
    if (member->bytes.size() != curve->coordinate_size) {
      return BadKey("EC coordinate " + std::string(name) + " of " + crv + " must be " +
                    std::to_string(curve->coordinate_size) + " bytes, not " +
                    std::to_string(member->bytes.size()));
    }
  }
  const std::string point = '\x04' + x->bytes + y->bytes;  // SEC 1 §2.3.3 uncompressed
  common::EvpPkeyPtr key = common::EcPublicKeyFromData(curve->group, point);
  // S-JWS-07: an invalid point is badPublicKey. fromdata refuses most; the check is complete.
  common::EvpPkeyCtxPtr check(key ? EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr)
                                  : nullptr);
  if (!key || !check || EVP_PKEY_public_check(check.get()) != 1) {
    return BadKey("EC point is not a valid point on " + crv);
  }
  return PublicKey{std::move(key), "EC", crv, "",
                   json{{"crv", crv}, {"kty", "EC"}, {"x", x->text}, {"y", y->text}}};
}

// RFC 8037 §2. OpenSSL does not decode the point here; an invalid one never verifies.
acme::Result<PublicKey> ParseOkp(const json& jwk, const std::string& crv) {
  if (crv != "Ed25519") {
    return BadKey("unsupported OKP curve \"" + crv + "\" (Ed25519)");
  }
  auto x = Base64UrlMember(jwk, "x");
  if (!x) {
    return x.error();
  }
  if (x->bytes.size() != kEd25519KeySize) {
    return BadKey("Ed25519 public key x must be 32 bytes, not " + std::to_string(x->bytes.size()));
  }
  common::EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->bytes.data()),
      x->bytes.size()));
  if (!key) {
    return BadKey("Ed25519 public key is not usable");
  }
  return PublicKey{std::move(key), "OKP", crv, "",
                   json{{"crv", crv}, {"kty", "OKP"}, {"x", x->text}}};
}

acme::Result<PublicKey> ParseByType(const json& jwk, const std::string& kty) {
  if (kty == "RSA") {
    return ParseRsa(jwk);
  }
  if (kty != "EC" && kty != "OKP") {
    return BadKey("unsupported JWK kty \"" + kty + "\" (RSA, EC, OKP)");
  }
  auto crv = StringMember(jwk, "crv");
  if (!crv) {
    return crv.error();
  }
  return kty == "EC" ? ParseEc(jwk, crv.value()) : ParseOkp(jwk, crv.value());
}

}  // namespace

acme::Result<PublicKey> ParseJwk(const json& jwk) {
  if (!jwk.is_object()) {
    return acme::Malformed("jwk must be a JSON object");
  }
  for (std::string_view member : kPrivateMembers) {
    if (jwk.contains(member)) {
      return acme::Malformed("jwk must not contain private key members (found \"" +
                             std::string(member) + "\")");
    }
  }
  auto kty = StringMember(jwk, "kty");
  if (!kty) {
    return kty.error();
  }
  std::string alg;
  if (jwk.contains("alg")) {
    auto member = StringMember(jwk, "alg");
    if (!member) {
      return member.error();
    }
    alg = std::move(member).value();
  }
  auto key = ParseByType(jwk, kty.value());
  if (!key) {
    return key;
  }
  key->alg = std::move(alg);
  return key;
}

std::string JwkThumbprint(const PublicKey& key) {
  return JwkThumbprint(key.jwk);  // PublicKey::jwk holds the required members only
}

std::string JwkThumbprint(const nlohmann::json& required_members) {
  // RFC 7638 §3: the required members, ordered by nlohmann::json's std::map, dumped without
  // whitespace. All values are ASCII.
  const std::string canonical = required_members.dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    std::abort();  // SHA-256 cannot fail short of a broken OpenSSL
  }
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

bool SameKey(const PublicKey& a, const PublicKey& b) {
  return a.key && b.key && EVP_PKEY_eq(a.key.get(), b.key.get()) == 1;
}

}  // namespace mockca::jose
