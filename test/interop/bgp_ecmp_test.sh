#!/usr/bin/env bash
# Interop: porter's BGP speaker (porter_bgp_probe) against a real switch
# daemon -- BIRD 2, FRR 8 (zebra + bgpd) or gobgpd 3 -- in a throwaway pair of
# network namespaces. One Service IP (1.1.1.1/32) is announced with one path
# per node (ADD-PATH, RFC 7911); every step is checked on the SWITCH's own
# view (its RIB through its CLI, and for BIRD/FRR its kernel FIB):
#   1 session Established, ADD-PATH negotiated
#   2 three next hops -> three paths, one 3-way multipath kernel route
#   3 two next hops   -> two paths / two kernel next hops
#   4 withdraw        -> gone from RIB and FIB
#   5 switch daemon SIGTERM + restart -> session and three paths come back
#   6 switch daemon SIGSTOP -> probe reports "hold timer expired" in time
#
#   SPK netns (porter)          SW netns (switch, AS 65000)
#   spk0 10.96.N.2/24 --veth-- sw0 10.96.N.1/24
#   AS 65100                    permanent neighbours 10.96.N.11/.12/.13
#                               (the "nodes", not real hosts)
# N = 1 bird, 2 frr, 3 gobgp, so the three tests can run in parallel.
#
# Usage (root): bgp_ecmp_test.sh <bird|frr|gobgp> <path-to-porter_bgp_probe>
# Env: KEEP_WORK=1 keeps the scratch directory (configs, daemon logs).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

interop_parse_args "bird=1 frr=2 gobgp=3" "$@" # sets daemon, probe, net
interop_init "bgp_ecmp_$daemon"
require_switch_binaries "$daemon"
require_probe "$probe"

readonly SW_AS=65000 PORTER_AS=65100 HOLD=3 PREFIX=1.1.1.1/32
readonly SW_IP=10.96.$net.1 SPK_IP=10.96.$net.2
readonly NH1=10.96.$net.11 NH2=10.96.$net.12 NH3=10.96.$net.13
sfx=$(short_suffix)
readonly NS_SW=pi-${daemon:0:1}-sw-$sfx NS_SPK=pi-${daemon:0:1}-spk-$sfx
starts=0 # daemon (re)starts, to keep their logs apart
# lib.sh's SW_PID: the BGP process of the switch (bird, bgpd or gobgpd).

# ------------------------------------------------------------- topology ----
topology_up() {
  switch_link_up "$NS_SW" "$SW_IP/24" "$NS_SPK" "$SPK_IP/24"
  static_neighbours "$NS_SW" sw0 "10.96.$net." 11 12 13
}

# ----------------------------------------------------------------- BIRD ----
bird_start() {
  if [ ! -f "$WORK/bird.conf" ]; then
    cat >"$WORK/bird.conf" <<EOF
# BIRD 2 as the switch: eBGP with porter, ADD-PATH receive, every equal path
# into one multipath kernel route.
$(bird_conf_head "$SW_IP")
$(bird_kernel_multipath ipv4)
protocol bgp porter {
  local $SW_IP as $SW_AS;
  neighbor $SPK_IP as $PORTER_AS;
  graceful restart off;   # no stale routes kept after a drop
$(bird_fast_retry)
  ipv4 { import all; export none; add paths rx; };
}
EOF
  fi
  bird_launch "$NS_SW" "bird-$((++starts))"
}

bird_show() {
  echo "\$ birdc show route all $PREFIX"
  birdc_sw show route all "$PREFIX"
}

# ------------------------------------------------------------------ FRR ----
frr_start() {
  if [ ! -f "$WORK/frr/bgpd.conf" ]; then
    mkdir -p "$WORK/frr"
    cat >"$WORK/frr/bgpd.conf" <<EOF
! FRR 8 as the switch: eBGP with porter; FRR receives ADD-PATH by default;
! maximum-paths installs the paths as one multipath route through zebra.
$(frr_conf_head)
router bgp $SW_AS
 bgp router-id $SW_IP
 no bgp ebgp-requires-policy
 neighbor $SPK_IP remote-as $PORTER_AS
 neighbor $SPK_IP timers connect 1
 address-family ipv4 unicast
  maximum-paths 8
 exit-address-family
!
EOF
  fi
  frr_launch "$NS_SW" "bgpd-$((++starts))" # and zebra, the first time
}

