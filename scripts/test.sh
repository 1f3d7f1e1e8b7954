#!/usr/bin/env bash
# The one test command (`npm test`): installs what the tests need when it is missing, builds,
# lints, and runs every test. Works on a fresh Debian machine as root or with sudo, without a TTY.
set -euo pipefail
cd "$(dirname "$0")/.."

# each step's heading says how long the run has taken so far (docs/testing.md keeps the figures)
log() { printf '\n== %s (%d s in)\n' "$*" "$SECONDS"; }

# 1. Debian packages of every program the code, the tests and the benchmarks start: the one list is
#    packages/programs/src/programs.json (plain JavaScript reads it, before npm ci and any build).
read -r -a need <<<"$(node packages/programs/src/missing.js)"
if ((${#need[@]})); then
  log "installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq </dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null
fi

# 2. Node packages, exactly as locked.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  # the one install script allowed (better-sqlite3 compiles SQLite, minutes on a busy machine) runs
  # next, from a cache outside the clone when this machine built the same version before
  npm ci --no-audit --no-fund --ignore-scripts </dev/null
  node scripts/native-modules.mjs </dev/null
fi

# 3. Build (TypeScript project references enforce the package import edges) and lint. The agent's
#    encoder (x264 from Debian's source, for linux-x64 and win-x64) is cached: only a first run builds
#    it. The encoder and lint need nothing of the build, so they run beside it (docs/testing.md).
log "build, typecheck, lint and the encoder"
side=$(mktemp -d)
npm run build:encoder --silent </dev/null >"$side/encoder" 2>&1 &
encoder=$!
npm run lint --silent </dev/null >"$side/lint" 2>&1 &
lint=$!
trap 'kill "$encoder" "$lint" 2>/dev/null || true' EXIT
npm run build --silent
npm run typecheck --silent
for step in lint encoder; do
  if wait "${!step}"; then cat "$side/$step"; else
    cat "$side/$step"
    echo "npm test: $step failed (above)" >&2
    rm -rf "$side"
    exit 1
  fi
done
trap - EXIT
rm -rf "$side"
# the build is fresh: tests that make sure of it (buildOnce) need not run tsc -b again
export FERNHILFE_TEST_BUILT=1

# 4. Every test.
log "tests"
report=$(mktemp)
status=0
# arguments (`npm test -- FILES…`) narrow the run to those files or folders; none runs every test
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" </dev/null || status=$?
node scripts/test-summary.mjs "$report" || status=$?
rm -f "$report"
log "done"
exit "$status"
