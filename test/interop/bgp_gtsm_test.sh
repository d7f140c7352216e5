#!/usr/bin/env bash
# Interop: GTSM (RFC 5082, TTL security) on porter's BGP sessions, against
# BIRD 2 or FRR 8 as the switch. Porter --ttl-security-hops H sends TTL 255
# and accepts only TTL >= 256-H (IP_MINTTL); BIRD `ttl security on;` with
# `multihop H;`, FRR `neighbor X ttl-security hops H` do the same.
#   1 switch one hop away, GTSM hops 1 on both sides       -> Established
#   2 switch two hops away (a router in between), GTSM hops 1 on both sides
#     -> never Established: segments arrive with TTL 254 < 255 and are
#     dropped by whichever side gets one first (TcpExt TCPMinTTLDrop in the
#     switch's or porter's namespace)
#   3 two hops, switch hops 2 (accepts 254), porter hops 1 -> never
#     Established, and it is PORTER's kernel that drops the switch's TTL-254
#     segments (TCPMinTTLDrop in porter's namespace): porter enforces GTSM
#   4 two hops, hops 2 on both sides -> Established (so it was GTSM that
#     rejected in 2 and 3, not the topology)
#   5 one hop, porter --passive --listen-port 179 --ttl-security-hops 1, the
#     switch (GTSM) connects -> Established (GTSM on accepted connections:
#     porter's SYN-ACK and everything after must carry TTL 255)
# In 1 and 5 every segment porter sends is captured on the switch's
# interface (ttl_watch.py): all must have TTL 255 (RFC 5082 §3).
#
#   S1 netns (porter, step 1, 5)   SW netns (switch, AS 65000)
#   spk0 10.96.N.2/26 ----veth---- sw0 10.96.N.1/26
#                                  sw1 10.96.N.65/26
#                                   |  veth
#                   RT netns        rt0 10.96.N.66/26  ip_forward=1
#                                  rt1 10.96.N.129/26
#                                   |  veth
#   S2 netns (porter, steps 2-4)   spk0 10.96.N.130/26
# All porters AS 65100. N = 14 bird, 15 frr.
#
# Usage (root): bgp_gtsm_test.sh <bird|frr> <path-to-porter_bgp_probe>
# Env: KEEP_WORK=1 keeps the scratch directory (configs, daemon logs).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

interop_parse_args "bird=14 frr=15" "$@" # sets daemon, probe, net
interop_init "bgp_gtsm_$daemon"
require_switch_binaries "$daemon" awk
require_probe "$probe"

readonly SW_AS=65000 PORTER_AS=65100
readonly SW_IP1=10.96.$net.1 SPK_IP1=10.96.$net.2       # one hop
readonly SW_IP2=10.96.$net.65 RT_IP_SW=10.96.$net.66     # switch - router
readonly RT_IP_SPK=10.96.$net.129 SPK_IP2=10.96.$net.130 # router - porter
readonly NEVER=4 # seconds a session must stay down to count as "never"
sfx=$(short_suffix)
d=${daemon:0:1}
readonly NS_SW=pig-$d-sw-$sfx NS_RT=pig-$d-rt-$sfx
readonly NS_S1=pig-$d-s1-$sfx NS_S2=pig-$d-s2-$sfx

# ------------------------------------------------------------- topology ----
netns_add "$NS_SW"
netns_add "$NS_RT"
netns_add "$NS_S1"
netns_add "$NS_S2"
veth_pair "$NS_SW" sw0 "$SW_IP1/26" "$NS_S1" spk0 "$SPK_IP1/26"
veth_pair "$NS_SW" sw1 "$SW_IP2/26" "$NS_RT" rt0 "$RT_IP_SW/26"
veth_pair "$NS_RT" rt1 "$RT_IP_SPK/26" "$NS_S2" spk0 "$SPK_IP2/26"
ip netns exec "$NS_RT" sysctl -qw net.ipv4.ip_forward=1
ip -n "$NS_SW" route add "10.96.$net.128/26" via "$RT_IP_SW"
ip -n "$NS_S2" route add default via "$RT_IP_SPK"

# ---------------------------------------------------------------- switch ----
# switch_start <hops for porter2>: (re)starts the switch. porter1 (one hop)
# always has GTSM hops 1; porter2 (two hops) has GTSM with <hops>.
starts=0
switch_start() {
  local hops=$1
  [ -z "$SW_PID" ] || sw_stop
  case $daemon in
    bird)
      cat >"$WORK/bird.conf" <<EOF
