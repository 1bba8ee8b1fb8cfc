#!/usr/bin/env bash
# Smoke test of the exporter's single binary, as an operator would run it on a machine without
# Node: `bash .ci/sea-smoke.sh BINARY EXPECTED_VERSION`. Run by .ci/run and, before a binary is
# attached to a release, by .github/scripts/sea-release.sh.
#
# The binary runs from a copy in an empty directory whose PATH is that directory alone (so no
# `node` can be found, which is checked), with no other variable from this machine. It must pass
# the exporter command's checks (.ci/exporter-check.sh: version, configuration, record, the demo
# served and stopped) and print no Node warning.
set -euo pipefail

binary=$(realpath "${1:?usage: sea-smoke.sh BINARY EXPECTED_VERSION}")
expected_version=${2:?usage: sea-smoke.sh BINARY EXPECTED_VERSION}
[ -x /usr/bin/curl ] || { echo 'sea-smoke: /usr/bin/curl is needed' >&2; exit 1; }
# shellcheck source=exporter-check.sh
source "$(dirname "${BASH_SOURCE[0]}")/exporter-check.sh"

dir=$(mktemp -d)
cleanup() {
  if [ -n "$EXPORTER_PID" ] && kill -0 "$EXPORTER_PID" 2>/dev/null; then kill -KILL "$EXPORTER_PID" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  printf 'sea-smoke: %s\n' "$*" >&2
  exit 1
}
cp "$binary" "$dir/aaisp-exporter"
chmod +x "$dir/aaisp-exporter"
cd "$dir"

# /bin/sh by its full path: the PATH below has no sh either, and a shell that cannot start finds no node.
env -i PATH="$dir" /bin/sh -c 'exit 0' || fail 'cannot run /bin/sh with the test environment'
if env -i PATH="$dir" /bin/sh -c 'command -v node' >/dev/null 2>&1; then fail "node is on the smoke test's PATH"; fi

exporter_check "$dir" "$expected_version" "$dir" ./aaisp-exporter
# E.g. "Code cache data rejected": built under other V8 flags than it runs with.
if grep -q 'Warning: ' "$dir/demo.log"; then fail "Node printed a warning: $(grep 'Warning: ' "$dir/demo.log")"; fi
echo "single binary smoke test passed: $(stat -c %s "$binary") bytes"
