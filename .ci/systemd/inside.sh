#!/bin/bash
# The container side of .ci/systemd.sh, run as root with `podman exec CONTAINER bash
# /mnt/ci/inside.sh COMMAND` in a container whose PID 1 is systemd. /mnt/aaisp-exporter holds the
# single binary and the unit file (read-only), /mnt/ci this directory.
#
#   install              deploy/README.md's systemd steps, plus demo-safe settings
#   exporter shipped     start the shipped unit unchanged: /health 200, /ready 503 (no CHAOS)
#   exporter demo        the same with the drop-in ci-demo.conf (ExecStart … --demo): real series
#   reload               `systemctl reload` (SIGHUP, --demo): same process, the web-config file
#                        re-read; a bad one refused (still active), fixed and reloaded again
#   state                StateDirectory=: state.json 0600 in /var/lib/aaisp-exporter (0700), both
#                        the service user's, read again after `systemctl restart`
#   bad-config           a bad setting: exit 78, failed, not restarted
#   probe strict|report [LINE...]  the sandbox probe (probe.sh) under the unit's settings, plus
#                        LINEs in its drop-in; strict: every directive of the unit (but those the
#                        LINEs change) must show its effect
#   security THRESHOLD   systemd-analyze security, failing above THRESHOLD (its 0-100 scale)
#   bisect NAME DIRECTIVE...  the unit without its sandbox, plus DIRECTIVE lines: does it start?
set -euo pipefail
# A log checked through a pipe is read with `grep … >/dev/null`, never `grep -q`: -q stops at the
# first match, the writer then dies of SIGPIPE, and pipefail fails a check that matched.

cursor=
unit=aaisp-exporter.service
dropins=/etc/systemd/system/$unit.d
password=not-a-real-password-systemd-ci
base=http://127.0.0.1:9099
state_dir=/var/lib/aaisp-exporter
# A file the unit's exporter reads itself (the credential is a copy made at start, so a reload
# would not see it change): the web-config file, named in /etc/default/aaisp-exporter by `reload`.
web_config=/etc/aaisp-exporter/web-config.yml

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  journalctl -u "$unit" -u aaisp-systemd-probe.service --no-pager -n 30 -o short-precise >&2 || true
  exit 1
}
# The journal from the last `mark` on (of the unit, or all with `journal_since_mark ''`).
mark() { cursor=$(journalctl --show-cursor -n 1 -q -o cat 2>/dev/null | sed -n 's/^-- cursor: //p'); }
journal_since_mark() {
  local units=()
  [ -n "${1-$unit}" ] && units=(-u "${1-$unit}")
  journalctl --no-pager -o cat ${cursor:+--after-cursor="$cursor"} "${units[@]}"
}
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base$1" || true; }
show() { systemctl show -p "$1" --value "${2:-$unit}"; }

# Waits until the unit's /health answers 200, or it has failed. 30 s at most.
wait_health() {
  local code=000
  for _ in $(seq 1 150); do
    code=$(http_code /health)
    [ "$code" = 200 ] && return 0
    case $(show ActiveState) in failed | inactive) break ;; esac
    sleep 0.2
  done
  return 1
}

# The first journal line since the mark that holds STRING, waiting up to 10 s for it.
wait_journal() {
  local line=''
  for _ in $(seq 1 50); do
    line=$(journal_since_mark | grep -F -- "$1" | head -n 1 || true)
    [ -n "$line" ] && break
    sleep 0.2
  done
  printf '%s' "$line"
}

# ExecStart … --demo (the built-in fake CHAOS, with CQM lines) in a drop-in.
demo_dropin() {
  rm -rf "$dropins"
  mkdir -p "$dropins"
  printf '[Service]\nExecStart=\nExecStart=/usr/local/bin/aaisp-exporter --demo\n' >"$dropins/ci-demo.conf"
  systemctl daemon-reload
}

