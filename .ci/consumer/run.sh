#!/usr/bin/env bash
# Consumer test: install the four @aaisp packages from the tarballs `pnpm pack` makes, into fresh
# npm projects outside the workspace, on each supported Node, and use them as a stranger would:
# ESM and CommonJS imports, the exporter's bin, and TypeScript under nodenext and bundler
# resolution. A second project installs only the SDK and the collectors, without prom-client (an
# optional peer, needed only by @aaisp/collectors/prom-client): the collectors' root entry must
# load, map, render and type-check there, and the subpath must fail on prom-client alone.
# Nothing here may see the workspace: no symlinks into it, no `@aaisp/source` condition, no src/
# TypeScript.
#
# Run from the repository root after `npx -y pnpm@12.21.0 build`:
#   bash .ci/consumer/run.sh
# CONSUMER_NODE_VERSIONS (default "22.12.0 24.11.0") picks the Node versions; each is installed
# from the `node` npm package and cached under ${TMPDIR:-/tmp}/aaisp-consumer-node-cache.
# CONSUMER_KEEP=1 keeps the temp dir (tarballs, projects, logs) for a look afterwards.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

node_versions=${CONSUMER_NODE_VERSIONS:-22.12.0 24.11.0}
node_cache="${TMPDIR:-/tmp}/aaisp-consumer-node-cache"
packages=(@aaisp/chaos-client @aaisp/chaos-mock @aaisp/collectors @aaisp/exporter)
started=$(date +%s.%N)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nconsumer test FAILED: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../exporter-check.sh
source "$here/../exporter-check.sh"
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# A stranger's shell has none of our settings: no extra Node conditions, no exporter variables,
# no INIT_CWD pointing the exporter's .env lookup back at the repository (set when run by pnpm).
unset NODE_OPTIONS INIT_CWD
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^AAISP_EXPORTER_' || true)
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

for dist in packages/chaos-client/dist/index.js packages/chaos-mock/dist/index.js \
  packages/collectors/dist/index.js apps/exporter/dist/main.js; do
  [ -f "$dist" ] || fail "$dist is missing: run \`npx -y pnpm@12.21.0 build\` at the repository root first"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/aaisp-consumer.XXXXXX")
