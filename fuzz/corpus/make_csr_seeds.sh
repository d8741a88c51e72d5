#!/usr/bin/env bash
# Writes the seeds of fuzz_csr_parse into fuzz/corpus/csr_parse/ with the openssl CLI (3.0): valid
# DER CSRs of each accepted key and signature kind, CSRs ParseCsr must refuse (weak keys, SHA-1,
# URI SAN, wildcard in a middle label), and byte-level damage of a valid one (truncated, trailing
# bytes, a flipped signature byte). Keys are fresh, so each run gives different bytes.
#
#   fuzz/corpus/make_csr_seeds.sh
set -euo pipefail

out="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/csr_parse"
mkdir -p "$out"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# csr NAME KEYGEN-ARGS... -- REQ-ARGS...: a DER CSR signed by a fresh key.
csr() {
  local name="$1"
  shift
  local keygen=()
  while [[ "$1" != "--" ]]; do
    keygen+=("$1")
    shift
  done
  shift
  openssl genpkey "${keygen[@]}" -out "$scratch/$name.key" 2>/dev/null
  openssl req -new -key "$scratch/$name.key" -outform DER -out "$out/$name.der" "$@"
}

p256=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
csr valid-p256-dns-ip "${p256[@]}" -- -subj "/CN=example.com" \
  -addext "subjectAltName=DNS:example.com,DNS:WWW.Example.com,IP:192.0.2.1,IP:2001:db8::1"
csr valid-p384-sha384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -- -sha384 -subj "/" \
  -addext "subjectAltName=DNS:*.example.org"
csr valid-rsa2048-cn-only -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -- -subj "/CN=cn.example"
csr valid-ed25519 -algorithm ED25519 -- -subj "/" -addext "subjectAltName=DNS:ed.example"
csr valid-must-staple "${p256[@]}" -- -subj "/" \
  -addext "subjectAltName=DNS:staple.example" -addext "tlsfeature=status_request"
csr valid-ip-cn "${p256[@]}" -- -subj "/CN=192.0.2.7" -addext "subjectAltName=IP:192.0.2.7"
csr bad-sha1 "${p256[@]}" -- -sha1 -subj "/" -addext "subjectAltName=DNS:sha1.example"
csr bad-rsa1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -- -subj "/CN=weak.example"
csr bad-secp256k1 -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -- -subj "/CN=k1.example"
csr bad-uri-san "${p256[@]}" -- -subj "/" \
  -addext "subjectAltName=DNS:a.example,URI:https://a.example/"
csr bad-middle-wildcard "${p256[@]}" -- -subj "/" -addext "subjectAltName=DNS:a.*.example.com"
csr bad-no-names "${p256[@]}" -- -subj "/O=No Names"

valid="$out/valid-p256-dns-ip.der"
size="$(stat -c %s "$valid")"
head -c $((size - 12)) "$valid" >"$out/bad-truncated.der"
{ cat "$valid"; printf 'trailing'; } >"$out/bad-trailing-bytes.der"
# Flip the low bit of the last byte, which lies inside the signature.
head -c $((size - 1)) "$valid" >"$out/bad-flipped-signature.der"
last="$(tail -c 1 "$valid" | od -An -tu1 | tr -d ' ')"
printf "\\$(printf '%03o' $((last ^ 1)))" >>"$out/bad-flipped-signature.der"
printf '' >"$out/bad-empty.der"
ls -l "$out"