# systemctl stop; the unit must end inactive (not failed) with the exporter's own exit 0.
stop_clean() {
  systemctl stop "$unit"
  local state result status
  state=$(show ActiveState) result=$(show Result) status=$(show ExecMainStatus)
  if [ "$state" != inactive ] || [ "$result" != success ] || [ "$status" != 0 ]; then
    fail "after systemctl stop: ActiveState=$state Result=$result ExecMainStatus=$status"
  fi
  journal_since_mark | grep -E ' msg=stopped( |$)' >/dev/null || fail 'no "stopped" log line'
  echo "  ok systemctl stop: ActiveState=$state Result=$result ExecMainStatus=$status"
}

cmd_install() {
  # deploy/README.md, "systemd", as root.
  install -m 0755 /mnt/aaisp-exporter/aaisp-exporter /usr/local/bin/aaisp-exporter
  id aaisp-exporter >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin aaisp-exporter
  local tmp
  tmp=$(mktemp)
  printf '%s' "$password" >"$tmp"
  install -D -m 0600 "$tmp" /etc/aaisp-exporter/control-password
  rm -f "$tmp"
  # Demo-safe: loopback only, and CHAOS at localhost:39098 where nothing listens (the container has
  # no network either), so the shipped ExecStart never talks to A&A with this fake login. A name,
  # not an address: the exporter resolves it (glibc, /etc/hosts) and connects from inside the
  # sandbox, as it would to chaos2.aa.net.uk. (Not port 9: fetch refuses it before trying.)
  cat >/etc/default/aaisp-exporter <<'EOF'
AAISP_EXPORTER_AUTH__CONTROL_LOGIN=systemd-ci@a
AAISP_EXPORTER_SERVER__HOST=127.0.0.1
AAISP_EXPORTER_API__BASE_URL=http://localhost:39098
EOF
  install -m 0644 /mnt/aaisp-exporter/aaisp-exporter.service /etc/systemd/system/
  cmp -s /mnt/aaisp-exporter/aaisp-exporter.service /etc/systemd/system/$unit
  systemctl daemon-reload
  echo "  ok installed as deploy/README.md says (user $(id aaisp-exporter), password 0600 root)"
}

cmd_exporter() {
  local mode=$1 started
  if [ "$mode" = demo ]; then
    demo_dropin
  else
    rm -rf "$dropins"
    systemctl daemon-reload
  fi
  mark
  started=$(date +%s%N)
  systemctl start "$unit"
  wait_health || fail "$mode: /health never answered 200 (ActiveState=$(show ActiveState), ExecMainStatus=$(show ExecMainStatus))"
  echo "  ok $mode: active, /health 200 after $((($(date +%s%N) - started) / 1000000)) ms ($(show ExecStart | sed 's/.*argv\[\]=\([^;]*\);.*/\1/'))"
  if [ "$mode" = demo ]; then
    local metrics=
    for _ in $(seq 1 150); do
      metrics=$(curl -sf --max-time 5 "$base/metrics" || true)
      grep -q '^aaisp_broadband_line_info{' <<<"$metrics" && grep -q '^aaisp_cqm_' <<<"$metrics" && break
      sleep 0.2
    done
    if ! grep -q '^aaisp_broadband_line_info{' <<<"$metrics" || ! grep -q '^aaisp_cqm_' <<<"$metrics"; then
      fail 'demo: /metrics has no aaisp_broadband_line_info or aaisp_cqm_ series'
    fi
    echo "  ok demo: /metrics has CHAOS and CQM series ($(grep -c '^aaisp_' <<<"$metrics") aaisp_ samples)"
  else
    # The password was read from the credential (else exit 78); CHAOS's name resolved and the
    # connection refused, from inside the sandbox; so never ready.
    local refused='' ready
    for _ in $(seq 1 150); do
      # One logfmt line per failure: `err.kind=network err.message="… no answer from CHAOS (ECONNREFUSED)"`.
      refused=$(journal_since_mark | grep -o 'err.kind=network err.message="[^"]*(ECONNREFUSED)"' | head -n 1 || true)
      [ -n "$refused" ] && break
      sleep 0.2
    done
    [ -n "$refused" ] || fail 'shipped: no network error with ECONNREFUSED from the collectors in 30 s'
    ready=$(http_code /ready)
    [ "$ready" = 503 ] || fail "shipped: /ready answered $ready, expected 503 (CHAOS unreachable)"
    echo "  ok shipped: CHAOS at localhost:39098 resolved and refused ($refused), /ready 503"
  fi
  if journal_since_mark '' | grep -F "$password" >/dev/null; then fail 'the password is in the journal'; fi
  stop_clean
}