cleanup() {
  if [ -n "$EXPORTER_PID" ] && kill -0 "$EXPORTER_PID" 2>/dev/null; then kill -KILL "$EXPORTER_PID" 2>/dev/null || true; fi
  if [ -n "${CONSUMER_KEEP:-}" ]; then echo "kept $work (CONSUMER_KEEP is set)"; else rm -rf "$work"; fi
}
trap cleanup EXIT
case "$work" in "$root"/*) fail "the temp dir $work is inside the workspace" ;; esac

# --- 1. pack ----------------------------------------------------------------------------------
step "pnpm pack the four packages into $work/tarballs"
mkdir -p "$work/tarballs"
for pkg in "${packages[@]}"; do
  npx -y pnpm@12.21.0 --filter "$pkg" pack --pack-destination "$work/tarballs" >"$work/pack.log" 2>&1 ||
    { cat "$work/pack.log"; fail "pnpm pack of $pkg failed"; }
done
declare -A tarball
for pkg in "${packages[@]}"; do
  base=${pkg#@}; base=${base/\//-}
  matches=("$work/tarballs/$base"-[0-9]*.tgz)
  [ "${#matches[@]}" = 1 ] && [ -f "${matches[0]}" ] || fail "no single tarball for $pkg in $work/tarballs"
  tarball[$pkg]=${matches[0]}
  manifest=$(tar -xzOf "${matches[0]}" package/package.json)
  # pnpm pack must have turned every workspace: range into a real version.
  if grep -q '"workspace:' <<<"$manifest"; then fail "$(basename "${matches[0]}") still has workspace: ranges"; fi
  if tar -tzf "${matches[0]}" | grep -q '^package/src/'; then fail "$(basename "${matches[0]}") ships src/"; fi
  echo "  $(basename "${matches[0]}")  $(du -k "${matches[0]}" | cut -f1) kB"
done
exporter_version=$(tar -xzOf "${tarball[@aaisp/exporter]}" package/package.json |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).version))')

# --- 2. per Node version --------------------------------------------------------------------
# The `node` npm package ships the binary at <prefix>/node_modules/node/bin/node (a hard link to
# its platform package's). It is installed into a temp name and moved, so an interrupted or
# concurrent run never leaves a half-installed cache entry.
install_node() {
  local version=$1 prefix="$node_cache/node-$1" tmp
  local bin="$prefix/node_modules/node/bin/node"
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "v$version" ]; then return 0; fi
  mkdir -p "$node_cache"
  tmp=$(mktemp -d "$node_cache/.node-$version.XXXXXX")
  # allowScripts: the package's preinstall fetches the platform binary; approve it for npm 11.
  printf '{"private":true,"allowScripts":{"node":true}}\n' >"$tmp/package.json"
  npm install --prefix "$tmp" --no-save --loglevel=error "node@$version" >"$tmp.log" 2>&1 ||
    { cat "$tmp.log"; rm -rf "$tmp" "$tmp.log"; fail "npm install node@$version failed"; }
  rm -f "$tmp.log"
  [ "$("$tmp/node_modules/node/bin/node" --version)" = "v$version" ] || fail "node@$version did not install a v$version binary"
  rm -rf "$prefix" && mv "$tmp" "$prefix"
}


declare -A install_time
declare -A ts_install_time
base_path=$PATH
for version in $node_versions; do
  step "Node $version"
  install_node "$version"
  export PATH="$node_cache/node-$version/node_modules/node/bin:$base_path"
  [ "$(node --version)" = "v$version" ] || fail "node on PATH is $(node --version), not v$version"
  echo "  node $(command -v node) ($(node --version)), npm $(npm --version)"

  project="$work/project-$version"
  mkdir -p "$project"
  cp "$here"/consumer.mjs "$here"/consumer.cjs "$here"/consumer.ts "$here"/consumer-cjs.cts \
    "$here"/tsconfig.nodenext.json "$here"/tsconfig.bundler.json "$project/"
  # One install of all four tarballs. The exporter's and the collectors' dependencies on
  # @aaisp/chaos-client etc. (^0.0.0 after pnpm pack) are not on the registry; the root's file:
  # tarballs satisfy those ranges, so plain npm uses them and needs no `overrides` (the
  # package-lock check below fails if any @aaisp package came from anywhere else). prom-client is
  # a peer dependency of @aaisp/collectors, so the consumer adds it, as its README says.
  TARBALL_CLIENT=${tarball[@aaisp/chaos-client]} TARBALL_MOCK=${tarball[@aaisp/chaos-mock]} \
    TARBALL_COLLECTORS=${tarball[@aaisp/collectors]} TARBALL_EXPORTER=${tarball[@aaisp/exporter]} \
    node -e '
      const e = process.env;
      const deps = {
        "@aaisp/chaos-client": `file:${e.TARBALL_CLIENT}`,
        "@aaisp/chaos-mock": `file:${e.TARBALL_MOCK}`,
        "@aaisp/collectors": `file:${e.TARBALL_COLLECTORS}`,
        "@aaisp/exporter": `file:${e.TARBALL_EXPORTER}`,
      };
      const pkg = {
        name: "aaisp-consumer-test",
        version: "1.0.0",
        type: "module",
        private: true,
        dependencies: { ...deps, "prom-client": "^15.1.3" },
      };
      require("node:fs").writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
    ' "$project/package.json"

  install_started=$(date +%s.%N)
  (cd "$project" && npm install --no-audit --no-fund >"$project/install.log" 2>&1) ||
    { cat "$project/install.log"; fail "npm install of the tarballs failed on Node $version"; }
  install_time[$version]=$(seconds_since "$install_started")
  echo "install time node $version: ${install_time[$version]} s"
  grep -iE 'warn|EBADENGINE' "$project/install.log" | sed 's/^/  npm: /' || true
  # A dependency whose engines leave out this Node would make our engines claim untrue.
  if grep -q EBADENGINE "$project/install.log"; then fail "npm found a package that does not support Node $version"; fi

  cd "$project"
  for pkg in "${packages[@]}"; do
    dir="node_modules/$pkg"
    [ -d "$dir" ] && [ ! -L "$dir" ] || fail "$dir is not a real directory (a symlink or missing)"
    [ ! -e "$dir/src" ] || fail "$dir has a src/ directory"
    resolved=$(node -e 'const l = require("./package-lock.json"); console.log(l.packages[process.argv[1]]?.resolved ?? "")' "$dir")
    case "$resolved" in file:*.tgz) ;; *) fail "$dir was not installed from its tarball (resolved: '$resolved')" ;; esac
  done
  # Exactly one copy of each @aaisp package and of prom-client: the collectors' adapter must get
  # the consumer's prom-client, and the exporter the consumer's SDK.
  for name in @aaisp/chaos-client @aaisp/chaos-mock @aaisp/collectors @aaisp/exporter prom-client; do
    copies=$(find ./node_modules -path "*/node_modules/$name/package.json" | wc -l)
    [ "$copies" = 1 ] || fail "$copies copies of $name in node_modules"
  done
  if find ./node_modules -lname "$root/*" | grep -q .; then fail "node_modules links into the workspace"; fi
  echo "  node_modules/@aaisp/*: real directories from the tarballs, one copy each, no src/"

  step "Node $version: consumer.mjs (ESM: mock server, SDK, collectors, prom-client)"
  node consumer.mjs

  step "Node $version: consumer.cjs (CommonJS require of the ESM-only packages)"
  node consumer.cjs

  step "Node $version: the aaisp-exporter bin"
  bin=node_modules/.bin/aaisp-exporter
  [ -e "$bin" ] || fail "$bin is missing"
  # PATH as a stranger's shell after installing this Node: it and the system's programs, nothing
  # of ours (the bin finds node through its #!/usr/bin/env node line).
  exporter_check "$project" "$exporter_version" "$node_cache/node-$version/node_modules/node/bin:/usr/bin:/bin" "$bin"
  # Demo data is the mock's default line set: the same values as its fixture.
  grep -qx 'aaisp_broadband_sync_download_bits_per_second{line_id="32001"} 1000000000' "$project/metrics.txt" ||
    fail "/metrics lacks aaisp_broadband_sync_download_bits_per_second{line_id=\"32001\"} 1000000000"
  grep -qx 'aaisp_cqm_loss_ratio{line_id="32002"} 0.2' "$project/metrics.txt" ||
    fail "/metrics lacks aaisp_cqm_loss_ratio{line_id=\"32002\"} 0.2"
  grep -qE "^aaisp_exporter_build_info\{.*node_version=\"v$version\".*\} 1$" "$project/metrics.txt" ||
    fail "aaisp_exporter_build_info does not say node_version v$version: $(grep '^aaisp_exporter_build_info' "$project/metrics.txt")"
  echo "  ok /metrics values as the mock's fixture; build_info says v$version"

  step "Node $version: TypeScript consumers (tsc --noEmit, nodenext and bundler)"
  node_major=${version%%.*}
  ts_started=$(date +%s.%N)
  npm install --no-audit --no-fund --save-dev "typescript@~6.0.3" "@types/node@$node_major" >"$project/install-ts.log" 2>&1 ||
    { cat "$project/install-ts.log"; fail "npm install typescript @types/node failed"; }
  ts_install_time[$version]=$(seconds_since "$ts_started")
  echo "  typescript $(node -p 'require("typescript/package.json").version'), @types/node $(node -p 'require("@types/node/package.json").version') (installed in ${ts_install_time[$version]} s)"
  for config in tsconfig.nodenext.json tsconfig.bundler.json; do
    node node_modules/typescript/bin/tsc -p "$config" || fail "tsc -p $config failed on Node $version"
    echo "  tsc -p $config: ok"
  done

  step "Node $version: @aaisp/collectors without prom-client (a project that does not install it)"
  bare="$work/project-$version-no-prom-client"
  mkdir -p "$bare"
  cp "$here"/consumer-no-prom-client.* "$here"/tsconfig.nodenext.json "$here"/tsconfig.bundler.json \
    "$here"/tsconfig.no-prom-client.*.json "$bare/"
  # Only the SDK's and the collectors' tarballs, and what type-checking needs: npm must not add
  # prom-client, since it is an optional peer (peerDependenciesMeta).
  TARBALL_CLIENT=${tarball[@aaisp/chaos-client]} TARBALL_COLLECTORS=${tarball[@aaisp/collectors]} \
    NODE_MAJOR=${version%%.*} node -e '
      const e = process.env;
      const pkg = {
        name: "aaisp-consumer-no-prom-client",
        version: "1.0.0",
        type: "module",
        private: true,
        dependencies: {
          "@aaisp/chaos-client": `file:${e.TARBALL_CLIENT}`,
          "@aaisp/collectors": `file:${e.TARBALL_COLLECTORS}`,
        },
        devDependencies: { typescript: "~6.0.3", "@types/node": e.NODE_MAJOR },
      };
      require("node:fs").writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
    ' "$bare/package.json"
  cd "$bare"
  npm install --no-audit --no-fund >"$bare/install.log" 2>&1 ||
    { cat "$bare/install.log"; fail "npm install without prom-client failed on Node $version"; }
  grep -iE 'warn|EBADENGINE' "$bare/install.log" | sed 's/^/  npm: /' || true
  if grep -q EBADENGINE "$bare/install.log"; then fail "npm found a package that does not support Node $version"; fi
  if find ./node_modules -path '*/node_modules/prom-client' | grep -q .; then
    fail "npm installed prom-client, an optional peer of @aaisp/collectors, though nothing asked for it"
  fi
  if find ./node_modules -lname "$root/*" | grep -q .; then fail "node_modules links into the workspace"; fi
  for dir in node_modules/@aaisp/chaos-client node_modules/@aaisp/collectors; do
    resolved=$(node -e 'const l = require("./package-lock.json"); console.log(l.packages[process.argv[1]]?.resolved ?? "")' "$dir")
    case "$resolved" in file:*.tgz) ;; *) fail "$dir was not installed from its tarball (resolved: '$resolved')" ;; esac
  done
  echo "  node_modules: @aaisp/chaos-client and @aaisp/collectors from the tarballs, no prom-client"
  node consumer-no-prom-client.mjs
  node consumer-no-prom-client.cjs
  for config in tsconfig.no-prom-client.nodenext.json tsconfig.no-prom-client.bundler.json; do
    node node_modules/typescript/bin/tsc -p "$config" || fail "tsc -p $config failed on Node $version"
    echo "  tsc -p $config: ok"
  done

  cd "$root"
done

step "summary"
for version in $node_versions; do
  echo "install time node $version: ${install_time[$version]} s (typescript + @types/node: ${ts_install_time[$version]} s)"
done
echo "total time: $(seconds_since "$started") s"
echo "consumer test passed"
