# shellcheck shell=bash
# Shared helpers for porter's interop tests: real BIRD 2 / FRR / GoBGP daemons
# in throwaway network namespaces. Sourced by the test scripts, which must run
# under `set -euo pipefail` and call `interop_init <name>` first.
#
# Everything a test creates is registered here and removed by the EXIT trap,
# also when the test fails: processes (by PID), network namespaces, scratch
# directories. Addresses exist only inside the namespaces.
#
# Env: KEEP_WORK=1 keeps the scratch directory (logs, configs) for a look.
#
# If ctest's TIMEOUT kills a test (SIGKILL), no trap runs: look for leftover
# namespaces with `ip netns list` (names pi*-<b|f|g>-<role>-<suffix>, e.g.
# pi-b-sw-*, pim-f-spk-*, pig-b-rt-*) and FRR pathspaces
# /var/run/frr/pi-frr-*.

readonly PYTHON=/usr/bin/python3 # has the same stdlib everywhere; no pyenv
INTEROP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly INTEROP_LIB_DIR

INTEROP_NAME=interop
WORK=""
declare -a INTEROP_PIDS=() INTEROP_NETNS=() INTEROP_DIRS=()
declare -A INTEROP_PID_NAME=()

log() { printf '%s: %s\n' "$INTEROP_NAME" "$*" >&2; }

# Hook the test may redefine: print the peer's view of the world for `fail`.
dump_view() { :; }

