#!/bin/sh
# Once per installation: random passwords, the server key every node shares, and deploy/.env with
# your domain. Nothing is overwritten (a new server key would orphan the database's receipts).
#   sh deploy/make-secrets.sh support.example.com
set -eu
domain=${1:?usage: sh deploy/make-secrets.sh DOMAIN (the name customers and technicians type)}
dir=$(cd "$(dirname "$0")" && pwd)
umask 077
mkdir -p "$dir/secrets"
chmod 700 "$dir/secrets"

b64url() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
put() { # name, then the text on stdin; the file is renamed into place only when complete
  if [ -e "$dir/secrets/$1" ]; then echo "kept     secrets/$1"; cat >/dev/null; return; fi
  cat >"$dir/secrets/.$1.new"
  # readable inside the containers (they run as other users); the folder stays closed (700)
  chmod 644 "$dir/secrets/.$1.new"
  mv "$dir/secrets/.$1.new" "$dir/secrets/$1"
  echo "written  secrets/$1"
}
b64url | put postgres_password
b64url | put redis_password
b64url | put turn_secret
printf 'fernhilfe-server-key-v1\n# Fernhilfe server keys: keep this file secret and backed up; every node needs the same file.\nmaster: %s\nreceipt-seed: %s\n' "$(b64url)" "$(b64url)" | put server_key
# the QuickSupport programs' Ed25519 signing key: every node signs the image's programs with it
openssl genpkey -algorithm ed25519 2>/dev/null | put agent_signing_key
# the Windows program's Authenticode certificate. This one is self-made (Windows shows "Unknown
# publisher", as for an unsigned program); replace authenticode_cert.pem and authenticode_key.pem
# with your company's code-signing certificate and key (docs/containers.md). The CA's key is deleted
# at once; authenticode_ca.pem lets `fernhilfe verify --ca` check the signature.
if [ ! -e "$dir/secrets/authenticode_cert.pem" ]; then
  work=$(mktemp -d)
  openssl req -x509 -newkey rsa:3072 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 3650 \
    -subj "/CN=$domain QuickSupport CA (self-made)" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' >"$work/leaf.ext"
  openssl req -newkey rsa:3072 -nodes -keyout "$work/key.pem" -out "$work/leaf.csr" -subj "/CN=$domain QuickSupport" 2>/dev/null
  openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -out "$work/cert.pem" -days 3650 -extfile "$work/leaf.ext" 2>/dev/null
  put authenticode_key.pem <"$work/key.pem"
  put authenticode_ca.pem <"$work/ca.pem"
  put authenticode_cert.pem <"$work/cert.pem"
  rm -rf "$work"
fi
if [ -e "$dir/.env" ]; then
  echo "kept     .env"
else
  printf "FERNHILFE_DOMAIN=%s\nFERNHILFE_PUBLIC_URL=https://%s\n" "$domain" "$domain" >"$dir/.env.new" && mv "$dir/.env.new" "$dir/.env"
  echo "written  .env (FERNHILFE_DOMAIN=$domain)"
fi
