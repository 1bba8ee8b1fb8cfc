#!/bin/sh
# Sandbox probe for .ci/systemd.sh: run by systemd as the ExecStart of aaisp-systemd-probe.service,
# a byte-for-byte copy of deploy/systemd/aaisp-exporter.service plus a drop-in that makes it a
# oneshot running this script (inside.sh `probe`). So it runs as the exporter would: same user,
# credentials and sandbox. For each directive it tries something the directive forbids (or looks
# for its trace) and prints one line: RESULT<TAB>DIRECTIVE<TAB>EVIDENCE, RESULT being `applied`,
# `NOT` (the directive had no effect) or `untestable` (nothing here can tell).
#
# What PID 1's side looks like comes in the environment (inside.sh): PROBE_PID1_DEV (st_dev of its
# /dev), _MNT, _UTS, _USERNS (its namespaces), PROBE_RO_ALREADY (mount points the
# container already mounts read-only, where a read-only mount proves nothing), PROBE_STATE_DIR (a
# directory owned by the service user: writable but for ProtectSystem=strict) and PROBE_MARKER (a
# file in PID 1's /tmp). x86-64 system call numbers below: the single binary is linux-x64 only.

out() { printf '%s\t%s\t%s\n' "$1" "$2" "$3"; }
# yes/no test → applied/NOT
verdict() { if [ "$1" = yes ]; then out applied "$2" "$3"; else out NOT "$2" "$3"; fi; }
# The mount options of mount point $1 in this process's mount table (last mount wins).
mount_opts() { awk -v m="$1" '$5 == m { o = $6 } END { print o }' /proc/self/mountinfo; }
super_opts() { awk -v m="$1" '$5 == m { for (i = 7; $i != "-"; i++); o = $(i + 3) } END { print o }' /proc/self/mountinfo; }
already_ro() { case " $PROBE_RO_ALREADY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# Runs "$@", prints its status and first line of output ("status: message").
try() {
  msg=$("$@" 2>&1)
  status=$?
  printf '%s: %s' "$status" "$(printf '%s' "$msg" | head -n 1)"
}
# Exit status of a raw system call through perl (159 = killed by SIGSYS, i.e. seccomp).
sys() { perl -e "syscall($1); exit(\$! ? 1 : 0)" 2>/dev/null; echo $?; }

user=$(id -un)
verdict "$([ "$user" = aaisp-exporter ] && echo yes)" User= "id: $(id)"

cred=${CREDENTIALS_DIRECTORY:-}/control-password
if [ -n "${CREDENTIALS_DIRECTORY:-}" ] && [ -r "$cred" ] && ! cat /etc/aaisp-exporter/control-password >/dev/null 2>&1; then
  out applied LoadCredential= "$cred readable ($(stat -c '%U %a' "$cred")), /etc/aaisp-exporter/control-password not"
else
  out NOT LoadCredential= "CREDENTIALS_DIRECTORY='${CREDENTIALS_DIRECTORY:-}': $(ls -ln "$cred" 2>&1)"
fi
case ${AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE:-} in
  "$cred") out applied Environment= "AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE=%d/control-password, MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}" ;;
  *) out NOT Environment= "AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE='${AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE:-}'" ;;
esac

status=$(grep -E '^(NoNewPrivs|CapEff|CapBnd|CapAmb|Seccomp):' /proc/self/status | tr -s '\t ' ' ' | tr '\n' ' ')
verdict "$(grep -q '^NoNewPrivs:[[:space:]]*1$' /proc/self/status && echo yes)" NoNewPrivileges= "$status"
verdict "$(grep -q '^CapBnd:[[:space:]]*0000000000000000$' /proc/self/status && echo yes)" CapabilityBoundingSet= "$status"
verdict "$(grep -q '^CapAmb:[[:space:]]*0000000000000000$' /proc/self/status && echo yes)" AmbientCapabilities= "$status"

