# shellcheck shell=bash disable=SC2034,SC2154 # variables shared with the scripts that source it
# Shared by .ci/systemd.sh and .ci/systemd/bisect.sh (bash, sourced after `set -euo pipefail`):
# the Debian packages, the cached rootfs image, and containers whose PID 1 is systemd, removed again
# by the EXIT trap. The caller sets `binary` (the single binary, an absolute path) first.
#
# The container: a Debian bookworm minbase root file system (mmdebstrap) with systemd, dbus, curl
# and procps (/bin/kill, which the unit's ExecReload= runs: every Debian host has it, minbase
# not), imported once as localhost/aaisp-systemd-rootfs:bookworm-HASH (HASH of what makes it, so a
# change rebuilds it and a second run reuses it). Podman, rootful, with runc (crun cannot run
# systemd here), no network but loopback, and the ulimits below (podman's default nofile/nproc
# limits are too high for this machine's runc).

ci_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$ci_dir/../.." && pwd)
# shellcheck source=../lib.sh
source "$ci_dir/../lib.sh"
unit_file=$repo_dir/deploy/systemd/aaisp-exporter.service
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
# A podman store of its own (AAISP_SYSTEMD_STORE; empty: podman's default store): the cached image
# survives a `podman system prune/reset` of the default store, and nothing here can touch images or
# containers of anyone else. `podman --root /var/lib/aaisp-systemd-ci/storage images` shows it.
store=${AAISP_SYSTEMD_STORE-/var/lib/aaisp-systemd-ci}
podman() {
  local cmd=()
  [ -z "$SUDO" ] || cmd+=(sudo)
  cmd+=("$(type -P podman)")
  [ -z "$store" ] || cmd+=(--root "$store/storage" --runroot /run/aaisp-systemd-ci)
  "${cmd[@]}" "$@"
}
containers=()
work_dir=$(mktemp -d)

systemd_ci_cleanup() {
  local status=$?
  if [ "${#containers[@]}" -gt 0 ]; then podman rm -f -t 0 "${containers[@]}" >/dev/null 2>&1 || true; fi
  $SUDO rm -rf "$work_dir"
  return "$status"
}
trap systemd_ci_cleanup EXIT

fail() {
  printf 'systemd: %s\n' "$*" >&2
  exit 1
}

now() { date +%s; }

ensure_packages() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing+=(runc)
  command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
  # To check Debian's signatures on a machine that is not Debian (Ubuntu, say).
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
  apt_install "${missing[@]}"
}

# The apt source for the rootfs: AAISP_SYSTEMD_MIRROR (a mirror URL or a .list/.sources file) if
# set, else the Debian mirror apt uses here for bookworm, else deb.debian.org.
rootfs_sources() {
  if [ -n "${AAISP_SYSTEMD_MIRROR:-}" ]; then
    printf '%s\n' "$AAISP_SYSTEMD_MIRROR"
    return
  fi
  local mirror
  mirror=$(debian_mirror bookworm)
  printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}

# Sets `image`, building it when no image of that name exists. `image_built` says which.
rootfs_image() {
  local include=systemd,systemd-sysv,dbus,curl,procps sources=() key
  mapfile -t sources < <(rootfs_sources)
  key=$({
    echo "minbase $include bookworm $(mmdebstrap --version 2>/dev/null)"
    for source in "${sources[@]}"; do
      if [ -f "$source" ]; then grep -v '^#' "$source"; else echo "$source"; fi
    done
  } | sha256sum | cut -c1-12)
  image=localhost/aaisp-systemd-rootfs:bookworm-$key
  image_built=false
  if podman image exists "$image"; then return; fi
  echo "==> build the rootfs image $image (mmdebstrap, once: later runs reuse it)"
  $SUDO mmdebstrap --quiet --variant=minbase --include="$include" bookworm "$work_dir/rootfs.tar" "${sources[@]}"
  podman import --quiet --change 'CMD ["/sbin/init"]' \
    --change 'LABEL org.opencontainers.image.description=aaisp-exporter systemd CI (.ci/systemd.sh)' \
    "$work_dir/rootfs.tar" "$image" >/dev/null
  $SUDO rm -f "$work_dir/rootfs.tar"
  image_built=true
}

# start_container NAME [PODMAN OPTION...]: a container with systemd as PID 1, the single binary,
# the unit file and this directory mounted read-only under /mnt. Sets `container`.
start_container() {
  local name=aaisp-systemd-$$-$1 state
  shift
  podman run -d --name "$name" --runtime runc --systemd=always \
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network none \
    -v "$binary:/mnt/aaisp-exporter/aaisp-exporter:ro" \
    -v "$unit_file:/mnt/aaisp-exporter/aaisp-exporter.service:ro" \
    -v "$ci_dir:/mnt/ci:ro" \
    "$@" "$image" >/dev/null
  containers+=("$name")
  container=$name
  # Until PID 1 answers (its socket appears some time after `podman run`), then until it is up.
  for _ in $(seq 1 120); do
    state=$(podman exec "$name" timeout 60 systemctl is-system-running --wait 2>/dev/null) || true
    case $state in running | degraded | stopping) break ;; esac
    sleep 0.5
  done
  case $state in
    running) ;;
    degraded) echo "  (systemd is degraded: $(podman exec "$name" systemctl --failed --plain --no-legend | cut -d' ' -f1 | tr '\n' ' '))" ;;
    *) fail "systemd in $name did not start (is-system-running: '$state'): $(podman logs "$name" 2>&1 | tail -n 20)" ;;
  esac
}

inside() { podman exec "$container" bash /mnt/ci/inside.sh "$@"; }

stop_container() {
  podman rm -f -t 0 "$container" >/dev/null
  local kept=() name
  for name in "${containers[@]}"; do [ "$name" = "$container" ] || kept+=("$name"); done
  containers=("${kept[@]}")
}