# BIRD 2 as the switch: eBGP with porter, GTSM (ttl security) on both
# sessions; porter2 is two hops away, expected TTL 256 - $hops.
$(bird_conf_head "$SW_IP1")
template bgp porter {
  local as $SW_AS;
  graceful restart off;
$(bird_fast_retry)
  ttl security on;
  ipv4 { import all; export none; add paths rx; };
}
protocol bgp porter1 from porter {
  local $SW_IP1 as $SW_AS;
  neighbor $SPK_IP1 as $PORTER_AS;
}
protocol bgp porter2 from porter {
  local $SW_IP2 as $SW_AS;
  neighbor $SPK_IP2 as $PORTER_AS;
  multihop $hops;
}
EOF
      bird_launch "$NS_SW" "bird-$((++starts))"
      ;;
    frr)
      mkdir -p "$WORK/frr"
      cat >"$WORK/frr/bgpd.conf" <<EOF
! FRR 8 as the switch: eBGP with porter, GTSM (ttl-security) on both
! sessions; porter2 is two hops away. disable-connected-check: FRR would
! otherwise not even try a non-connected eBGP peer with hops 1.
$(frr_conf_head)
router bgp $SW_AS
 bgp router-id $SW_IP1
 no bgp ebgp-requires-policy
 neighbor $SPK_IP1 remote-as $PORTER_AS
 neighbor $SPK_IP1 timers connect 1
 neighbor $SPK_IP1 ttl-security hops 1
 neighbor $SPK_IP2 remote-as $PORTER_AS
 neighbor $SPK_IP2 timers connect 1
 neighbor $SPK_IP2 update-source $SW_IP2
 neighbor $SPK_IP2 disable-connected-check
 neighbor $SPK_IP2 ttl-security hops $hops
!
EOF
      frr_launch "$NS_SW" "bgpd-$((++starts))"
      ;;
  esac
}

# sw_state <1|2>: the switch's state of the session with porter1 / porter2.
sw_state() {
  local addr=$SPK_IP1
  [ "$1" = 1 ] || addr=$SPK_IP2
  switch_state "porter$1" "$addr"
}
# lib.sh's sw_established <1|2> and sw_down <1|2> check it.

dump_view() {
  case $daemon in
    bird)
      echo "\$ birdc show protocols all"
      birdc_sw show protocols all
      ;;
    frr)
      echo "\$ vtysh -c 'show bgp neighbors'"
      vtysh_sw -c 'show bgp neighbors'
      ;;
  esac
  echo "\$ TcpExt TCPMinTTLDrop"
  counters
}
counters() {
  local ns
  for ns in "$NS_SW" "$NS_S1" "$NS_S2"; do
    echo "$ns: TCPMinTTLDrop=$(tcpext "$ns" TCPMinTTLDrop)"
  done
}

# porter_on <1|2> <name> <hops> [args...]: a probe in S1 (one hop) or S2
# (two hops) with --ttl-security-hops <hops>.
porter_on() {
  local where=$1 name=$2 hops=$3 ns sw spk
  shift 3
  if [ "$where" = 1 ]; then
    ns=$NS_S1 sw=$SW_IP1 spk=$SPK_IP1
  else
    ns=$NS_S2 sw=$SW_IP2 spk=$SPK_IP2
  fi
  probe_start --name "$name" "$ns" "$probe" --local-as "$PORTER_AS" \
    --router-id "$spk" --peer "$sw" --peer-as "$SW_AS" --local-address "$spk" \
    --hold 9 --connect-retry 1 --ttl-security-hops "$hops" "$@"
}

# expect_up <step> <1|2> <what> <t0>
expect_up() {
  probe_wait 10 0 '^established ' "$3"
  poll_until 5 sw_established "$2" ||
    fail "step $1: porter is established, the switch says '$(sw_state "$2")'"
  step_ok "$1" "$3 ($(probe_first_since 0 '^established '))" "$4"
}

# ttl_drops <netns...>: their TCPMinTTLDrop counters, summed.
ttl_drops() {
  local ns sum=0
  for ns in "$@"; do sum=$((sum + $(tcpext "$ns" TCPMinTTLDrop))); done
  echo "$sum"
}
ttl_drops_above() {
  local before=$1
  shift
  [ "$(ttl_drops "$@")" -gt "$before" ]
}

# expect_never <step> <what> <t0> <before> <netns...>: no Established for
# NEVER seconds after t0 (porter nor the switch's porter2), and the kernels
# of <netns...> counted TTL drops (TCPMinTTLDrop, summed) past <before>.
expect_never() {
  local step=$1 what=$2 t0=$3 before=$4
  shift 4
  poll_until "$NEVER" ttl_drops_above "$before" "$@" ||
    fail "step $step: no TCPMinTTLDrop counted in $* within $NEVER s"
  probe_quiet_until $((t0 + NEVER * 1000000)) 0 '^established ' ||
    fail "step $step: $what: porter printed '$(probe_first_since 0 '^established ')'"
  pid_alive "$PROBE_PID" || fail "step $step: porter_bgp_probe exited"
  sw_down 2 || fail "step $step: $what: the switch says Established"
  step_ok "$step" "$what: not Established after $(seconds_since "$t0") s, switch state $(sw_state 2); TCPMinTTLDrop now: $(counters | tr '\n' ' ')" "$t0"
}

