#!/usr/bin/env bash
# Regenerates vectors.json with tools independent of larkhook: OpenSSL for
# AES-256-CBC (key = SHA-256 of the Encrypt Key, PKCS#7) and coreutils'
# sha256sum for signatures. The Rust and JS suites check larkhook against
# these outputs; nothing here calls larkhook.
#
# Usage: tests/vectors/generate.sh > tests/vectors/vectors.json
set -euo pipefail
cd "$(dirname "$0")/.."

hex_key() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
encrypt() { # key iv_hex plaintext_file -> base64(iv || ciphertext)
  { printf '%s' "$2" | xxd -r -p; openssl enc -aes-256-cbc -K "$(hex_key "$1")" -iv "$2" -in "$3"; } | base64 -w0
}
json_str() { python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'; }

vector() { # name key iv_hex timestamp nonce plaintext_file
  local name=$1 key=$2 iv=$3 ts=$4 nonce=$5 file=$6 enc body sig
  enc=$(encrypt "$key" "$iv" "$file")
  body="{\"encrypt\":\"$enc\"}"
  sig=$(printf '%s%s%s%s' "$ts" "$nonce" "$key" "$body" | sha256sum | cut -d' ' -f1)
  printf '  {"name": %s, "key": %s, "iv_hex": "%s", "timestamp": "%s", "nonce": %s,\n' \
    "$(printf '%s' "$name" | json_str)" "$(printf '%s' "$key" | json_str)" "$iv" "$ts" "$(printf '%s' "$nonce" | json_str)"
  printf '   "plaintext": %s,\n' "$(json_str < "$file")"
  printf '   "encrypt": "%s", "body": %s, "signature": "%s"}' "$enc" "$(printf '%s' "$body" | json_str)" "$sig"
}

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
compact() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), ensure_ascii=False, separators=(",",":")), end="")' "$1"; }
compact fixtures/ticket_created_v1.json > "$tmp/created"
compact fixtures/ticket_updated_v1.json > "$tmp/updated"
compact fixtures/ticket_message_created_v1.json > "$tmp/message"
printf '%s' '{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad","token":"iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6","type":"url_verification"}' > "$tmp/challenge"
printf '%s' 'hello world' > "$tmp/hello"
printf '%s' '0123456789abcdef' > "$tmp/block"   # exactly one block: a whole padding block follows
printf '' > "$tmp/empty"

echo '['
vector "ticket.created_v1 (doc example)" "lark-encrypt-key" 000102030405060708090a0b0c0d0e0f 1700000000 "n0nce" "$tmp/created"; echo ,
vector "ticket.updated_v1 (doc example)" "lark-encrypt-key" 0f0e0d0c0b0a09080706050403020100 1700000001 "abc-123" "$tmp/updated"; echo ,
vector "ticket_message.created_v1 (doc example)" "lark-encrypt-key" a0a1a2a3a4a5a6a7a8a9aaabacadaeaf 1700000002 "nonce with spaces" "$tmp/message"; echo ,
vector "url_verification (SDK test payload)" "mazhe.nerd" 11111111111111111111111111111111 1700000003 "n" "$tmp/challenge"; echo ,
vector "hello world, documentation key" "test key" ffffffffffffffffffffffffffffffff 1700000004 "" "$tmp/hello"; echo ,
vector "one whole block, unicode key" "密钥🔑" 00000000000000000000000000000000 1700000005 "ñ" "$tmp/block"; echo ,
vector "empty plaintext" "k" 1234567890abcdef1234567890abcdef 1700000006 "x" "$tmp/empty"
echo
echo ']'