frr_show() {
  echo "\$ vtysh -c 'show bgp ipv4 unicast $PREFIX'"
  vtysh_sw -c "show bgp ipv4 unicast $PREFIX"
  echo "\$ vtysh -c 'show ip route $PREFIX'"
  vtysh_sw -c "show ip route $PREFIX"
}

# ---------------------------------------------------------------- GoBGP ----
gobgp_start() {
  GOBGP_NS=$NS_SW
  if [ ! -f "$WORK/gobgpd.toml" ]; then
    cat >"$WORK/gobgpd.toml" <<EOF
# gobgpd 3 as the switch: eBGP with porter, ADD-PATH receive. No FIB (no
# zebra): the check is the global RIB.
[global.config]
  as = $SW_AS
  router-id = "$SW_IP"
  port = 179
  local-address-list = ["$SW_IP"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "$SPK_IP"
    peer-as = $PORTER_AS
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "$SW_IP"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
    [neighbors.afi-safis.add-paths.config]
      receive = true
EOF
    gobgpd -d -f "$WORK/gobgpd.toml" >"$WORK/gobgpd-check.log" 2>&1 ||
      fail "gobgpd rejected its config"
  fi
  start_bg "gobgpd-$((++starts))" ip netns exec "$NS_SW" gobgpd \
    -f "$WORK/gobgpd.toml" -p -l info --api-hosts 127.0.0.1:50051 --pprof-disable
  SW_PID=$LAST_PID
  poll_until 10 gobgp_sw global || fail "gobgpd API not answering"
}

gobgp_show() {
  echo "\$ gobgp global rib -a ipv4 $PREFIX"
  gobgp_sw global rib -a ipv4 "$PREFIX"
  echo "\$ gobgp neighbor $SPK_IP adj-in"
  gobgp_sw neighbor "$SPK_IP" adj-in
}

# ------------------------------------------------------ daemon-agnostic ----
# lib.sh's sw_established and expect_routes check these.
sw_start() { "${daemon}_start"; }
sw_state() { switch_state porter "$SPK_IP"; }
sw_rib() { switch_rib "$PREFIX"; }
sw_has_fib() { [ "$daemon" != gobgp ]; } # gobgpd runs without zebra
sw_fib() { fib_nexthops "$NS_SW" "$PREFIX"; }

dump_view() {
  echo "\$ ip -n $NS_SW route"
  ip -n "$NS_SW" route
  case $daemon in
    bird) dump_bird porter ;;
    frr) dump_frr "$PREFIX" ;;
    gobgp) dump_gobgp "$SPK_IP" ;;
  esac
}

# ------------------------------------------------------------- scenario ----
topology_up
sw_start
log "switch $daemon up in $NS_SW ($SW_IP, AS $SW_AS), porter in $NS_SPK ($SPK_IP, AS $PORTER_AS)"

# 1. Session Established, ADD-PATH negotiated, hold time ours (3 s).
t0=$(now_us)
probe_start "$NS_SPK" "$probe" --local-as "$PORTER_AS" --router-id "$SPK_IP" \
  --peer "$SW_IP" --peer-as "$SW_AS" --local-address "$SPK_IP" \
  --hold "$HOLD" --connect-retry 1
probe_wait 15 0 '^established ' "session up"
est=$(probe_first_since 0 '^established ')
[[ $est =~ (^| )add_path=1( |$) ]] ||
  fail "step 1: ADD-PATH not negotiated, probe says '$est' (want add_path=1)"
[[ $est =~ (^| )hold=$HOLD( |$) ]] ||
  fail "step 1: negotiated hold time: probe says '$est' (want hold=$HOLD)"
