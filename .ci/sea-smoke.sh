#!/usr/bin/env bash
# Smoke test of the exporter's single binary, as an operator would run it on a machine without
# Node: `bash .ci/sea-smoke.sh BINARY EXPECTED_VERSION [TARGET]`. Run by .ci/run and, before a
# binary is attached to a release, by .github/scripts/sea-release.sh and the release workflow.
#
# TARGET (linux-x64 or linux-arm64; default: this machine's) is the platform the binary must be
# built for: its ELF header is checked first. A linux-arm64 binary on an x86_64 machine runs under
# qemu-user, which this script sets up itself: Debian's qemu-user-static and binfmt-support, and
# the arm64 C and C++ runtimes Node links to (the -arm64-cross packages, under
# /usr/aarch64-linux-gnu, given to qemu as QEMU_LD_PREFIX), installed with apt-get if missing;
# then binfmt_misc mounted and qemu-aarch64 enabled there if they are not, so `./aaisp-exporter`
# runs as on an arm64 machine. Where binfmt_misc cannot be set up (or with
# SEA_SMOKE_QEMU=direct), the binary runs as `qemu-aarch64-static ./aaisp-exporter` instead.
#
# The binary runs from a copy in an empty directory whose PATH is that directory alone (so no
# `node` can be found, which is checked), with no other variable from this machine (but
# QEMU_LD_PREFIX under emulation). It must pass the exporter command's checks
# (.ci/exporter-check.sh: version, configuration, record, the demo served and stopped) and print
# no Node warning.
set -euo pipefail

usage='usage: sea-smoke.sh BINARY EXPECTED_VERSION [linux-x64|linux-arm64]'
binary=$(realpath "${1:?$usage}")
expected_version=${2:?$usage}
case "$(uname -m)" in
  x86_64) host=linux-x64 ;;
  aarch64) host=linux-arm64 ;;
  *) host=linux-$(uname -m) ;;
esac
target=${3:-$host}
[ -x /usr/bin/curl ] || { echo 'sea-smoke: /usr/bin/curl is needed' >&2; exit 1; }
# shellcheck source=exporter-check.sh
source "$(dirname "${BASH_SOURCE[0]}")/exporter-check.sh"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
started=$(date +%s.%N)

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

# The ELF header: 64-bit (byte 4 = 2), little-endian (byte 5 = 1), e_machine (bytes 18-19).
case "$target" in
  linux-x64) machine='3e 00' machine_name=x86-64 ;;
  linux-arm64) machine='b7 00' machine_name=aarch64 ;;
  *) fail "no single binary for $target; $usage" ;;
esac
read -r -a header <<<"$(od -An -tx1 -N20 "$binary" | tr '\n' ' ')"
[ "${header[*]:0:6}" = '7f 45 4c 46 02 01' ] || fail "$binary is not a 64-bit little-endian ELF file"
[ "${header[*]:18:2}" = "$machine" ] || fail "$binary is for ELF machine ${header[*]:18:2}, not $machine_name ($target)"
echo "  ok ELF 64-bit LSB executable, $machine_name ($target)"

# Anything else but the binary goes before it on the command line: env reads NAME=VALUE words.
run_binary=(./aaisp-exporter)
if [ "$target" != "$host" ]; then
  [ "$target/$host" = linux-arm64/linux-x64 ] || fail "cannot run a $target binary on $host"
  sysroot=/usr/aarch64-linux-gnu
  missing=()
  [ -x /usr/bin/qemu-aarch64-static ] || missing+=(qemu-user-static)
  command -v update-binfmts >/dev/null 2>&1 || missing+=(binfmt-support)
  [ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || missing+=(libc6-arm64-cross)
  [ -e "$sysroot/lib/libstdc++.so.6" ] || missing+=(libstdc++6-arm64-cross)
  [ -e "$sysroot/lib/libgcc_s.so.1" ] || missing+=(libgcc-s1-arm64-cross)
  apt_install "${missing[@]}"
  if [ "${SEA_SMOKE_QEMU:-}" != direct ] && binfmt_enable aarch64; then
    how="binfmt_misc: $(sed -n 's/^interpreter //p' /proc/sys/fs/binfmt_misc/qemu-aarch64)"
  else
    how="qemu-aarch64-static directly: $([ "${SEA_SMOKE_QEMU:-}" = direct ] && echo SEA_SMOKE_QEMU=direct || echo 'binfmt_misc not set up')"
    run_binary=(/usr/bin/qemu-aarch64-static "${run_binary[@]}")
  fi
  run_binary=("QEMU_LD_PREFIX=$sysroot" "${run_binary[@]}")
  echo "  emulated: $(/usr/bin/qemu-aarch64-static --version | head -n 1) ($how)"
fi

cp "$binary" "$dir/aaisp-exporter"
chmod +x "$dir/aaisp-exporter"
cd "$dir"

# /bin/sh by its full path: the PATH below has no sh either, and a shell that cannot start finds no node.
env -i PATH="$dir" /bin/sh -c 'exit 0' || fail 'cannot run /bin/sh with the test environment'
if env -i PATH="$dir" /bin/sh -c 'command -v node' >/dev/null 2>&1; then fail "node is on the smoke test's PATH"; fi

exporter_check "$dir" "$expected_version" "$dir" "${run_binary[@]}"
# E.g. "Code cache data rejected": built under other V8 flags, or on another platform, than it runs on.
if grep -q 'Warning: ' "$dir/demo.log"; then fail "Node printed a warning: $(grep 'Warning: ' "$dir/demo.log")"; fi
echo "single binary smoke test passed ($target$([ "$target" = "$host" ] || echo ", emulated on $host")): $(stat -c %s "$binary") bytes, $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
