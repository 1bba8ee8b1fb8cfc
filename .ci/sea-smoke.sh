#!/usr/bin/env bash
# Smoke test of the exporter's single binary, as an operator would run it on a machine without
# Node: `bash .ci/sea-smoke.sh BINARY [EXPECTED_VERSION]`. Run by .ci/run and, before a binary is
# attached to a release, by .github/scripts/sea-release.sh.
#
# The binary runs from a copy in an empty directory, with an environment of its own: PATH is that
# directory alone (so no `node` can be found, which is checked), no HOME, no AAISP_EXPORTER_
# variable but the ones set here. It must print its version, judge a configuration, serve the
# demo (/health 200, CHAOS and CQM series on /metrics) and exit 0 on SIGTERM.
set -euo pipefail

binary=$(realpath "${1:?usage: sea-smoke.sh BINARY [EXPECTED_VERSION]}")
expected_version=${2:-}
CURL=/usr/bin/curl
[ -x "$CURL" ] || { echo "sea-smoke: $CURL is needed" >&2; exit 1; }

dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
cp "$binary" "$dir/aaisp-exporter"
chmod +x "$dir/aaisp-exporter"
cd "$dir"

# Runs the binary with nothing from this machine's environment but what is given.
run() { env -i PATH="$dir" "$@"; }

fail() {
  printf 'sea-smoke: %s\n' "$*" >&2
  [ -f "$dir/demo.log" ] && { echo '--- demo log:' >&2; tail -n 20 "$dir/demo.log" >&2; }
  exit 1
}

# /bin/sh by its full path: the PATH below has no sh either, and a shell that cannot start finds no node.
if run /bin/sh -c 'command -v node' >/dev/null 2>&1; then fail "node is on the smoke test's PATH"; fi
run /bin/sh -c 'exit 0' || fail 'cannot run /bin/sh with the test environment'

version=$(run ./aaisp-exporter --version)
[ -n "$version" ] || fail '--version printed nothing'
if [ -n "$expected_version" ] && [ "$version" != "$expected_version" ]; then
  fail "--version printed $version, expected $expected_version"
fi
echo "ok --version: $version"

status=0
run ./aaisp-exporter --check-config >/dev/null 2>"$dir/check.err" || status=$?
[ "$status" = 78 ] || fail "--check-config without credentials exited $status, expected 78"
grep -q 'credentials are required' "$dir/check.err" || fail "--check-config did not say what is missing"
out=$(run AAISP_EXPORTER_AUTH__CONTROL_LOGIN=smoke@a AAISP_EXPORTER_AUTH__CONTROL_PASSWORD=not-a-real-one \
  ./aaisp-exporter --check-config)
case $out in
  'configuration is valid:'*) ;;
  *) fail "--check-config with credentials printed: $out" ;;
esac
if grep -q 'not-a-real-one' <<<"$out"; then fail '--check-config printed the password'; fi
echo 'ok --check-config: 78 without credentials, 0 with'

# A free port: the kernel picks one for a socket that is closed at once.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)))
# env, not run(): env execs the binary, so $! is the exporter itself, not a subshell.
env -i PATH="$dir" AAISP_EXPORTER_SERVER__HOST=127.0.0.1 AAISP_EXPORTER_SERVER__PORT="$port" \
  ./aaisp-exporter --demo >"$dir/demo.log" 2>&1 &
pid=$!

base="http://127.0.0.1:$port"
health=000
for _ in $(seq 1 100); do
  health=$("$CURL" -s -o /dev/null -w '%{http_code}' "$base/health" || true)
  [ "$health" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || fail "the binary exited before /health answered"
  sleep 0.2
done
[ "$health" = 200 ] || fail "/health answered $health"
echo 'ok /health 200'

# The demo's CQM tier runs shortly after the CHAOS tiers: wait for both kinds of series.
metrics=
for _ in $(seq 1 100); do
  metrics=$("$CURL" -sf "$base/metrics" || true)
  grep -q '^aaisp_broadband_line_info{' <<<"$metrics" && grep -q '^aaisp_cqm_' <<<"$metrics" && break
  sleep 0.2
done
grep -q '^aaisp_broadband_line_info{' <<<"$metrics" || fail '/metrics has no aaisp_broadband_line_info'
grep -q '^aaisp_cqm_' <<<"$metrics" || fail '/metrics has no aaisp_cqm_ series'
echo "ok /metrics: $(grep -c '^aaisp_' <<<"$metrics") aaisp_ samples, $(grep -c '^aaisp_cqm_' <<<"$metrics") of them CQM"

rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo '?')
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" = 0 ] || fail "exit $status on SIGTERM, expected 0"
# Exit 0 also follows the 5 s time limit: only this line says the stop was clean.
grep -q '"msg":"stopped"' "$dir/demo.log" || fail 'no "stopped" log line: the stop was not clean'
echo "ok SIGTERM: exit 0 (RSS before it: ${rss_kb} kB)"
# E.g. "Code cache data rejected": built under other V8 flags than it runs with.
if grep -q 'Warning: ' "$dir/demo.log"; then fail 'Node printed a warning'; fi
echo "single binary smoke test passed: $(stat -c %s "$binary") bytes"