# The web-config file with this X-Frame-Options (deny and sameorigin are good, anything else is
# refused), replaced in one rename as an editor or a config manager would.
write_web_config() {
  printf 'http_server_config:\n  headers:\n    X-Frame-Options: %s\n' "$1" >"$web_config.new"
  chmod 0644 "$web_config.new"
  mv "$web_config.new" "$web_config"
}
frame_options() {
  curl -s -D - -o /dev/null --max-time 5 "$base/health" | tr -d '\r' |
    awk -F': ' 'tolower($1) == "x-frame-options" { print $2 }'
}
reload_successful() {
  curl -sf --max-time 5 "$base/metrics" | awk '$1 == "aaisp_exporter_config_last_reload_successful" { print $2 }'
}

# reload_once OUTCOME FRAME_OPTIONS: `systemctl reload`, then the journal's line for OUTCOME
# (reloaded or refused, with trigger SIGHUP), the same MainPID still active, and the web-config
# in force (X-Frame-Options on /health, the reload gauge) as that outcome leaves it.
reload_once() {
  local outcome=$1 frame=$2 message gauge line state main
  case $outcome in
    reloaded) message=' msg="configuration reloaded" ' gauge=1 ;;
    refused) message=' msg="configuration reload refused' gauge=0 ;;
  esac
  mark
  systemctl reload "$unit" || fail "systemctl reload exited $? (ActiveState=$(show ActiveState))"
  line=$(wait_journal "$message")
  [ -n "$line" ] || fail "no $message line in the journal 10 s after systemctl reload"
  grep -qF ' trigger=SIGHUP' <<<"$line" || fail "the $outcome line has no trigger=SIGHUP: $line"
  state=$(show ActiveState) main=$(show MainPID)
  if [ "$state" != active ] || [ "$main" != "$reload_pid" ]; then
    fail "after systemctl reload ($outcome): ActiveState=$state MainPID=$main, expected active and $reload_pid"
  fi
  [ "$(http_code /health)" = 200 ] || fail "after systemctl reload ($outcome): /health answered $(http_code /health)"
  [ "$(frame_options)" = "$frame" ] || fail "after systemctl reload ($outcome): X-Frame-Options '$(frame_options)', expected '$frame'"
  [ "$(reload_successful)" = "$gauge" ] ||
    fail "after systemctl reload ($outcome): aaisp_exporter_config_last_reload_successful $(reload_successful), expected $gauge"
  case $outcome in
    reloaded) echo "  ok systemctl reload: active, same MainPID $main, journal: configuration reloaded (trigger SIGHUP), X-Frame-Options $frame" ;;
    refused) echo "  ok systemctl reload of a bad web-config: active, same MainPID $main, journal: configuration reload refused (trigger SIGHUP, problem: $(sed -n 's/.* problems\.0\.variable=\("[^"]*"\|[^ ]*\) problems\.0\.message=\("[^"]*"\|[^ ]*\).*/\1 \2/p' <<<"$line")), X-Frame-Options still $frame, aaisp_exporter_config_last_reload_successful 0" ;;
  esac
}