userns=$(readlink /proc/self/ns/user)
map=$(tr -s ' ' <"/proc/self/uid_map" | sed 's/^ //' | tr '\n' ';')
verdict "$([ "$userns" != "$PROBE_PID1_USERNS" ] && [ "$(wc -l </proc/self/uid_map)" = 2 ] && echo yes)" PrivateUsers= \
  "own user namespace ($userns, PID 1: $PROBE_PID1_USERNS), uid_map: $map"

result=$(try touch "$PROBE_STATE_DIR/probe")
verdict "$(case $result in *Read-only*) echo yes ;; esac)" ProtectSystem=strict "touch in a directory the user owns: $result"

# StateDirectory=: the one place ProtectSystem=strict leaves writable, where the exporter's
# AAISP_EXPORTER_STATE__DIR points, owned by this user (mapped to itself by PrivateUsers=), 0700.
state=${STATE_DIRECTORY:-}
result=$(try touch "$state/probe")
rm -f "$state/probe"
verdict "$([ -n "$state" ] && [ "$state" = "${AAISP_EXPORTER_STATE__DIR:-}" ] && [ "$(stat -c '%U %a' "$state")" = "$user 700" ] &&
  case $result in 0:*) echo yes ;; esac)" StateDirectory= \
  "STATE_DIRECTORY=$state, AAISP_EXPORTER_STATE__DIR=${AAISP_EXPORTER_STATE__DIR:-}, $(stat -c '%U %a' "$state" 2>&1), touch in it: $result"

result=$(try ls /home)
verdict "$(case $result in *"Permission denied"*) echo yes ;; esac)" ProtectHome= "ls /home: $result"

if [ ! -e "$PROBE_MARKER" ] && touch /tmp/probe 2>/dev/null; then
  out applied PrivateTmp= "PID 1's $PROBE_MARKER is not in this /tmp, which is writable"
else
  out NOT PrivateTmp= "$(ls -l "$PROBE_MARKER" 2>&1)"
fi

dev=$(stat -c %d /dev)
verdict "$([ "$dev" != "$PROBE_PID1_DEV" ] && [ -z "$(find /dev -type b 2>/dev/null)" ] && echo yes)" PrivateDevices= \
  "own /dev (st_dev $dev, PID 1: $PROBE_PID1_DEV): $(cd /dev && echo *)"

for mount_point in /proc/sys /sys; do
  opts=$(mount_opts "$mount_point")
  if [ ! -e "$mount_point" ]; then
    out untestable ProtectKernelTunables= "$mount_point is hidden by ProcSubset=pid (see the run with ProcSubset=all)"
  elif already_ro "$mount_point"; then
    out untestable ProtectKernelTunables= "$mount_point: $opts, but the container already mounts it read-only"
  else
    verdict "$(case $opts in ro,* | ro) echo yes ;; esac)" ProtectKernelTunables= "$mount_point: $opts"
  fi
done

if [ -e /usr/lib/modules ]; then
  result=$(try ls /usr/lib/modules)
  verdict "$(case $result in *"Permission denied"*) echo yes ;; esac)" ProtectKernelModules= "ls /usr/lib/modules: $result"
else
  out untestable ProtectKernelModules= "no /usr/lib/modules in the image (init_module: exit $(sys 175), also outside @system-service)"
fi

kmsg=$(mount_opts /proc/kmsg)
if [ ! -e /proc/kmsg ]; then
  out untestable ProtectKernelLogs= "/proc/kmsg is hidden by ProcSubset=pid (see the run with ProcSubset=all)"
else
  verdict "$([ -n "$kmsg" ] && [ ! -e /dev/kmsg ] && echo yes)" ProtectKernelLogs= "/proc/kmsg over-mounted (${kmsg:-not}), no /dev/kmsg"
fi

cgroup_mounts=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) ~ /^cgroup2?$/) print $5 ":" $6 }' /proc/self/mountinfo | tr '\n' ' ')
if already_ro /sys/fs/cgroup/all; then
  out untestable ProtectControlGroups= "the container already mounts every cgroup hierarchy read-only"
