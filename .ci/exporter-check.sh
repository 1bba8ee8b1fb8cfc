# The exporter command's contract as an operator meets it, whichever way it was installed: sourced
# by .ci/sea-smoke.sh (the single binary) and .ci/consumer/run.sh (the npm package's bin), so both
# check the same things. Bash, sourced; the caller defines `fail MESSAGE` (which exits).
#
#   exporter_check WORKDIR EXPECTED_VERSION SEARCH_PATH COMMAND...
#
# Runs COMMAND (with `env -i PATH=SEARCH_PATH`: nothing else from this machine's environment) for
# --version, --help, --check-config (78 without credentials, 0 with, no password echoed), an unknown flag
# (2), `record --demo`, and `--demo` on a port the kernel picks: /health 200, CHAOS and CQM series
# on /metrics, SIGTERM → exit 0 with a "stopped" log line. Leaves WORKDIR/demo.log and
# WORKDIR/metrics.txt for the caller's own checks. EXPORTER_PID is the demo's process while it
# runs, for the caller's cleanup trap.

EXPORTER_PID=

# Runs "$@" with the status in EXPORTER_STATUS and the output (stdout and stderr) in EXPORTER_OUT,
# without tripping `set -e`.
_exporter_capture() {
  EXPORTER_STATUS=0
  EXPORTER_OUT=$("$@" 2>&1) || EXPORTER_STATUS=$?
}