cmd_reload() {
  write_web_config deny
  cp /etc/default/aaisp-exporter /etc/default/aaisp-exporter.ci-saved
  echo "AAISP_EXPORTER_WEB__CONFIG_FILE=$web_config" >>/etc/default/aaisp-exporter
  demo_dropin
  mark
  systemctl start "$unit"
  wait_health || fail "reload: /health never answered 200 (ActiveState=$(show ActiveState), ExecMainStatus=$(show ExecMainStatus))"
  [ "$(frame_options)" = deny ] || fail "reload: X-Frame-Options '$(frame_options)' at start, expected deny (from $web_config)"
  reload_pid=$(show MainPID)
  echo "  ok started with $web_config (X-Frame-Options deny), MainPID $reload_pid"
  write_web_config sameorigin
  reload_once reloaded sameorigin
  write_web_config allow
  reload_once refused sameorigin
  write_web_config deny
  reload_once reloaded deny
  [ "$(show NRestarts)" = 0 ] || fail "reload: NRestarts=$(show NRestarts)"
  mark
  stop_clean
  mv /etc/default/aaisp-exporter.ci-saved /etc/default/aaisp-exporter
  rm -f "$web_config"
  rm -rf "$dropins"
  systemctl daemon-reload
}

# The owner and mode of a path, as `stat` prints them: "aaisp-exporter:aaisp-exporter 600".
owner_mode() { stat -c '%U:%G %a' "$1"; }
# json_string KEY FILE: the first string value of KEY in the JSON FILE (fails when there is none).
json_string() { grep -oE "\"$1\": *\"[^\"]*\"" "$2" | head -n 1 | sed 's/.*: *"\(.*\)"$/\1/' | grep .; }

cmd_state() {
  local file=$state_dir/state.json salt after pid saved_at
  demo_dropin
  # From nothing: StateDirectory= makes the directory at start.
  rm -rf "$state_dir"
  mark
  systemctl start "$unit"
  wait_health || fail "state: /health never answered 200 (ActiveState=$(show ActiveState), ExecMainStatus=$(show ExecMainStatus))"
  # The demo's CQM lines change the state at their first fetch, which writes the file.
  for _ in $(seq 1 150); do
    [ -s "$file" ] && break
    sleep 0.2
  done
  [ -s "$file" ] || fail "state: no $file 30 s after the start ($(find "$state_dir" -printf '%p %u %m; ' 2>&1))"
  [ "$(owner_mode "$state_dir")" = 'aaisp-exporter:aaisp-exporter 700' ] ||
    fail "state: $state_dir is $(owner_mode "$state_dir"), expected aaisp-exporter:aaisp-exporter 700"
  [ "$(owner_mode "$file")" = 'aaisp-exporter:aaisp-exporter 600' ] ||
    fail "state: $file is $(owner_mode "$file"), expected aaisp-exporter:aaisp-exporter 600"
  journal_since_mark | grep -F ' msg="no saved state yet' >/dev/null || fail 'state: no "no saved state yet" line at the first start'
  if grep -qF "$password" "$file"; then fail "state: the password is in $file"; fi
  salt=$(json_string salt "$file") || fail "state: no salt in $file"
  echo "  ok $file written: $(owner_mode "$file") in $state_dir ($(owner_mode "$state_dir")), $(stat -c %s "$file") bytes"
  pid=$(show MainPID)
  mark
  systemctl restart "$unit"
  wait_health || fail "state: /health never answered 200 after systemctl restart"
  [ "$(show MainPID)" != "$pid" ] || fail "state: systemctl restart kept MainPID $pid"
  journal_since_mark | grep -F ' msg="saved state loaded" ' >/dev/null ||
    fail "state: no \"saved state loaded\" after systemctl restart: $(journal_since_mark | grep -F ' component=state' | head -n 2)"
  # The same file read back, not a new one made: its random salt is the one saved before.
  after=$(json_string salt "$file") || fail "state: no salt in $file after the restart"
  [ "$after" = "$salt" ] || fail "state: $file has a new salt after the restart ($salt, then $after)"
  [ "$(owner_mode "$file")" = 'aaisp-exporter:aaisp-exporter 600' ] ||
    fail "state: $file is $(owner_mode "$file") after the restart"
  saved_at=$(json_string savedAt "$file")
  echo "  ok systemctl restart (MainPID $pid → $(show MainPID)): journal: saved state loaded, the same $file (same salt, $(owner_mode "$file"), savedAt $saved_at)"
  mark
  stop_clean
  [ -s "$file" ] || fail "state: $file gone after systemctl stop"
  rm -rf "$dropins"
  systemctl daemon-reload
}

