#!/usr/bin/env bash
# A fresh-machine rehearsal of the README's two commands (issue 13). Makes a minimal Debian root with
# debootstrap from Debian's packages in a temporary folder, copies in the Node.js that runs this script
# (with npm, its headers and the machine's npm and apt settings, as a new machine of this kind has them),
# clones the current commit into it and runs, as root in a chroot with /proc, /sys and /dev mounted:
#   1. `npm ci && npm start`   until /healthz answers, then until the first-start build of the Linux
#                              QuickSupport program has an outcome (built: downloaded and `fernhilfe verify`-ed)
#   2. `npm test`              to its summary line
# It prints each command's time and the test summary, keeps the whole output in a log outside the
# root, removes the root afterwards (also on Ctrl+C), and exits non-zero when either command fails.
#
#   sudo scripts/fresh-machine.sh            # about 25-35 minutes on a 2-core machine
# Settings: FRESH_MIRROR (Debian mirror; default: the machine's apt source), FRESH_LOG (log file),
# FRESH_TESTS (test files or folders, space-separated: `npm test -- FILES` instead of every test; a shorter
# rehearsal of the install steps for the packages a change adds, which says in its result that it ran a subset).
set -euo pipefail

die() { printf 'fresh-machine: %s\n' "$*" >&2; exit 2; }
say() { printf '\n== fresh-machine: %s\n' "$*"; }
[ "$(id -u)" = 0 ] || die "run it as root: debootstrap, chroot and the mounts need it"