exporter_check() {
  local dir=$1 expected_version=$2 search_path=$3
  shift 3
  local run=(env -i PATH="$search_path")
  local password=not-a-real-password

  _exporter_capture "${run[@]}" "$@" --version
  [ "$EXPORTER_STATUS" = 0 ] || fail "--version exited $EXPORTER_STATUS: $EXPORTER_OUT"
  # The Go exporters' shape: name and version, then the Node version and the platform.
  [ "$(head -n 1 <<<"$EXPORTER_OUT")" = "aaisp-exporter, version $expected_version (@aaisp/exporter)" ] ||
    fail "--version printed '$EXPORTER_OUT', expected version $expected_version first"
  grep '^  node version: v' <<<"$EXPORTER_OUT" >/dev/null && grep '^  platform: ' <<<"$EXPORTER_OUT" >/dev/null ||
    fail "--version did not print the Node version and platform: $EXPORTER_OUT"
  echo "  ok --version: $(tr '\n' ' ' <<<"$EXPORTER_OUT")"

  _exporter_capture "${run[@]}" "$@" --help
  [ "$EXPORTER_STATUS" = 0 ] || fail "--help exited $EXPORTER_STATUS: $EXPORTER_OUT"
  grep '^  --web.listen-address=' <<<"$EXPORTER_OUT" >/dev/null &&
    grep '^  AAISP_EXPORTER_INTERVALS__FAST' <<<"$EXPORTER_OUT" >/dev/null ||
    fail "--help does not list the flags and variables: $EXPORTER_OUT"
  echo '  ok --help lists the flags and the variables'

  _exporter_capture "${run[@]}" "$@" --check-config
  [ "$EXPORTER_STATUS" = 78 ] || fail "--check-config without credentials exited $EXPORTER_STATUS, expected 78: $EXPORTER_OUT"
  grep -q 'credentials are required' <<<"$EXPORTER_OUT" || fail "--check-config did not say what is missing: $EXPORTER_OUT"
  _exporter_capture "${run[@]}" AAISP_EXPORTER_AUTH__CONTROL_LOGIN=check@a \
    AAISP_EXPORTER_AUTH__CONTROL_PASSWORD="$password" "$@" --check-config
  [ "$EXPORTER_STATUS" = 0 ] || fail "--check-config with credentials exited $EXPORTER_STATUS: $EXPORTER_OUT"
  grep -q '^configuration is valid' <<<"$EXPORTER_OUT" || fail "--check-config with credentials printed: $EXPORTER_OUT"
  if grep -q "$password" <<<"$EXPORTER_OUT"; then fail '--check-config printed the password'; fi
  echo '  ok --check-config: 78 without credentials, 0 with, no password shown'

  _exporter_capture "${run[@]}" "$@" --no-such-option
  [ "$EXPORTER_STATUS" = 2 ] || fail "--no-such-option exited $EXPORTER_STATUS, expected 2: $EXPORTER_OUT"
  [ "$EXPORTER_OUT" = 'aaisp-exporter: unknown flag --no-such-option; see aaisp-exporter --help' ] ||
    fail "--no-such-option printed: $EXPORTER_OUT"
  _exporter_capture "${run[@]}" "$@" --web.listen-adress=:9099
  [ "$EXPORTER_STATUS" = 2 ] && grep 'did you mean --web.listen-address?' <<<"$EXPORTER_OUT" >/dev/null ||
    fail "a mistyped flag exited $EXPORTER_STATUS: $EXPORTER_OUT"
  echo '  ok an unknown flag: one line naming the nearest, exit 2'

  # `record --demo` (README: recording for a bug report) writes one file per command.
  _exporter_capture "${run[@]}" "$@" record --out "$dir/record" --demo
  [ "$EXPORTER_STATUS" = 0 ] || fail "record --demo exited $EXPORTER_STATUS: $EXPORTER_OUT"
  [ -f "$dir/record/demo/broadband-info.json" ] && [ -f "$dir/record/demo/cqm-32001.csv" ] ||
    fail "record --demo wrote no broadband-info.json / cqm-32001.csv: $(ls -R "$dir/record")"
  echo "  ok record --demo: $EXPORTER_OUT"

  # Port 0: the kernel picks a free one and the exporter logs its URL (logfmt, the default:
  # `msg="exporter listening" … url=http://127.0.0.1:PORT`).
  # env execs the command, so $! is the exporter itself.
  "${run[@]}" AAISP_EXPORTER_SERVER__HOST=127.0.0.1 AAISP_EXPORTER_SERVER__PORT=0 \
    "$@" --demo >"$dir/demo.log" 2>&1 &
  EXPORTER_PID=$!
  local base= health=000 metrics= status=0 rss_kb
  for _ in $(seq 1 150); do
    kill -0 "$EXPORTER_PID" 2>/dev/null || fail "--demo exited before it answered: $(tail -n 20 "$dir/demo.log")"
    base=${base:-$(sed -n '/ msg="exporter listening" /s/.* url=\(http:[^ ]*\).*/\1/p' "$dir/demo.log" | head -n 1)}
    if [ -n "$base" ]; then
      health=$(/usr/bin/curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/health" || true)
      [ "$health" = 200 ] && break
    fi
    sleep 0.2
  done
  [ "$health" = 200 ] || fail "/health answered ${health} at '${base}': $(tail -n 20 "$dir/demo.log")"
  echo "  ok --demo at $base: /health 200"

  # The demo's CQM tier runs a few seconds after the CHAOS tiers: wait for both kinds of series.
  for _ in $(seq 1 150); do
    metrics=$(/usr/bin/curl -sf --max-time 5 "$base/metrics" || true)
    grep -q '^aaisp_broadband_line_info{' <<<"$metrics" && grep -q '^aaisp_cqm_' <<<"$metrics" && break
    sleep 0.2
  done
  printf '%s\n' "$metrics" >"$dir/metrics.txt"
  grep -q '^aaisp_broadband_line_info{' "$dir/metrics.txt" || fail '/metrics has no aaisp_broadband_line_info'
  grep -q '^aaisp_cqm_' "$dir/metrics.txt" || fail '/metrics has no aaisp_cqm_ series'
  echo "  ok /metrics: $(grep -c '^aaisp_' "$dir/metrics.txt") aaisp_ samples, $(grep -c '^aaisp_cqm_' "$dir/metrics.txt") of them CQM"

  rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$EXPORTER_PID/status" 2>/dev/null || echo '?')
  kill -TERM "$EXPORTER_PID"
  wait "$EXPORTER_PID" || status=$?
  EXPORTER_PID=
  [ "$status" = 0 ] || fail "exit $status on SIGTERM, expected 0: $(tail -n 20 "$dir/demo.log")"
  # Exit 0 also follows the 5 s time limit: only this line says the stop was clean.
  grep -qE ' msg=stopped( |$)' "$dir/demo.log" || fail "no \"stopped\" log line: the stop was not clean"
  echo "  ok SIGTERM: exit 0, stopped cleanly (RSS before it: ${rss_kb} kB)"
}
