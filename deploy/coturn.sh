#!/bin/sh
# coturn for deploy/compose.yaml: writes its configuration (the shared secret from the secret file,
# never on a command line) and starts turnserver. Relayed addresses are announced with
# TURN_EXTERNAL_IP (the server's public address), since coturn sits behind the container network.
set -eu
umask 077
conf=/tmp/turnserver.conf
{
  echo "listening-port=${TURN_PORT:-3478}"
  echo "min-port=${TURN_MIN_PORT:-49160}"
  echo "max-port=${TURN_MAX_PORT:-49359}"
  echo "realm=${FERNHILFE_DOMAIN:?FERNHILFE_DOMAIN is not set}"
  printf 'static-auth-secret=%s\n' "$(cat /run/secrets/turn_secret)"
  [ "${TURN_EXTERNAL_IP:-none}" = none ] || echo "external-ip=$TURN_EXTERNAL_IP"
  # relay only to public addresses: a TURN credential must not open the container network or the LAN
  for range in 0.0.0.0-0.255.255.255 10.0.0.0-10.255.255.255 100.64.0.0-100.127.255.255 127.0.0.0-127.255.255.255 \
    169.254.0.0-169.254.255.255 172.16.0.0-172.31.255.255 192.168.0.0-192.168.255.255; do
    echo "denied-peer-ip=$range"
  done
  # TURN over TLS (5349) would need a certificate here; browsers and agents use UDP and TCP 3478
  printf '%s\n' fingerprint use-auth-secret no-cli no-tls no-dtls no-multicast-peers log-file=stdout
} >"$conf"
exec turnserver -c "$conf"
