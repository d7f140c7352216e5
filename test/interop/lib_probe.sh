# shellcheck shell=bash
# porter_bgp_probe, the program under test, for porter's interop tests.
# Sourced by lib.sh (not by the tests themselves); uses its WORK, start_bg,
# stop_pid, pid_alive, poll_until and fail.

# ------------------------------------------------------------ the probe ----
# porter_bgp_probe reads commands on stdin (a FIFO we keep open read-write,
# so it never sees EOF early) and prints one event per line on stdout
# ($WORK/probe.out).

PROBE_PID=""
PROBE_FD=""
PROBE_NAME=probe # the current probe's files: $WORK/$PROBE_NAME.{in,out,err}

# probe_start [--name NAME] <netns> <binary> <args...>: one probe at a time;
# a test that runs several in turn names them (default "probe") and stops
# the previous one first (probe_stop).
probe_start() {
  local name=probe
  if [ "$1" = --name ]; then
    name=$2
    shift 2
  fi
  local ns=$1 bin=$2
  shift 2
  PROBE_NAME=$name
  mkfifo "$WORK/$name.in"
  exec {PROBE_FD}<>"$WORK/$name.in"
  start_bg "$name" --stdin "$WORK/$name.in" ip netns exec "$ns" "$bin" "$@"
  PROBE_PID=$LAST_PID
}

# probe_stop: `quit`, then TERM/KILL if it is still running 5 s later.
probe_stop() {
  [ -n "$PROBE_PID" ] || return 0
  if pid_alive "$PROBE_PID"; then
    printf 'quit\n' >&"$PROBE_FD"
    poll_until 5 pid_dead "$PROBE_PID" ||
      log "WARNING: $PROBE_NAME still running 5 s after quit"
  fi
  stop_pid "$PROBE_PID"
  exec {PROBE_FD}>&-
  PROBE_PID=""
}

# probe_send <command line>
probe_send() {
  pid_alive "$PROBE_PID" || fail "porter_bgp_probe exited before '$*'"
  printf '%s\n' "$*" >&"$PROBE_FD"
  log "probe <- $*"
}

# probe_mark: the number of event lines so far (for probe_saw_since).
probe_mark() { wc -l <"$WORK/$PROBE_NAME.out"; }

# probe_first_since <mark> <ERE>: the first event line after the mark that
# matches (empty if none). One process, no pipe: grep -q/-m1 behind a pipe
# can SIGPIPE the writer and, under pipefail, turn a match into a failure.
probe_first_since() {
  awk -v from="$1" -v re="$2" 'NR > from && $0 ~ re { print; exit }' \
    "$WORK/$PROBE_NAME.out"
}

# probe_saw_since <mark> <ERE>: some event line after the mark matches.
probe_saw_since() { [ -n "$(probe_first_since "$1" "$2")" ]; }

# probe_wait <timeout_s> <mark> <ERE> <what>: fails the test if the probe dies
# or no matching line appears in time.
probe_wait() {
  local t=$1 mark=$2 re=$3 what=$4
  probe_poll "$t" "$mark" "$re" ||
    fail "probe did not print /$re/ ($what) within $t s"
  pid_alive "$PROBE_PID" || probe_saw_since "$mark" "$re" ||
    fail "porter_bgp_probe exited (waiting for $what)"
}

# probe_poll <timeout_s> <mark> <ERE>: like probe_wait, but only returns the
# status (0 matched or the probe died, 1 deadline).
probe_poll() { poll_until "$1" probe_saw_or_died "$2" "$3"; }

probe_saw_or_died() { probe_saw_since "$1" "$2" || ! pid_alive "$PROBE_PID"; }

# probe_quiet_until <deadline_us> <mark> <ERE>: waits until the (absolute)
# deadline; returns 1 as soon as a matching event line appears after the mark.
# For "never": e.g. no "established" in the whole observation window.
probe_quiet_until() {
  while [ "$(now_us)" -lt "$1" ]; do
    if probe_saw_since "$2" "$3"; then return 1; fi
    sleep 0.05
  done
  ! probe_saw_since "$2" "$3"
}

# probe_stderr_has <ERE>: the probe's log (stderr) has a matching line.
probe_stderr_has() { grep -Eq -- "$1" "$WORK/$PROBE_NAME.err"; }