cmd_bad_config() {
  rm -rf "$dropins"
  mkdir -p "$dropins"
  printf '[Service]\nEnvironment=AAISP_EXPORTER_SERVER__PORT=not-a-port\n' >"$dropins/ci-bad.conf"
  systemctl daemon-reload
  systemctl start "$unit" || true
  local state=
  for _ in $(seq 1 50); do
    state=$(show ActiveState)
    [ "$state" = activating ] || [ "$state" = active ] || break
    sleep 0.1
  done
  local sub status restarts
  sub=$(show SubState) status=$(show ExecMainStatus) restarts=$(show NRestarts)
  if [ "$state" != failed ] || [ "$sub" != failed ] || [ "$status" != 78 ] || [ "$restarts" != 0 ]; then
    fail "bad configuration: ActiveState=$state SubState=$sub ExecMainStatus=$status NRestarts=$restarts"
  fi
  echo "  ok bad configuration: exit 78, ActiveState=failed, no restart (RestartPreventExitStatus=78)"
  systemctl reset-failed "$unit"
  rm -rf "$dropins"
  systemctl daemon-reload
}

cmd_probe() {
  local mode=$1 probe=aaisp-systemd-probe.service ro='' extra
  shift
  local extras=("$@")
  # The probe unit: the shipped unit byte for byte, plus a drop-in that runs probe.sh once.
  install -m 0644 /mnt/aaisp-exporter/aaisp-exporter.service /etc/systemd/system/$probe
  install -d -o aaisp-exporter -g aaisp-exporter -m 0700 /var/lib/aaisp-systemd-probe
  echo marker >/tmp/aaisp-systemd-probe-marker
  for mount_point in /proc/sys /sys; do
    if awk -v m="$mount_point" '$5 == m { o = $6 } END { exit !(o ~ /^ro(,|$)/) }' /proc/1/mountinfo; then ro+=" $mount_point"; fi
  done
  if ! awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) ~ /^cgroup2?$/ && $6 !~ /^ro(,|$)/) rw = 1 } END { exit !rw }' /proc/1/mountinfo; then
    ro+=" /sys/fs/cgroup/all"
  fi
  mkdir -p "/etc/systemd/system/$probe.d"
  cat >"/etc/systemd/system/$probe.d/ci-probe.conf" <<EOF
[Service]
Type=oneshot
ExecStart=
ExecStart=/bin/sh /mnt/ci/probe.sh
Restart=no
StandardOutput=truncate:/run/aaisp-systemd-probe.txt
StandardError=journal
Environment=PROBE_PID1_DEV=$(stat -c %d /dev) PROBE_PID1_USERNS=$(readlink /proc/1/ns/user) PROBE_PID1_UTS=$(readlink /proc/1/ns/uts) PROBE_PID1_MNT=$(readlink /proc/1/ns/mnt)
Environment="PROBE_RO_ALREADY=${ro# }" PROBE_STATE_DIR=/var/lib/aaisp-systemd-probe PROBE_MARKER=/tmp/aaisp-systemd-probe-marker
EOF
  for extra in "${extras[@]}"; do echo "$extra" >>"/etc/systemd/system/$probe.d/ci-probe.conf"; done
  systemctl daemon-reload
  systemctl start "$probe" || fail "the probe unit failed: $(show ExecMainStatus "$probe")"
  local out=/run/aaisp-systemd-probe.txt failed=0 line result directive evidence key
  grep -q 'ProtectSystem' "$out" || fail "the probe printed nothing: $(cat "$out")"
  while IFS=$'\t' read -r result directive evidence; do
    [ "$result" = ipc-created ] && continue
    key=${directive%%=*}
    # A directive the unit does not set, or the extra lines change, is shown, never required.
    if [ "$result" = NOT ] && [ "$mode" = strict ] && grep -q "^$key=" "/etc/systemd/system/$unit" &&
      ! printf '%s\n' "${extras[@]}" | grep -q "^$key="; then failed=1; fi
    printf '  %-10s %-34s %s\n' "$result" "$directive" "$evidence"
  done <"$out"
  # RemoveIPC=yes: the SysV segment the probe made is gone once its unit stopped.
  if grep -q '^ipc-created' "$out"; then
    local left
    left=$(ipcs -m | awk '$3 == "aaisp-exporter"' | wc -l)
    if [ "$left" = 0 ]; then
      printf '  %-10s %-34s %s\n' applied RemoveIPC= "the probe's SysV shared memory segment was removed when it stopped"
    else
      printf '  %-10s %-34s %s\n' NOT RemoveIPC= "$left SysV segment(s) of aaisp-exporter left"
      [ "$mode" = strict ] && failed=1
    fi
  fi
  rm -rf "/etc/systemd/system/$probe" "/etc/systemd/system/$probe.d" /var/lib/aaisp-systemd-probe /tmp/aaisp-systemd-probe-marker
  systemctl daemon-reload
  [ "$failed" = 0 ] || fail 'a directive of the unit had no effect (NOT above)'
}

