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
if [ -e "$dir/.env" ]; then
  echo "kept     .env"
else
  printf "FERNHILFE_DOMAIN=%s\nFERNHILFE_PUBLIC_URL=https://%s\n" "$domain" "$domain" >"$dir/.env.new" && mv "$dir/.env.new" "$dir/.env"
  echo "written  .env (FERNHILFE_DOMAIN=$domain)"
fi
