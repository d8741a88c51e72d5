#!/usr/bin/env bash
# Regenerates mockca's built-in HTTPS test certificate and its issuer (mockca/certs/*.pem).
# The private keys are published on purpose: this is a test CA for loopback use only; never trust
# test-root.pem outside a test environment. Valid for 20 years from generation.
set -euo pipefail
cd "$(dirname "$0")"
days=7300
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
  -subj "/CN=Anvil mockca test root" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout test-root-key.pem -out test-root.pem 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=localhost" -keyout localhost-key.pem -out localhost.csr 2>/dev/null
cat > localhost.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in localhost.csr -CA test-root.pem -CAkey test-root-key.pem -CAcreateserial \
  -days "$days" -sha256 -extfile localhost.ext -out localhost.pem 2>/dev/null
rm -f localhost.csr localhost.ext test-root.srl
openssl verify -CAfile test-root.pem localhost.pem
