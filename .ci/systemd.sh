#!/usr/bin/env bash
# The shipped systemd unit (deploy/systemd/aaisp-exporter.service) run for real, under systemd as
# PID 1 in a podman container: `bash .ci/systemd.sh BINARY`, BINARY being the single binary
# (apps/exporter/dist-sea/aaisp-exporter). Needs root or sudo, and Debian's podman, runc and
# mmdebstrap (installed if missing). The Debian root file system is built once (about a minute)
# and cached as a podman image; later runs take about 45 s.
#
# Installed as deploy/README.md says (`useradd --system …`, the password as the LoadCredential=
# file /etc/aaisp-exporter/control-password, mode 0600 root, settings in /etc/default/aaisp-exporter),
# then, in each of two containers:
#   - the unit file unchanged, with CHAOS pointed at 127.0.0.1:9 (nothing there): starts, /health
#     200, /ready 503, `systemctl stop` leaves it inactive with the exporter's exit 0;
#   - with one drop-in, `ExecStart=… --demo` (the built-in fake CHAOS): CHAOS and CQM series;
#   - `systemctl reload` (ExecReload=, SIGHUP): the same process re-reads the web-config file
#     named in /etc/default/aaisp-exporter and logs `configuration reloaded` (trigger SIGHUP); a
#     bad one is refused (`configuration reload refused`) and the unit stays active; fixed, it
#     reloads again;
#   - StateDirectory=: /var/lib/aaisp-exporter/state.json, 0600 in a 0700 directory, both the
#     service user's, written by the demo's CQM lines and read back after `systemctl restart`;
#   - a bad setting: exit 78, failed, not restarted;
#   - a probe (.ci/systemd/probe.sh) run under a copy of the unit: does each directive take effect?
# The containers: podman's default capabilities (the unit must start; systemd quietly skips part
# of the sandbox there, the probe shows which), then host-like: CAP_SYS_ADMIN and CAP_SYS_PTRACE
# (PID 1 has both on a host), /run a shared mount (systemd makes every mount shared on a host but
# not in a container), and /proc unmasked (a host masks nothing). There every directive must take
# effect, and `systemd-analyze security` must stay at or below max_exposure.
# .ci/systemd/bisect.sh shows what each of those container options is for.
set -euo pipefail

binary=$(realpath "${1:?usage: systemd.sh BINARY (the single binary, apps/exporter/dist-sea/aaisp-exporter)}")
[ -x "$binary" ] || { echo "systemd: $binary is not an executable" >&2; exit 1; }
# shellcheck source-path=SCRIPTDIR source=systemd/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/systemd/lib.sh"

# systemd-analyze security's exposure, times 10 (its --threshold scale): fails if the unit gets worse.
max_exposure=11
# The host-like container (see above and .ci/systemd/bisect.sh).
# shellcheck disable=SC2054 # the commas are in mount options
host_like=(--cap-add SYS_ADMIN --cap-add SYS_PTRACE --tmpfs /run:rw,nosuid,nodev,rshared --security-opt unmask=ALL)

started=$(now)
ensure_packages
t=$(now)
rootfs_image
image_seconds=$(($(now) - t))

# run_config LABEL NAME PROBE_MODE [PODMAN OPTION...]
run_config() {
  local label=$1 name=$2 probe_mode=$3 t
  shift 3
  t=$(now)
  echo "==> $label"
  start_container "$name" "$@"
  systemd_version=$(podman exec "$container" dpkg-query -W -f='${Version}' systemd)
  inside install
  inside exporter shipped
  inside exporter demo
  inside reload
  inside state
  inside bad-config
  echo "  sandbox probe ($probe_mode):"
  inside probe "$probe_mode" | tee "$work_dir/probe-$name.txt"
  # ProcSubset=pid hides /proc/sys and /proc/kmsg, which these two protect: seen without it.
  echo '  the same with ProcSubset=all, for what ProcSubset=pid hides:'
  inside probe "$probe_mode" ProcSubset=all | grep -E 'ProtectKernel(Tunables|Logs)' | tee -a "$work_dir/probe-$name.txt"
  if [ "$probe_mode" = strict ]; then
    echo '  systemd-analyze security aaisp-exporter.service:'
    inside security "$max_exposure" | tee "$work_dir/security.txt"
  fi
  stop_container
  seconds[$name]=$(($(now) - t))
}

declare -A seconds
run_config 'default capabilities (podman run --systemd=always, nothing added)' default report
run_config "host-like: ${host_like[*]}" host-like strict "${host_like[@]}"

# Directives by result over the probe's lines (a directive may have several): NOT if any line
# says so, else applied if one does, else untestable.
count() {
  awk -v r="$1" '$1 ~ /^(applied|NOT|untestable)$/ {
      rank = $1 == "NOT" ? 3 : $1 == "applied" ? 2 : 1
      if (rank > worst[$2]) worst[$2] = rank
    }
    END { want = r == "NOT" ? 3 : r == "applied" ? 2 : 1; for (d in worst) if (worst[d] == want) n++; print n + 0 }' \
    "$work_dir/probe-$2.txt"
}
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: //p' "$work_dir/security.txt")
echo
echo '==> systemd unit summary'
echo "  systemd $systemd_version (Debian bookworm), podman $(podman version --format '{{.Client.Version}}'), runc"
echo "  rootfs image $image: $([ "$image_built" = true ] && echo "built in ${image_seconds} s" || echo cached)"
echo "  default capabilities: started, served, reloaded, kept its state, stopped cleanly in ${seconds[default]} s; sandbox" \
  "directives: $(count applied default) applied, $(count NOT default) not applied, $(count untestable default) untestable"
echo "  host-like (SYS_ADMIN): started, served, reloaded, kept its state, stopped cleanly in ${seconds[host-like]} s; sandbox" \
  "directives: $(count applied host-like) applied, $(count NOT host-like) not applied, $(count untestable host-like) untestable"
echo "  exposure: $exposure (at most $((max_exposure / 10)).$((max_exposure % 10)) allowed)"
echo "  total: $(($(now) - started)) s"
