#!/usr/bin/env bash
# The one test command (`npm test`): installs what the tests need when it is missing, builds,
# lints, and runs every test. Works on a fresh Debian machine as root or with sudo, without a TTY.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

# 1. Debian packages the suite starts for real.
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
command -v python3 >/dev/null 2>&1 && command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || need+=(python3 make g++)
# browser tests (tests/e2e, bench:browser): Debian's Chromium driven by playwright-core, the customer's screen on Xvfb
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
# native agent (tests/agent, bench:agent): x264 through ffmpeg, keyboard layouts, X tools, strace for "leaves nothing behind"
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v setxkbmap >/dev/null 2>&1 && command -v xkbcomp >/dev/null 2>&1 || need+=(x11-xkb-utils)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
command -v xterm >/dev/null 2>&1 || need+=(xterm)
command -v xclip >/dev/null 2>&1 || need+=(xclip)
command -v xwd >/dev/null 2>&1 || need+=(x11-apps)
command -v strace >/dev/null 2>&1 || need+=(strace)
[ -d /usr/share/X11/xkb/symbols ] || need+=(xkb-data)
# the baseline of `npm run bench` (issue 7): x11vnc + noVNC
command -v x11vnc >/dev/null 2>&1 || need+=(x11vnc)
# several nodes and peer-to-peer (issue 8): Redis, coturn, network namespaces
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v turnserver >/dev/null 2>&1 || need+=(coturn)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
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
  npm ci --no-audit --no-fund </dev/null
fi

# 3. Build (TypeScript project references enforce the package import edges) and lint.
log "build"
npm run build --silent
log "typecheck and lint"
npm run typecheck --silent
npm run lint --silent

# 4. Every test.
log "tests"
report=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" </dev/null || status=$?
node scripts/test-summary.mjs "$report" || status=$?
rm -f "$report"
exit "$status"