cmd_security() {
  local threshold=$1 out status=0
  rm -rf "$dropins"
  systemctl daemon-reload
  out=$(systemd-analyze security --no-pager --threshold="$threshold" "$unit" 2>&1) || status=$?
  # The directives it counts against the unit, and the score.
  grep -E '^✗' <<<"$out" | sed 's/^/  /'
  grep -E 'Overall exposure level' <<<"$out" | sed 's/^→ /  /'
  [ "$status" = 0 ] || fail "systemd-analyze security: exposure above $threshold (of 100), exit $status"
}

# The unit without its sandbox (every line of its "# Sandbox." block), plus the given lines: does
# the exporter start (with --demo), answer /health and stop cleanly? One line of result.
cmd_bisect() {
  local name=$1 line first
  shift
  rm -rf "$dropins"
  mkdir -p "$dropins"
  sed '/^# Sandbox\./,/^\[Install\]/{/^[A-Z]/d}' /mnt/aaisp-exporter/aaisp-exporter.service >/etc/systemd/system/$unit
  {
    echo '[Service]'
    echo 'ExecStart='
    echo 'ExecStart=/usr/local/bin/aaisp-exporter --demo'
    echo 'Restart=no'
    for line in "$@"; do echo "$line"; done
  } >"$dropins/ci-bisect.conf"
  systemctl daemon-reload
  systemctl reset-failed "$unit" 2>/dev/null || true
  mark
  systemctl start "$unit" || true
  if wait_health; then
    systemctl stop "$unit"
    printf '  %-5s %-34s %s\n' ok "$name" "started, /health 200, stopped with ExecMainStatus=$(show ExecMainStatus)"
  else
    first=$(journal_since_mark | grep -vE '^(Started|Stopped|Starting) ' |
      grep -E 'Failed|cannot|EACCES|error|status=' | head -n 2 | tr '\n' ' ' | cut -c1-230 || true)
    printf '  %-5s %-34s %s\n' FAIL "$name" "$(show ExecMainCode)/$(show ExecMainStatus): $first"
    systemctl stop "$unit" 2>/dev/null || true
  fi
  systemctl reset-failed "$unit" 2>/dev/null || true
  rm -rf "$dropins"
  install -m 0644 /mnt/aaisp-exporter/aaisp-exporter.service /etc/systemd/system/
  systemctl daemon-reload
}

command=${1:?usage: inside.sh install|exporter|reload|state|bad-config|probe|security|bisect ...}
shift
case $command in
  install) cmd_install ;;
  exporter) cmd_exporter "$@" ;;
  reload) cmd_reload ;;
  state) cmd_state ;;
  bad-config) cmd_bad_config ;;
  probe) cmd_probe "$@" ;;
  security) cmd_security "$@" ;;
  bisect) cmd_bisect "$@" ;;
  *) fail "unknown command $command" ;;
esac