probe_saw_since 0 '^state Established$' ||
  fail "step 1: probe printed '$est' but no 'state Established'"
poll_until 5 sw_established ||
  fail "step 1: probe is established, the switch says '$(sw_state)'"
step_ok 1 "session Established ($est)" "$t0"
up_mark=$(probe_mark)

# 2. Three next hops: three paths, one 3-way multipath kernel route.
t0=$(now_us)
mark=$(probe_mark)
probe_send "announce $PREFIX $NH1 $NH2 $NH3"
expect_routes 2 "three paths" "$t0" "$NH1" "$NH2" "$NH3"
probe_saw_since "$mark" '^updates [0-9]+$' ||
  log "WARNING: probe printed no 'updates <n>' line after announce"
echo "----- switch view after step 2 ($daemon) -----"
"${daemon}_show"
if sw_has_fib; then
  echo "\$ ip route show 1.1.1.1   (in the switch namespace)"
  ip -n "$NS_SW" route show 1.1.1.1
fi
echo "----------------------------------------------"

# 3. Replace the set with two next hops.
t0=$(now_us)
probe_send "announce $PREFIX $NH1 $NH3"
expect_routes 3 "two paths" "$t0" "$NH1" "$NH3"

# 4. Withdraw.
t0=$(now_us)
probe_send "withdraw $PREFIX"
expect_routes 4 "withdrawn" "$t0"
if probe_saw_since "$up_mark" '^down( |$)'; then
  fail "step 4: the session dropped during steps 2-4: $(probe_first_since "$up_mark" '^down')"
fi

# 5. Switch daemon restart: the session and the routes come back unaided.
t0=$(now_us)
probe_send "announce $PREFIX $NH1 $NH2 $NH3"
expect_routes 5 "three paths re-announced" "$t0" "$NH1" "$NH2" "$NH3"
mark=$(probe_mark)
t0=$(now_us)
stop_pid "$SW_PID" TERM
probe_wait 5 "$mark" '^down( |$)' "session drop after the switch's SIGTERM"
log "probe: $(probe_first_since "$mark" '^down')"
sw_start
probe_wait 15 "$mark" '^established ' "session back after the switch restart"
poll_until 5 sw_established ||
  fail "step 5: probe is established again, the switch says '$(sw_state)'"
step_ok 5 "session back after switch restart" "$t0"
expect_routes 5 "three paths back" "$t0" "$NH1" "$NH2" "$NH3"

# 6. Frozen switch: no KEEPALIVEs, the probe's hold timer must fire.
mark=$(probe_mark)
t0=$(now_us)
kill -STOP "$SW_PID"
probe_poll $((HOLD + 2)) "$mark" '^down( |$)' || true
took=$(seconds_since "$t0")
down=$(probe_first_since "$mark" '^down')
kill -CONT "$SW_PID" # before any `fail`: it asks the switch for its view
[ -n "$down" ] ||
  fail "step 6: no 'down' from the probe within $((HOLD + 2)) s of freezing the switch (hold $HOLD s)"
grep -qi 'hold timer expired' <<<"$down" ||
  fail "step 6: probe went down for another reason: '$down' (want hold timer expired)"
# The switch's last KEEPALIVE came at most HOLD/3 s before SIGSTOP, so expiry
# earlier than about HOLD - HOLD/3 s after it means a wrong timer.
[ "$(to_us "$took")" -ge $((HOLD * 1000000 * 2 / 3 - 500000)) ] ||
  fail "step 6: hold timer fired after only $took s (hold $HOLD s)"
printf 'step 6 hold timer expired with the switch frozen: %s s (%s)\n' "$took" "$down"

probe_send quit
if poll_until 5 pid_dead "$PROBE_PID"; then
  rc=0
  wait "$PROBE_PID" || rc=$?
  log "probe exited with status $rc after quit"
else
  log "WARNING: probe still running 5 s after quit"
fi
echo "PASS interop.bgp_ecmp_$daemon"
