# shellcheck shell=bash
# Shared by the .ci scripts that need more of this machine than Node (sourced, bash): Debian
# packages, QEMU user emulation through binfmt_misc, and the Debian mirror apt uses here.

CI_SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

# Installs the named Debian packages; with none, does nothing (callers pass what they miss).
apt_install() {
  [ "$#" -gt 0 ] || return 0
  printf '==> install %s (Debian)\n' "$*"
  $CI_SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $CI_SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Whether binfmt_misc runs `qemu-NAME` binaries (NAME: aarch64, x86_64) through QEMU.
binfmt_enabled() { [ "$(head -n 1 "/proc/sys/fs/binfmt_misc/qemu-$1" 2>/dev/null)" = enabled ]; }

# Mounts binfmt_misc and enables QEMU for NAME there if they are not (Debian's binfmt-support
# registers qemu-user-static in fix-binary mode, so it works in chroots and containers too).
# Status 1 where this machine does not allow it.
binfmt_enable() {
  local dir=/proc/sys/fs/binfmt_misc
  [ -e "$dir/register" ] || $CI_SUDO mount -t binfmt_misc binfmt_misc "$dir" 2>/dev/null || true
  binfmt_enabled "$1" || $CI_SUDO update-binfmts --enable "qemu-$1" >/dev/null 2>&1 || true
  binfmt_enabled "$1"
}

# The first Debian mirror this machine's apt sources give for SUITE (bookworm,
# bookworm-security), in one-line or deb822 format; nothing when none names it.
debian_mirror() {
  local suite=$1 file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    awk -v s="$suite" '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
      if ($(i + 1) == s) { print $i; exit } }' "$file"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk -v s="$suite" 'BEGIN { RS = "" } {
      uri = ""; deb = 0; has = 0; off = 0
      n = split($0, line, "\n")
      for (j = 1; j <= n; j++) {
        if (line[j] ~ /^URIs:/) { split(line[j], w, " "); uri = w[2] }
        if (line[j] ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
        if (line[j] ~ /^Enabled:[ \t]*no/) off = 1
        if (line[j] ~ /^Suites:/) { m = split(line[j], w, " "); for (k = 2; k <= m; k++) if (w[k] == s) has = 1 }
      }
      if (deb && has && !off && uri != "") { print uri; exit }
    }' "$file"
  done | head -n 1
}