REPO=$(cd "$(dirname "$0")/.." && pwd)
COMMIT=$(git -C "$REPO" rev-parse HEAD)
SUITE=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
MIRROR=${FRESH_MIRROR:-$(awk '$1 == "URIs:" { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
[ -n "$MIRROR" ] || MIRROR=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$MIRROR" ] || die "no Debian mirror in /etc/apt: set FRESH_MIRROR"
NODE=$(command -v node) || die "no node on PATH"
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
LOG=${FRESH_LOG:-/var/tmp/fernhilfe-fresh-$(date +%Y%m%d-%H%M%S).log}
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap </dev/null >/dev/null \
    || { apt-get update -qq </dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap </dev/null; }
fi

# what a new machine of this kind has besides Debian's minimal base (with Node.js, copied in below):
# certificates, and python3, make and g++ for npm's native builds (better-sqlite3 compiles itself when no
# prebuilt binary can be downloaded)
BASE_PACKAGES=ca-certificates,python3,make,g++
ROOT=$(mktemp -d /var/tmp/fernhilfe-fresh.XXXXXX)
chmod 755 "$ROOT" # it becomes "/": system users (postgres) must be able to enter it
APP=/root/fernhilfe

mounted() { awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts; }
kill_inside() { # every process whose root is ROOT
  local p
  for p in /proc/[0-9]*; do
    if [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ]; then kill -9 "${p#/proc/}" 2>/dev/null || true; fi
  done
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # every process running inside the root, then every mount below it (deepest first), then the files
  kill_inside
  mounted | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if [ -n "$(mounted)" ]; then
    echo "fresh-machine: something is still mounted below $ROOT; left it in place" >&2
  else
    rm -rf --one-file-system "$ROOT"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run CMD inside the root as root, with the environment of a fresh login and no standard input
in_root() {
  chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@" </dev/null
}

printf 'fresh-machine: %s (%s) on Debian %s from %s, Node %s; log %s\n' "$COMMIT" "$REPO" "$SUITE" "$MIRROR" "$(node --version)" "$LOG"
: >"$LOG"

say "debootstrap --variant=minbase --include=$BASE_PACKAGES $SUITE"
t0=$SECONDS
debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$ROOT" "$MIRROR" >>"$LOG" 2>&1 \
  || { tail -n 20 "$LOG"; die "debootstrap failed"; }
t_debootstrap=$((SECONDS - t0))
echo "debootstrap: ${t_debootstrap} s, $(du -sh "$ROOT" | cut -f1)"

# What a new machine of this kind has besides Debian's minimal base: Node.js with npm and its headers,
# the machine's npm settings (registry, CA file) and apt sources and settings; name resolution.
install -D -m 755 "$NODE" "$ROOT/usr/bin/node"
mkdir -p "$ROOT/usr/lib/node_modules"
cp -a "$NPM_DIR" "$ROOT/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/bin/npx"
[ -d /usr/include/node ] && mkdir -p "$ROOT/usr/include" && cp -a /usr/include/node "$ROOT/usr/include/"
for f in /usr/etc/npmrc /root/.npmrc /etc/resolv.conf /etc/ssl/certs/ca-certificates.crt; do
  [ -f "$f" ] && install -D -m 644 "$f" "$ROOT$f"
done
rm -f "$ROOT/etc/apt/sources.list"
cp -a /etc/apt/sources.list.d/. "$ROOT/etc/apt/sources.list.d/"
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$ROOT/etc/apt/sources.list"
cp -a /etc/apt/apt.conf.d/. "$ROOT/etc/apt/apt.conf.d/"
# packages installed inside the root must not start their services (PostgreSQL, Redis, coturn): the
# tests start their own, and a daemon left running here would keep the root busy
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d" && chmod 755 "$ROOT/usr/sbin/policy-rc.d"

# the root must be a mount point of its own: `ip netns` (the peer-to-peer tests) makes "/" a slave mount
mount --bind "$ROOT" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount -t sysfs sysfs "$ROOT/sys"
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev"
mount -t tmpfs tmpfs "$ROOT/run"

git clone --quiet "$REPO" "$ROOT$APP"
git -C "$ROOT$APP" checkout --quiet --detach "$COMMIT"
[ -d "$REPO/../shared" ] && cp -a "$REPO/../shared" "$ROOT/root/shared"

say "npm ci && npm start (PORT=$PORT)"
t0=$SECONDS
in_root bash -c "cd $APP && npm ci && PORT=$PORT npm start" >>"$LOG" 2>&1 &
start_pid=$!
healthy=""
until [ -n "$healthy" ]; do
  if ! kill -0 "$start_pid" 2>/dev/null; then break; fi
  healthy=$(node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>r.ok&&r.text()).then(t=>t&&console.log(t),()=>{})" 2>/dev/null || true)
  [ -n "$healthy" ] || sleep 2
  [ $((SECONDS - t0)) -lt 1800 ] || break
done
t_start=$((SECONDS - t0))
# the first start builds and signs the QuickSupport programs in the background (docs/agent-build.md):
# wait for the Linux program's outcome, then download it and check it as a customer would
first_build=""
if [ -n "$healthy" ]; then
  say "first-start build of the QuickSupport program (linux-x64)"
  t1=$SECONDS
  until [ -n "$first_build" ] || [ $((SECONDS - t1)) -ge 1200 ] || ! kill -0 "$start_pid" 2>/dev/null; do
    first_build=$(grep -m1 -oE 'QuickSupport program for linux-x64 (built, signed and verified|NOT built)[^"]*' "$LOG" || true)
    [ -n "$first_build" ] || sleep 5
  done
  t_build=$((SECONDS - t1))
  echo "first-start build after ${t_build} s: ${first_build:-no outcome in the log}"
  if [[ "$first_build" == *"built, signed and verified"* ]]; then
    in_root bash -c "cd $APP && node -e \"fetch('http://127.0.0.1:$PORT/download/agent').then(r=>r.arrayBuffer()).then(b=>require('fs').writeFileSync('/tmp/qs',Buffer.from(b)));fetch('http://127.0.0.1:$PORT/download/agent.sig').then(r=>r.arrayBuffer()).then(b=>require('fs').writeFileSync('/tmp/qs.sig',Buffer.from(b)))\" && node packages/cli/bin/fernhilfe.js verify /tmp/qs --server http://127.0.0.1:$PORT" 2>&1 | sed 's/^/  verify: /' || true
  fi
fi
kill_inside # the server and the npm that started it
wait "$start_pid" 2>/dev/null || true
if [ -z "$healthy" ]; then
  tail -n 30 "$LOG"
  echo "fresh-machine: npm ci && npm start FAILED after ${t_start} s (no answer on /healthz)"
  exit 1
fi
echo "npm ci && npm start: /healthz answered after ${t_start} s: $healthy"
grep -m1 -E 'setup#token=' "$LOG" | sed -E 's/token=.*/token=…/' || true

say "npm test${FRESH_TESTS:+ -- $FRESH_TESTS (a subset)}"
t0=$SECONDS
test_status=0
# in the background and waited for, so that Ctrl+C or a TERM reaches the cleanup at once
in_root bash -c "cd $APP && npm test${FRESH_TESTS:+ -- $FRESH_TESTS}" >>"$LOG" 2>&1 &
wait "$!" || test_status=$?
t_test=$((SECONDS - t0))
summary=$(grep -E '^tests: [0-9]+ passed' "$LOG" | tail -n 1 || true)
installed=$(grep -m1 -E '^== installing Debian packages' "$LOG" || true)
[ -n "$installed" ] && echo "$installed"
if [ "$test_status" != 0 ]; then
  grep -E '(FAIL|✗|×) ' "$LOG" | sort -u | head -n 30 || true
fi
echo "npm test: ${t_test} s, exit ${test_status}, ${summary:-no summary line}"

say "result"
printf 'commit %s: debootstrap %d s | npm ci && npm start %d s (healthz ok) | first-start build: %s | npm test%s %d s: %s\n' \
  "${COMMIT:0:10}" "$t_debootstrap" "$t_start" "${first_build:-no outcome}" "${FRESH_TESTS:+ -- $FRESH_TESTS (subset)}" "$t_test" "${summary:-no summary line}"
[ "$test_status" = 0 ] || { echo "fresh-machine: npm test FAILED (log: $LOG)"; exit 1; }
echo "fresh-machine: passed (log: $LOG)"
