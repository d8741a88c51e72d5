#!/usr/bin/env bash
# Writes the seeds of fuzz_pem (fuzz/corpus/pem/) and fuzz_cert_id (fuzz/corpus/cert_id/) with the
# openssl CLI (3.0). fuzz_pem's byte 0 picks the reader (0: SerialHexFromPem, 1: DER
# InspectCertificate/CertificateValidity, 2: the PEM certificate and key file readers, the two
# separated by "\n%%\n"). The certID seeds are the issued certificate's real certID
# (base64url(AKI keyIdentifier) "." base64url(serial content octets)), RFC 9773's example and
# malformed variants. Keys are fresh, so each run gives different bytes.
#
#   fuzz/corpus/make_pem_seeds.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pem="$here/pem"
cert_id="$here/cert_id"
mkdir -p "$pem" "$cert_id"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

b64url() { /usr/bin/python3 -c 'import base64,sys;print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).decode().rstrip("="),end="")'; }
# seed FILE MODE-BYTE PARTS...: the mode byte then the parts' bytes.
seed() {
  local file="$1" mode="$2"
  shift 2
  { printf "\\x$mode"; cat "$@"; } >"$file"
}
printf '\n%%%%\n' >sep

# A CA and a leaf it issues (AKI, SANs dns + ip, a serial with the top bit set).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -subj "/CN=Fuzz CA" -days 30 -out ca.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key 2>/dev/null
openssl req -new -key leaf.key -subj "/CN=leaf.fuzz.example" -out leaf.csr 2>/dev/null
printf 'subjectAltName=DNS:leaf.fuzz.example,DNS:*.fuzz.example,IP:192.0.2.1,IP:2001:db8::1\nauthorityKeyIdentifier=keyid\n' >leaf.ext
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 0x87654321aabbccdd -days 7 \
  -extfile leaf.ext -out leaf.pem 2>/dev/null
openssl x509 -in leaf.pem -outform DER -out leaf.der
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl req -x509 -new -key rsa.key -subj "/CN=localhost" -addext subjectAltName=DNS:localhost \
  -set_serial 1 -days 30 -out rsa.pem 2>/dev/null
openssl x509 -in rsa.pem -outform DER -out rsa.der
openssl pkey -in rsa.key -traditional -out rsa-traditional.key
openssl pkey -in leaf.key -traditional -out ec-traditional.key
printf 'text before the block\n' >prefix
head -c 200 leaf.der >leaf-truncated.der
{ cat leaf.der; printf 'x'; } >leaf-trailing.der

seed "$pem/pem-leaf" 00 leaf.pem
seed "$pem/pem-leaf-after-text" 00 prefix leaf.pem
seed "$pem/pem-chain" 00 leaf.pem ca.pem
seed "$pem/pem-key-only" 00 leaf.key
seed "$pem/der-leaf" 01 leaf.der
seed "$pem/der-rsa" 01 rsa.der
seed "$pem/der-truncated" 01 leaf-truncated.der
seed "$pem/der-trailing-byte" 01 leaf-trailing.der
seed "$pem/files-ec" 02 leaf.pem sep leaf.key
seed "$pem/files-rsa-traditional" 02 rsa.pem sep rsa-traditional.key
seed "$pem/files-ec-traditional" 02 leaf.pem ca.pem sep ec-traditional.key
seed "$pem/files-swapped" 02 leaf.key sep leaf.pem

# certID of the leaf: AKI keyIdentifier and the serial's content octets (0x00 sign byte included).
aki="$(openssl x509 -in leaf.pem -noout -ext authorityKeyIdentifier | tail -1 | tr -d ' :' |
  sed 's/^keyid//')"
printf '%s' "$aki" | xxd -r -p | b64url >aki.b64
printf '0087654321aabbccdd' | xxd -r -p | b64url >serial.b64
printf '%s.%s' "$(cat aki.b64)" "$(cat serial.b64)" >"$cert_id/leaf"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE' >"$cert_id/rfc9773-example"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE=' >"$cert_id/padded"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdl.QyE' >"$cert_id/two-dots"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.h2VDIQ' >"$cert_id/negative-serial"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AAE' >"$cert_id/needless-zero"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AA' >"$cert_id/zero-serial"
printf '.AQ' >"$cert_id/empty-key-id"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ+/.AQ' >"$cert_id/base64-not-url"