# ttl_watch_start <name>: records the TTL of every segment porter (S1) sends
# to the switch, as it arrives on the switch's sw0 ($WORK/<name>.out).
TTL_PID="" TTL_OUT=""
ttl_watch_start() {
  start_bg "$1" ip netns exec "$NS_SW" "$PYTHON" "$here/ttl_watch.py" sw0 "$SPK_IP1"
  TTL_PID=$LAST_PID TTL_OUT=$WORK/$1.out
  poll_until 5 grep -qx ready "$TTL_OUT" || fail "ttl_watch.py did not start"
}
ttl_watch_stop() { stop_pid "$TTL_PID"; }
# ttl_summary: porter's segments by flags and TTL, e.g. "SA ttl=64 x3, A ttl=255 x9".
ttl_summary() {
  awk '$1 != "ready" { n[$1 " " $2]++ } END { for (k in n) print k " x" n[k] }' \
    "$TTL_OUT" | sort | paste -sd, - | sed 's/,/, /g'
}
ttl_count() { awk '$1 != "ready"' "$TTL_OUT" | wc -l; }
# Resets are left out: a SYN that arrives before porter's listener exists is
# answered by the kernel itself, with no socket (and so no TTL option).
ttl_not_255() {
  awk '$1 != "ready" && $1 !~ /R/ && $2 != "ttl=255"' "$TTL_OUT" | wc -l
}

# expect_ttl_255 <step>: porter sent every segment with TTL 255 (one hop:
# they arrive unchanged), RFC 5082 §3.
expect_ttl_255() {
  [ "$(ttl_count)" -gt 0 ] || fail "step $1: no segment from porter captured"
  [ "$(ttl_not_255)" -eq 0 ] ||
    fail "step $1: porter sent segments with TTL != 255 (RFC 5082 wants 255 for all): $(ttl_summary)"
  step_ok "$1" "every segment porter sent had TTL 255: $(ttl_summary)" "$t0"
}

# ------------------------------------------------------------- scenario ----
# 1. One hop, GTSM hops 1 both sides.
switch_start 1
log "switch $daemon up in $NS_SW, router $NS_RT, porter in $NS_S1 (one hop) / $NS_S2 (two hops)"
ttl_watch_start ttl-1
t0=$(now_us)
porter_on 1 probe-1 1
expect_up 1 1 "one hop, GTSM hops 1 both sides: Established" "$t0"
ttl_watch_stop
expect_ttl_255 1
echo "----- switch view, step 1 ($daemon) -----"
case $daemon in
  bird) birdc_sw show protocols all porter1 | grep -Ei '^porter|BGP state|Neighbor address|TTL' || true ;;
  frr) vtysh_sw -c "show bgp neighbors $SPK_IP1" | grep -Ei 'BGP state|hops|TTL' || true ;;
esac
echo "-----------------------------------------"
probe_stop

# 2. Two hops, GTSM hops 1 both sides: TTL 254 arrives, 255 wanted.
# Whichever side gets a TTL-254 segment first drops it.
drops=$(ttl_drops "$NS_SW" "$NS_S2")
t0=$(now_us)
porter_on 2 probe-2 1
expect_never 2 "two hops, GTSM hops 1 both sides" "$t0" "$drops" "$NS_SW" "$NS_S2"
probe_stop

# 3. Two hops, switch accepts TTL 254, porter insists on 255.
switch_start 2
drops=$(ttl_drops "$NS_S2")
t0=$(now_us)
porter_on 2 probe-3 1
expect_never 3 "two hops, switch hops 2, porter hops 1" "$t0" "$drops" "$NS_S2"
probe_stop

# 4. Two hops, GTSM hops 2 both sides: the control.
t0=$(now_us)
porter_on 2 probe-4 2
expect_up 4 2 "two hops, GTSM hops 2 both sides: Established" "$t0"
probe_stop

# 5. One hop, porter passive with GTSM: the switch connects.
drops=$(tcpext "$NS_SW" TCPMinTTLDrop)
ttl_watch_start ttl-5
t0=$(now_us)
porter_on 1 probe-5 1 --passive --listen-port 179
probe_poll 6 0 '^established ' || true
ttl_watch_stop
probe_saw_since 0 '^established ' ||
  fail "step 5: passive porter with GTSM hops 1 not Established in 6 s; the switch's kernel dropped $(($(tcpext "$NS_SW" TCPMinTTLDrop) - drops)) segments for TTL < 255 (TCPMinTTLDrop); porter's segments as they reached the switch: $(ttl_summary)"
expect_up 5 1 "one hop, passive porter with GTSM hops 1: Established" "$t0"
expect_ttl_255 5
probe_stop

counters
echo "PASS interop.bgp_gtsm_$daemon"
