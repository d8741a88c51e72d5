// mockca's TLS certificate loader (server::TlsContextFromPem): the --tls-cert and --tls-key files
// as mockca reads them, and its built-in pair.
//
// Input: the certificate PEM text (leaf, then any chain), optionally followed by "\n%%\n" and the
// private key PEM text.
// Oracles: the loader is deterministic (twice the same outcome); an accepted pair gives a context
// with a certificate and a private key that matches it, and an error queue left empty; a refusal
// is one of the three messages, each starting with the caller's name for the files; an encrypted
// key is refused, never prompted for (a prompt would read the terminal and hang the fuzzer).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/split_input.hpp"
#include "mockca/server/tls_context.hpp"

namespace {

const std::string kWhat = "--tls-cert/--tls-key";

bool IsKnownRefusal(const std::string& error) {
  return error == kWhat + ": no PEM certificate" ||
         error == kWhat + ": no unencrypted PEM private key" ||
         error == kWhat + ": the private key does not match the certificate";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto [cert, key] = SplitInput(input);
  const auto context = mockca::server::TlsContextFromPem(cert, key, kWhat);
  const auto again = mockca::server::TlsContextFromPem(cert, key, kWhat);
  FUZZ_CHECK(context.ok() == again.ok());
  if (context) {
    SSL_CTX* ctx = context.value()->native_handle();
    FUZZ_CHECK(SSL_CTX_get0_certificate(ctx) != nullptr);
    FUZZ_CHECK(SSL_CTX_get0_privatekey(ctx) != nullptr);
    FUZZ_CHECK(SSL_CTX_check_private_key(ctx) == 1);
    FUZZ_CHECK(ERR_peek_error() == 0);
  } else {
    FUZZ_CHECK(IsKnownRefusal(context.error()));
    FUZZ_CHECK(context.error() == again.error());
  }
  ERR_clear_error();
  return 0;
}
