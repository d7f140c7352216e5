# shellcheck shell=bash source-path=SCRIPTDIR
# Shared helpers for porter's interop tests: real BIRD 2 / FRR / GoBGP daemons
# in throwaway network namespaces. Sourced by the test scripts, which must run
# under `set -euo pipefail` and start like this:
#   interop_parse_args "bird=10 frr=11" "$@" # sets daemon, probe, net
#   interop_init "bgp_<test>_$daemon"
#   require_switch_binaries "$daemon" [other binaries...]
#   require_probe "$probe"
# Also sourced from here: lib_probe.sh (porter_bgp_probe, the program under
# test) and lib_switch.sh (the switch daemons: launch, session state, RIB).
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

# interop_parse_args <daemon=net...> "$@": the test's own arguments,
# <daemon> <path-to-porter_bgp_probe>, with the daemons it runs against,
# each with its subnet (10.96.<net>.0/24: one per test and daemon, so that
# all can run in parallel). Sets daemon, probe and net; a usage error exits
# 2 (before interop_init: no root, nothing to clean up).
interop_parse_args() {
  local -a spec names
  local entry
  read -ra spec <<<"$1"
  shift
  for entry in "${spec[@]}"; do names+=("${entry%%=*}"); done
  if [ $# -ne 2 ]; then
    echo "usage: $0 <$(join_by '|' "${names[@]}")> <path-to-porter_bgp_probe>" >&2
    exit 2
  fi
  # shellcheck disable=SC2034 # daemon, probe, net: for the test script
  daemon=$1 probe=$2 net=""
  for entry in "${spec[@]}"; do
    [ "${entry%%=*}" != "$daemon" ] || net=${entry#*=}
  done
  if [ -z "$net" ]; then
    echo "$0: unknown daemon '$daemon' ($(join_by ', ' "${names[@]}"))" >&2
    exit 2
  fi
}

# join_by <separator> <words...>
join_by() {
  local sep=$1 out=$2 w
  shift 2
  for w in "$@"; do out+=$sep$w; done
  echo "$out"
}

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

# require_switch_binaries <daemon> [binaries...]: require_binaries for ip,
# the given ones, python3 and the switch daemon with its CLI.
require_switch_binaries() {
  local d=$1
  shift
  case $d in
    bird) require_binaries ip "$@" "$PYTHON" bird birdc ;;
    frr) require_binaries ip "$@" "$PYTHON" /usr/lib/frr/zebra /usr/lib/frr/bgpd vtysh ;;
    gobgp) require_binaries ip "$@" "$PYTHON" gobgpd gobgp ;;
    *) fail "require_switch_binaries: unknown daemon '$d'" ;;
  esac
}

# require_probe <path>: the porter_bgp_probe binary given to the test.
require_probe() {
  if [ ! -f "$1" ] || [ ! -x "$1" ]; then
    fail "porter_bgp_probe not found or not executable: '$1'"
  fi
}

# ------------------------------------------------------------- topology ----

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

# switch_link_up <sw netns> <sw addr/len> <porter netns> <porter addr/len>:
# both namespaces and the veth between them, sw0 on the switch's side and
# spk0 on porter's.
switch_link_up() {
  netns_add "$1"
  netns_add "$3"
  veth_pair "$1" sw0 "$2" "$3" spk0 "$4"
}

# static_neighbours <netns> <dev> <address prefix> <n...>: permanent
# neighbour entries <prefix><n> -> lladdr 02:00:00:00:00:<n>, so that next
# hops with no host behind them (the "nodes") resolve. IPv4 or IPv6.
static_neighbours() {
  local ns=$1 dev=$2 prefix=$3 n
  shift 3
  for n in "$@"; do
    ip -n "$ns" neigh replace "$prefix$n" lladdr "02:00:00:00:00:$n" \
      dev "$dev" nud permanent
  done
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

# ------------------------------------------------ the probe, the switch ----
# shellcheck source=lib_probe.sh
source "$INTEROP_LIB_DIR/lib_probe.sh"
# shellcheck source=lib_switch.sh
source "$INTEROP_LIB_DIR/lib_switch.sh"
