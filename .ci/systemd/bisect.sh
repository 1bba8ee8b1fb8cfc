#!/usr/bin/env bash
# Which failures of deploy/systemd/aaisp-exporter.service under systemd in a container come from the
# unit, and which from the container: `bash .ci/systemd/bisect.sh BINARY` (a few minutes; not run
# by CI, which runs .ci/systemd.sh). Same containers as .ci/systemd.sh (lib.sh). Each line is one
# start of the exporter (--demo) under the unit with its "# Sandbox." block removed and the named
# directives put back (inside.sh `bisect`): ok (active, /health 200, clean stop) or FAIL with the
# exit status and systemd's message.
#
#   1. the container options one by one, with no sandbox and with the whole sandbox;
#   2. in a container with SYS_ADMIN and a shared /run, each sandbox directive alone, then the
#      groups added up, and the two directives that fail together;
#   3. in the host-like container, the directives the unit leaves out, one at a time;
#   4. what the probe says of ProtectProc= and ProcSubset= with podman's default capabilities.
set -euo pipefail

binary=$(realpath "${1:?usage: bisect.sh BINARY}")
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mapfile -t sandbox < <(sed -n '/^# Sandbox\./,/^\[Install\]/{/^[A-Z][A-Za-z]*=/p}' "$unit_file")
[ "${#sandbox[@]}" -gt 10 ] || fail "found no sandbox block in $unit_file"
# Directive lines of the unit whose name matches the regex $1.
pick() {
  local line
  for line in "${sandbox[@]}"; do [[ ${line%%=*} =~ ^($1)$ ]] && printf '%s\n' "$line"; done
  return 0
}
# shellcheck disable=SC2054 # the commas are in mount options
shared_run=(--tmpfs /run:rw,nosuid,nodev,rshared)

ensure_packages
rootfs_image

# What PID 1 has in the container: SYS_PTRACE, /run's propagation, masked /proc paths.
describe() {
  podman exec "$container" bash -c '
    caps=$(grep ^CapBnd /proc/1/status | cut -f2)
    ptrace=$(( (0x$caps >> 19) & 1 )); admin=$(( (0x$caps >> 21) & 1 ))
    masked=$(awk "\$5 ~ /^\\/proc\\/./" /proc/1/mountinfo | wc -l)
    echo "  PID 1: CAP_SYS_ADMIN $admin, CAP_SYS_PTRACE $ptrace; /run $(findmnt -no PROPAGATION /run); $masked mounts over /proc paths"'
}

config() {
  local name=$1
  shift
  echo "==> $name: podman run ${*:-(nothing added)}"
  start_container "bisect-$(tr -c 'a-z0-9\n' - <<<"${name,,}" | cut -c1-30)" "$@"
  describe
  inside install >/dev/null
}

echo '### 1. container options: no sandbox, whole sandbox'
for options in \
  'SYS_ADMIN|--cap-add SYS_ADMIN' \
  'SYS_ADMIN seccomp=unconfined|--cap-add SYS_ADMIN --security-opt seccomp=unconfined' \
  'SYS_ADMIN unmask=ALL|--cap-add SYS_ADMIN --security-opt unmask=ALL' \
  'SYS_ADMIN shared /run|--cap-add SYS_ADMIN --tmpfs /run:rw,nosuid,nodev,rshared' \
  'SYS_ADMIN SYS_PTRACE|--cap-add SYS_ADMIN --cap-add SYS_PTRACE' \
  'SYS_ADMIN SYS_PTRACE shared /run|--cap-add SYS_ADMIN --cap-add SYS_PTRACE --tmpfs /run:rw,nosuid,nodev,rshared' \
  'host-like|--cap-add SYS_ADMIN --cap-add SYS_PTRACE --tmpfs /run:rw,nosuid,nodev,rshared --security-opt unmask=ALL' \
  'privileged|--privileged' \
  'privileged shared /run|--privileged --tmpfs /run:rw,nosuid,nodev,rshared' \
  'default capabilities|' \
  'default unmask=ALL|--security-opt unmask=ALL'; do
  # shellcheck disable=SC2086 # the options are words
  config "${options%%|*}" ${options#*|}
  inside bisect 'no sandbox'
  inside bisect 'whole sandbox' "${sandbox[@]}"
  stop_container
done

echo
echo '### 2. SYS_ADMIN and a shared /run: each directive alone, then added up by group'
config 'SYS_ADMIN shared /run' --cap-add SYS_ADMIN "${shared_run[@]}"
for line in "${sandbox[@]}"; do inside bisect "$line" "$line"; done
mapfile -t g1 < <(pick 'NoNewPrivileges|CapabilityBoundingSet|AmbientCapabilities|RestrictSUIDSGID|RemoveIPC|UMask')
mapfile -t g2 < <(pick 'SystemCall.*|LockPersonality|RestrictRealtime|RestrictNamespaces|RestrictAddressFamilies')
mapfile -t g3 < <(pick 'ProtectSystem|ProtectHome|PrivateTmp|PrivateDevices|PrivateMounts|ProtectKernel.*|ProtectControlGroups|ProtectClock|ProtectHostname|ProcSubset')
mapfile -t g4 < <(pick 'PrivateUsers')
mapfile -t g5 < <(pick 'ProtectProc')
inside bisect '+ privileges' "${g1[@]}"
inside bisect '+ system calls' "${g1[@]}" "${g2[@]}"
inside bisect '+ file system (mount namespace)' "${g1[@]}" "${g2[@]}" "${g3[@]}"
inside bisect '+ PrivateUsers=' "${g1[@]}" "${g2[@]}" "${g3[@]}" "${g4[@]}"
inside bisect '+ ProtectProc= (whole sandbox)' "${g1[@]}" "${g2[@]}" "${g3[@]}" "${g4[@]}" "${g5[@]}"
inside bisect 'PrivateUsers= ProtectProc= only' "${g4[@]}" "${g5[@]}"
inside bisect 'whole sandbox but ProtectProc=' "${g1[@]}" "${g2[@]}" "${g3[@]}" "${g4[@]}"
inside bisect 'whole sandbox but PrivateUsers=' "${g1[@]}" "${g2[@]}" "${g3[@]}" "${g5[@]}"
stop_container

echo
echo '### 3. host-like: what the unit leaves out, one at a time on top of its sandbox'
config host-like --cap-add SYS_ADMIN --cap-add SYS_PTRACE "${shared_run[@]}" --security-opt unmask=ALL
for extra in 'MemoryDenyWriteExecute=yes' 'PrivateNetwork=yes' 'PrivateIPC=yes'; do
  inside bisect "+ $extra" "${sandbox[@]}" "$extra"
done
# An allow list merges with an earlier one: this one replaces the unit's.
mapfile -t no_families < <(pick '.*' | grep -v '^RestrictAddressFamilies=')
inside bisect 'RestrictAddressFamilies=AF_INET AF_INET6' "${no_families[@]}" 'RestrictAddressFamilies=AF_INET AF_INET6'
stop_container

echo
echo '### 4. ProtectProc= and ProcSubset= with the default capabilities (no CAP_SYS_ADMIN for systemd)'
for options in 'default capabilities|' 'default unmask=ALL|--security-opt unmask=ALL'; do
  # shellcheck disable=SC2086
  config "${options%%|*}" ${options#*|}
  inside probe report | grep -E 'ProtectProc|ProcSubset|PrivateUsers' || true
  stop_container
done
