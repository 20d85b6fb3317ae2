#!/usr/bin/env bash
# Makes a throwaway certificate authority and a certificate for 127.0.0.1 / localhost signed
# by it, for tests that need HTTPS on loopback (real TLS clients such as the auth0 SDK).
#   scripts/make-test-cert.sh DIR   → DIR/ca.pem, DIR/cert.pem, DIR/key.pem
set -euo pipefail
dir=${1:?usage: make-test-cert.sh DIR}
mkdir -p "$dir"
[ -s "$dir/cert.pem" ] && [ -s "$dir/ca.pem" ] && [ -s "$dir/key.pem" ] && exit 0
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=passwordless test CA" \
  -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$dir/key.pem" -out "$dir/cert.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$dir/ext.cnf"
openssl x509 -req -in "$dir/cert.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -CAcreateserial \
  -days 30 -extfile "$dir/ext.cnf" -out "$dir/cert.pem" 2>/dev/null
