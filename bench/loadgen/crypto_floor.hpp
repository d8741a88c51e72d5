#pragma once

#include "common/json.hpp"

namespace bench {

// The public-key operations an issuance flow cannot do without, timed in this process with the
// OpenSSL mockca links, each as the CPU time of `count` repetitions on one thread (so other load on
// the machine stretches the wall clock but hardly the figure):
//   es256_verify_us       one ES256 JWS signature checked (SHA-256 over a 400-byte signing input,
//                         EVP_DigestVerify with a P-256 key parsed beforehand, as an account key
//                         is kept)
//   csr_verify_us         one PKCS#10 self-signature checked (X509_REQ_verify of a decoded P-256
//                         CSR; decoding not included)
//   leaf_sign_p256_us     one certificate signed with a P-256 CA key (X509_sign, ECDSA-SHA256)
//   leaf_sign_rsa2048_us  the same with an RSA-2048 CA key (sha256WithRSAEncryption)
// Returns {"workload": "crypto-floor", "count", those four figures, "failed"} ("failed" counts
// operations OpenSSL refused; the figures are then meaningless).
nlohmann::json MeasureCryptoFloor(int count);

}  // namespace bench