else
  verdict "$([ -n "$cgroup_mounts" ] && ! printf '%s' "$cgroup_mounts" | grep -q ':rw' && echo yes)" ProtectControlGroups= \
    "cgroup mounts: $cgroup_mounts"
fi

result=$(try date -s @0)
verdict "$(case $result in 159:* | *"not permitted"*) echo yes ;; esac)" ProtectClock= \
  "date -s @0: $result (also refused without CAP_SYS_TIME)"

mnt=$(readlink /proc/self/ns/mnt)
verdict "$([ "$mnt" != "$PROBE_PID1_MNT" ] && echo yes)" PrivateMounts= "own mount namespace ($mnt, PID 1: $PROBE_PID1_MNT)"

uts=$(readlink /proc/self/ns/uts)
verdict "$([ "$uts" != "$PROBE_PID1_UTS" ] && echo yes)" ProtectHostname= "own UTS namespace ($uts, PID 1: $PROBE_PID1_UTS)"

proc_opts=$(super_opts /proc)
verdict "$(case $proc_opts in *hidepid=invisible*) [ ! -e /proc/1 ] && echo yes ;; esac)" ProtectProc=invisible \
  "/proc: $proc_opts; PID 1 $([ -e /proc/1 ] && echo visible || echo invisible); visible PIDs: $(set -- /proc/[0-9]*; echo $#)"

if [ -e /proc/meminfo ] && [ -e /proc/sys ]; then
  out NOT ProcSubset=pid "/proc/meminfo and /proc/sys are visible"
else
  others=0
  for entry in /proc/*; do case ${entry#/proc/} in *[!0-9]*) others=$((others + 1)) ;; esac; done
  out applied ProcSubset=pid "/proc holds only processes: $others other entries"
fi

netlink=$(perl -e 'socket(my $s, 16, 3, 0) and exit 0; print "$!"; exit 1')
inet=$(perl -e 'socket(my $s, 2, 1, 0) and exit 0; print "$!"; exit 1')
verdict "$([ -n "$netlink" ] && [ -z "$inet" ] && echo yes)" RestrictAddressFamilies= "AF_NETLINK: ${netlink:-allowed}; AF_INET: ${inet:-allowed}"

result=$(try unshare --user true)
verdict "$(case $result in 0:*) ;; *) echo yes ;; esac)" RestrictNamespaces= "unshare --user: $result"

out untestable RestrictRealtime= "chrt -f 1: $(try chrt -f 1 true) (refused anyway: no CAP_SYS_NICE, RLIMIT_RTPRIO 0; 159: ~@resources kills sched_setscheduler(2) first)"

touch /tmp/suid && result=$(try chmod u+s /tmp/suid)
verdict "$(case $result in 0:*) ;; *) echo yes ;; esac)" RestrictSUIDSGID= "chmod u+s on its own file: $result"

result=$(try setarch linux32 true)
verdict "$(case $result in 0:*) ;; *) echo yes ;; esac)" LockPersonality= "setarch linux32: $result"

out untestable SystemCallArchitectures=native "no non-native (i386, x32) binary in the image to try"

# mount(2) is outside @system-service; setuid(2) to one's own uid is inside it but in @privileged.
mount_status=$(sys '165, 0, 0, 0, 0, 0')
setuid_status=$(sys "105, $(id -u)")
verdict "$([ "$mount_status" = 159 ] && echo yes)" SystemCallFilter=@system-service "mount(2): exit $mount_status (159: SIGSYS)"
verdict "$([ "$setuid_status" = 159 ] && echo yes)" SystemCallFilter=~@privileged "setuid(own uid): exit $setuid_status (159: SIGSYS)"

verdict "$([ "$(umask)" = 0077 ] && echo yes)" UMask=0077 "umask $(umask)"

# RemoveIPC=: inside.sh checks after the unit stopped that this segment is gone.
ipcmk -M 4096 >/dev/null 2>&1 && echo "ipc-created	$(ipcs -m | awk -v u="$user" '$3 == u' | wc -l)"
exit 0