# fail <message...>: prints the message, the peer's view and the tails of all
# logs, then exits 1 (the EXIT trap cleans up).
fail() {
  set +e
  trap - ERR
  log "FAILED: $*"
  if [ ${#INTEROP_NETNS[@]} -gt 0 ]; then
    echo "----- peer view at failure -----" >&2
    dump_view >&2 2>&1
  fi
  if [ -n "$WORK" ]; then
    local f
    for f in "$WORK"/*.out "$WORK"/*.err "$WORK"/*.log; do
      [ -s "$f" ] || continue
      echo "----- tail of ${f##*/} -----" >&2
      tail -n 40 "$f" >&2
    done
  fi
  echo "--------------------------------" >&2
  exit 1
}

# Any command failing under `set -e` outside an explicit check is a test bug
# or a broken environment: report where, with the peer's view.
# In a subshell ($(...)) only leave it: the parent's own ERR reports.
on_err() {
  [ "$BASH_SUBSHELL" -eq 0 ] || exit "$1"
  fail "command failed (rc $1) at line $2: $3"
}

# ---------------------------------------------------------------- setup ----

# interop_init <name>: root check, scratch directory, cleanup trap.
interop_init() {
  INTEROP_NAME=$1
  [ "$(id -u)" -eq 0 ] ||
    { log "FAILED: must run as root (network namespaces, BGP port 179)"; exit 1; }
  WORK=$(mktemp -d "/tmp/porter-$INTEROP_NAME.XXXXXX")
  chmod 755 "$WORK" # FRR daemons run as user frr and must reach their files
  INTEROP_DIRS+=("$WORK")
  trap interop_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # A reader that goes away (`ctest ... | head`) must not kill us by SIGPIPE
  # before the EXIT trap has cleaned up.
  trap 'exit 141' PIPE
  set -E # the ERR trap below also fires inside functions
  trap 'on_err $? $LINENO "$BASH_COMMAND"' ERR
}

# require_binaries <path-or-name...>: exits 1 naming every missing one.
# Never skips: a missing daemon is a broken test environment.
require_binaries() {
  local b missing=()
  for b in "$@"; do
    if [[ $b == */* ]]; then
      [ -x "$b" ] || missing+=("$b")
    else
      command -v "$b" >/dev/null 2>&1 || missing+=("$b")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "FAILED: required binaries missing: ${missing[*]}"
    log "install bird2, frr, gobgpd, iproute2 and python3 (Debian packages)"
    exit 1
  fi
}

# short_suffix: 5 hex characters, unique enough per run (PID + random).
short_suffix() { printf '%05x' $((($$ * 32768 + RANDOM) % 1048576)); }

# netns_add <name>: creates a namespace (lo up) and registers it for cleanup.
# Interface names are per namespace; keep namespace names <= 15 characters
# so they can double as interface names.
netns_add() {
  local ns=$1
  [ ${#ns} -le 15 ] || fail "namespace name '$ns' longer than 15 characters"
  ip netns add "$ns"
  INTEROP_NETNS+=("$ns")
  ip -n "$ns" link set lo up
}

# veth_pair <ns1> <if1> <addr1/len> <ns2> <if2> <addr2/len>: a veth created
# directly inside both namespaces, addressed and up.
veth_pair() {
  ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"
  ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up
  ip -n "$4" link set "$5" up
}

# addr6 <netns> <dev> <addr/len>: an IPv6 address usable at once (no DAD:
# a tentative address cannot be bound, and DAD takes about 2 s).
addr6() { ip -n "$1" -6 addr add "$3" dev "$2" nodad; }

# tcpext <netns> <counter>: a TcpExt counter of the namespace's own TCP
# stack (/proc/net/netstat read from inside it), e.g. TCPMD5Failure,
# TCPMD5NotFound, TCPMD5Unexpected, TCPMinTTLDrop. Fails if unknown.
tcpext() { netns_mib "$1" /proc/net/netstat TcpExt: "$2"; }

# tcp_mib <netns> <counter>: a Tcp counter (/proc/net/snmp), e.g.
# ActiveOpens (SYNs sent by connect), PassiveOpens (connections accepted).
tcp_mib() { netns_mib "$1" /proc/net/snmp Tcp: "$2"; }

# netns_mib <netns> <file> <row tag> <counter>: the first header line of the
# row tag names the columns, the second holds the values.
netns_mib() {
  # shellcheck disable=SC2016 # awk's own $ fields
  ip netns exec "$1" awk -v tag="$3" -v k="$4" '
    $1 == tag && !hdr { for (i = 2; i <= NF; i++) if ($i == k) col = i; hdr = 1; next }
    $1 == tag && col { print $col; found = 1; exit }
    END { exit !found }' "$2"
}

# tcpext_above <netns> <counter> <value>: the counter has grown past value.
tcpext_above() {
  local v
  v=$(tcpext "$1" "$2") || return 1
  [ "$v" -gt "$3" ]
}

# ------------------------------------------------------------ processes ----

# start_bg <name> [--stdin FILE] <command...>: runs the command in the
# background with stdout in $WORK/<name>.out and stderr in $WORK/<name>.err;
# sets LAST_PID. `ip netns exec` execs, so the PID is the daemon's own.
start_bg() {
  local name=$1 stdin=/dev/null
  shift
  if [ "$1" = --stdin ]; then
    stdin=$2
    shift 2
  fi
  "$@" <"$stdin" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  LAST_PID=$!
  INTEROP_PIDS+=("$LAST_PID")
  INTEROP_PID_NAME[$LAST_PID]=$name
  log "started $name (pid $LAST_PID)"
}

# pid_alive <pid>: running or stopped, not a zombie.
pid_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

pid_dead() { ! pid_alive "$1"; }

# stop_pid <pid> [signal]: signal (default TERM), wait up to 5 s, then KILL;
# reaps it and forgets it. SIGCONT first so a stopped process can act.
stop_pid() {
  local pid=$1 sig=${2:-TERM} i
  if pid_alive "$pid"; then
    kill -CONT "$pid" 2>/dev/null || true
    kill "-$sig" "$pid" 2>/dev/null || true
    if ! poll_until 5 pid_dead "$pid"; then
      log "${INTEROP_PID_NAME[$pid]:-pid $pid} ignored SIG$sig for 5 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      poll_until 2 pid_dead "$pid" || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  for i in "${!INTEROP_PIDS[@]}"; do
    [ "${INTEROP_PIDS[$i]}" != "$pid" ] || unset 'INTEROP_PIDS[i]'
  done
  INTEROP_PIDS=("${INTEROP_PIDS[@]}")
}

interop_cleanup() {
  local rc=$? i ns d
  set +e
  trap - ERR
  trap '' PIPE # logging to a closed pipe must not stop the cleanup
  for ((i = ${#INTEROP_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${INTEROP_PIDS[$i]}"
  done
  for ns in "${INTEROP_NETNS[@]}"; do
    ip netns pids "$ns" 2>/dev/null | while read -r i; do
      log "leftover pid $i in $ns: SIGKILL"
      kill -KILL "$i" 2>/dev/null
    done
    ip netns del "$ns" 2>/dev/null
  done
  for d in "${INTEROP_DIRS[@]}"; do
    if [ "$d" = "$WORK" ] && [ "${KEEP_WORK:-0}" = 1 ]; then
      log "scratch directory kept: $d"
    else
      rm -rf "$d"
    fi
  done
  exit "$rc"
}

# -------------------------------------------------------------- polling ----

# now_us: wall clock in microseconds.
now_us() {
  local t=$EPOCHREALTIME
  echo "${t/./}"
}

# seconds_since <start_us>: "1.23".
seconds_since() {
  local d=$(($(now_us) - $1))
  printf '%d.%02d' $((d / 1000000)) $((d % 1000000 / 10000))
}

# to_us <seconds>: "5" or "0.5" -> microseconds.
to_us() {
  local int=${1%%.*} frac=""
  [[ $1 == *.* ]] && frac=${1#*.}
  frac=${frac}000000
  echo $((10#${int:-0} * 1000000 + 10#${frac:0:6}))
}

# poll_until <timeout_s> <command...>: runs the command every 50 ms until it
# succeeds (returns 0) or the deadline passes (returns 1). Output is dropped.
# Note: errexit is off inside a condition; checks must return their status.
poll_until() {
  local deadline
  deadline=$(($(now_us) + $(to_us "$1")))
  shift
  while true; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    [ "$(now_us)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# step_ok <n> <what> <start_us>: the one line per step with its duration.
step_ok() { printf 'step %s %s: %s s\n' "$1" "$2" "$(seconds_since "$3")"; }

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

# ----------------------------------------------------------- peer views ----
# Daemon CLIs get a deadline too: a frozen (SIGSTOP) daemon never answers.
CLI_TIMEOUT=3

# peer_view <args...>: normalizes a daemon's or the kernel's JSON/text (on
# stdin) into one comparable line; see peer_view.py.
peer_view() { "$PYTHON" "$INTEROP_LIB_DIR/peer_view.py" "$@"; }

# fib_nexthops <netns> <prefix>: one line per kernel route for the prefix,
# each its sorted gateways ("" if there is none).
fib_nexthops() { ip -n "$1" -j route show "$2" | peer_view fib; }

# Both launchers set SW_PID (the switch's BGP process, to stop or restart).
SW_PID=""
sw_stop() { stop_pid "$SW_PID"; }

# BIRD --------------------------------------------------------------------
BIRD_CTL=""
birdc_sw() { timeout "$CLI_TIMEOUT" birdc -s "$BIRD_CTL" "$@"; }

# bird_launch <netns> <name>: checks and starts BIRD on $WORK/bird.conf in the
# namespace (stderr in $WORK/<name>.err); returns once birdc answers. Stop it
# with sw_stop; rewrite the file and launch again to reconfigure.
bird_launch() {
  local ns=$1 name=$2
  BIRD_CTL=$WORK/bird.ctl
  bird -p -c "$WORK/bird.conf" >"$WORK/bird-check.log" 2>&1 ||
    fail "BIRD rejected $WORK/bird.conf: $(cat "$WORK/bird-check.log")"
  start_bg "$name" ip netns exec "$ns" bird -f -c "$WORK/bird.conf" \
    -s "$BIRD_CTL" -P "$WORK/bird.pid"
  SW_PID=$LAST_PID
  poll_until 10 birdc_sw show status || fail "BIRD control socket not answering"
}

# bird_proto_state <protocol>: "Established", "Active", "Connect", ...
bird_proto_state() { birdc_sw show protocols "$1" | peer_view state bird "$1"; }

dump_bird() {
  local proto=$1
  echo "\$ birdc show protocols all $proto"
  birdc_sw show protocols all "$proto"
  echo "\$ birdc show route all   (the switch has only porter's routes)"
  birdc_sw show route all
}

# FRR ---------------------------------------------------------------------
FRR_PATHSPACE=""
vtysh_sw() { timeout "$CLI_TIMEOUT" vtysh --vty_socket "/var/run/frr/$FRR_PATHSPACE" --config_dir "$WORK/frr" "$@"; }

# frr_launch <netns> <name> [bgpd options...]: zebra (once per test, its own
# pathspace pi-frr-<suffix>), then bgpd on $WORK/frr/bgpd.conf (written by
# the test; stdout in $WORK/<name>.out); returns once bgpd's vty answers.
# Stop bgpd with sw_stop; launch again to reconfigure.
frr_launch() {
  local ns=$1 name=$2 run=$WORK/frr-run
  shift 2
  if [ -z "$FRR_PATHSPACE" ]; then
    FRR_PATHSPACE=pi-frr-$(short_suffix)
    INTEROP_DIRS+=("/var/run/frr/$FRR_PATHSPACE")
    mkdir -p "$WORK/frr" "$run"
    chown frr:frr "$run" # zebra/bgpd drop to user frr before writing pid files
    : >"$WORK/frr/vtysh.conf"
    printf 'hostname pi-frr-switch\nlog stdout informational\n' \
      >"$WORK/frr/zebra.conf"
    chmod 644 "$WORK/frr/zebra.conf"
    start_bg zebra ip netns exec "$ns" /usr/lib/frr/zebra -N "$FRR_PATHSPACE" \
      -f "$WORK/frr/zebra.conf" -i "$run/zebra.pid" -A 127.0.0.1
    poll_until 10 test -S "/var/run/frr/$FRR_PATHSPACE/zserv.api" ||
      fail "zebra did not create its zserv.api socket"
  fi
  chmod 644 "$WORK/frr/bgpd.conf"
  start_bg "$name" ip netns exec "$ns" /usr/lib/frr/bgpd -N "$FRR_PATHSPACE" \
    -f "$WORK/frr/bgpd.conf" -i "$run/bgpd.pid" -A 127.0.0.1 "$@"
  SW_PID=$LAST_PID
  poll_until 10 frr_vty_answers || fail "bgpd vty not answering"
}

frr_vty_answers() { [[ $(vtysh_sw -c 'show bgp neighbors json') == *bgpState* ]]; }

# frr_nbr_state <address>: "Established", "Active", "Connect", ...
frr_nbr_state() { vtysh_sw -c "show bgp neighbors $1 json" | peer_view state frr "$1"; }

# frr_nbr_field <address> <key>: one top-level field of the neighbor's JSON,
# e.g. connectionsEstablished, lastResetDueTo ("" if absent).
frr_nbr_field() { vtysh_sw -c "show bgp neighbors $1 json" | peer_view field frr "$1" "$2"; }

dump_frr() {
  local prefix=$1 c
  for c in 'show bgp summary' 'show bgp neighbors' 'show bgp ipv4 unicast' \
    "show bgp ipv4 unicast $prefix" 'show ip route'; do
    echo "\$ vtysh -c '$c'"
    vtysh_sw -c "$c"
  done
}

# GoBGP -------------------------------------------------------------------
GOBGP_NS=""
gobgp_sw() { timeout "$CLI_TIMEOUT" ip netns exec "$GOBGP_NS" gobgp "$@"; }

dump_gobgp() {
  local nbr=$1
  echo "\$ gobgp neighbor; gobgp neighbor $nbr; gobgp neighbor $nbr adj-in"
  gobgp_sw neighbor
  gobgp_sw neighbor "$nbr"
  gobgp_sw neighbor "$nbr" adj-in
  echo "\$ gobgp global rib -a ipv4"
  gobgp_sw global rib -a ipv4
}
