#!/usr/bin/env bash
# Interop: an IPv6 /128 Service IP with three IPv6 next hops (one path per
# node, ADD-PATH), announced by porter to BIRD 2 or FRR 8 as the switch:
#   1 over an IPv4 session on which the switch also enabled IPv6 unicast
#     (multiprotocol, RFC 4760: MP_REACH_NLRI with IPv6 next hops)
#   2 over an IPv6 session (fd00:96:N::1 <-> fd00:96:N::2)
# Each time the switch's RIB must hold exactly three paths via the three
# next hops, and its kernel FIB one multipath route via exactly those three;
# the withdraw (and porter going away) must remove both.
#
#   SPK netns (porter, AS 65100)        SW netns (switch, AS 65000)
#   spk0 10.96.N.2/24 ------veth------- sw0 10.96.N.1/24
#        fd00:96:N::2/64                    fd00:96:N::1/64
#                                       permanent neighbours fd00:96:N::11,
#                                       ::12, ::13 (the "nodes")
# N = 16 bird, 17 frr.
#
# Usage (root): bgp_ipv6_test.sh <bird|frr> <path-to-porter_bgp_probe>
# Env: KEEP_WORK=1 keeps the scratch directory (configs, daemon logs).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

interop_parse_args "bird=16 frr=17" "$@" # sets daemon, probe, net
interop_init "bgp_ipv6_$daemon"
require_switch_binaries "$daemon"
require_probe "$probe"

readonly SW_AS=65000 PORTER_AS=65100 PREFIX=2001:db8:96::1/128 DST=2001:db8:96::1
readonly FIB_DST=$DST # the kernel route's name in lib.sh's expect_routes
readonly SW_IP=10.96.$net.1 SPK_IP=10.96.$net.2
readonly SW_IP6=fd00:96:$net::1 SPK_IP6=fd00:96:$net::2
readonly NH1=fd00:96:$net::11 NH2=fd00:96:$net::12 NH3=fd00:96:$net::13
sfx=$(short_suffix)
readonly NS_SW=pi6-${daemon:0:1}-sw-$sfx NS_SPK=pi6-${daemon:0:1}-spk-$sfx

# ------------------------------------------------------------- topology ----
netns_add "$NS_SW"
netns_add "$NS_SPK"
# No DAD on the link-local addresses either (BIRD logs "Missing link-local
# address" when its own is still tentative as a session comes up).
ip netns exec "$NS_SW" sysctl -qw net.ipv6.conf.default.accept_dad=0
ip netns exec "$NS_SPK" sysctl -qw net.ipv6.conf.default.accept_dad=0
veth_pair "$NS_SW" sw0 "$SW_IP/24" "$NS_SPK" spk0 "$SPK_IP/24"
addr6 "$NS_SW" sw0 "$SW_IP6/64"
addr6 "$NS_SPK" spk0 "$SPK_IP6/64"
static_neighbours "$NS_SW" sw0 "fd00:96:$net::" 11 12 13

# ---------------------------------------------------------------- switch ----
case $daemon in
  bird)
    cat >"$WORK/bird.conf" <<EOF
# BIRD 2 as the switch: eBGP with porter over IPv4 (porter4: IPv4 and IPv6
# unicast channels) and over IPv6 (porter6); ADD-PATH receive; equal paths
# into one multipath kernel route.
$(bird_conf_head "$SW_IP")
$(bird_kernel_multipath ipv6)
template bgp porter {
  local as $SW_AS;
  graceful restart off;
$(bird_fast_retry)
}
protocol bgp porter4 from porter {
  local $SW_IP as $SW_AS;
  neighbor $SPK_IP as $PORTER_AS;
  ipv4 { import all; export none; add paths rx; };
  ipv6 { import all; export none; add paths rx; };
}
protocol bgp porter6 from porter {
  local $SW_IP6 as $SW_AS;
  neighbor $SPK_IP6 as $PORTER_AS;
  ipv6 { import all; export none; add paths rx; };
}
EOF
    bird_launch "$NS_SW" bird
    ;;
  frr)
    mkdir -p "$WORK/frr"
    cat >"$WORK/frr/bgpd.conf" <<EOF
! FRR 8 as the switch: eBGP with porter over IPv4 and over IPv6, IPv6
! unicast activated for both; ADD-PATH receive is FRR's default;
! maximum-paths installs the paths as one multipath route through zebra.
$(frr_conf_head)
router bgp $SW_AS
 bgp router-id $SW_IP
 no bgp ebgp-requires-policy
 neighbor $SPK_IP remote-as $PORTER_AS
 neighbor $SPK_IP timers connect 1
 neighbor $SPK_IP6 remote-as $PORTER_AS
 neighbor $SPK_IP6 timers connect 1
 address-family ipv4 unicast
  maximum-paths 8
 exit-address-family
 address-family ipv6 unicast
  neighbor $SPK_IP activate
  neighbor $SPK_IP6 activate
  maximum-paths 8
 exit-address-family
!
EOF
    frr_launch "$NS_SW" bgpd
    ;;
esac
log "switch $daemon up in $NS_SW ($SW_IP, $SW_IP6, AS $SW_AS), porter in $NS_SPK ($SPK_IP, $SPK_IP6, AS $PORTER_AS)"

# sw_state <4|6>: the switch's session with porter over IPv4 / IPv6.
# lib.sh's sw_established <4|6>, sw_down <4|6> and expect_routes check
# these.
sw_state() {
  if [ "$1" = 4 ]; then switch_state porter4 "$SPK_IP"; else switch_state porter6 "$SPK_IP6"; fi
}
sw_rib() { switch_rib "$PREFIX"; }
sw_fib() { ip -6 -n "$NS_SW" -j route show "$DST" | peer_view fib; }

# sw_afs <4|6>: the address families the switch negotiated with porter.
sw_afs() {
  case $daemon:$1 in
    bird:*)
      birdc_sw show protocols all "porter$1" | awk '/^  Channel /{ print $2 }' | paste -sd' ' -
      ;;
    frr:4) vtysh_sw -c "show bgp neighbors $SPK_IP" | grep -E 'Address Family (IPv4|IPv6) Unicast: advertised and received' | awk '{ print $3 }' | paste -sd' ' - ;;
    frr:6) vtysh_sw -c "show bgp neighbors $SPK_IP6" | grep -E 'Address Family (IPv4|IPv6) Unicast: advertised and received' | awk '{ print $3 }' | paste -sd' ' - ;;
  esac
}

sw_show() {
  case $daemon in
    bird)
      echo "\$ birdc show route all $PREFIX"
      birdc_sw show route all "$PREFIX"
      ;;
    frr)
      echo "\$ vtysh -c 'show bgp ipv6 unicast $PREFIX'"
      vtysh_sw -c "show bgp ipv6 unicast $PREFIX"
      echo "\$ vtysh -c 'show ipv6 route $PREFIX'"
      vtysh_sw -c "show ipv6 route $PREFIX"
      ;;
  esac
  echo "\$ ip -6 route show $DST   (in the switch namespace)"
  ip -6 -n "$NS_SW" route show "$DST"
}

dump_view() {
  echo "\$ ip -6 -n $NS_SW route; ip -6 -n $NS_SW neigh"
  ip -6 -n "$NS_SW" route
  ip -6 -n "$NS_SW" neigh
  case $daemon in
    bird)
      dump_bird porter4
      echo "\$ birdc show protocols all porter6"
      birdc_sw show protocols all porter6
      ;;
    frr)
      local c
      for c in 'show bgp summary' 'show bgp neighbors' 'show bgp ipv6 unicast' \
        "show bgp ipv6 unicast $PREFIX" 'show ipv6 route'; do
        echo "\$ vtysh -c '$c'"
        vtysh_sw -c "$c"
      done
      ;;
  esac
}

# session <step> <4|6> <what>: a probe over IPv4 or IPv6; announce, check,
# withdraw, check, re-announce, then quit: the route must go with porter.
session() {
  local step=$1 af=$2 what=$3 t0 peer laddr est
  if [ "$af" = 4 ]; then peer=$SW_IP laddr=$SPK_IP; else peer=$SW_IP6 laddr=$SPK_IP6; fi
  t0=$(now_us)
  probe_start --name "probe-$af" "$NS_SPK" "$probe" --local-as "$PORTER_AS" \
    --router-id "$SPK_IP" --peer "$peer" --peer-as "$SW_AS" \
    --local-address "$laddr" --hold 9 --connect-retry 1
  probe_wait 15 0 '^established ' "session over IPv$af"
  est=$(probe_first_since 0 '^established ')
  # The event's add_path is IPv4 unicast's (on an IPv6-only session it says
  # 0); for IPv6 the three paths in the switch's RIB are the proof.
  if [ "$af" = 4 ] && ! [[ $est =~ (^| )add_path=1( |$) ]]; then
    fail "step $step: ADD-PATH not negotiated, probe says '$est'"
  fi
  poll_until 5 sw_established "$af" ||
    fail "step $step: porter is established, the switch says '$(sw_state "$af")'"
  step_ok "$step" "$what: Established ($est; switch AFs: $(sw_afs "$af"))" "$t0"

  t0=$(now_us)
  probe_send "announce $PREFIX $NH1 $NH2 $NH3"
  expect_routes "$step" "three IPv6 paths" "$t0" "$NH1" "$NH2" "$NH3"
  echo "----- switch view, step $step: $PREFIX $what ($daemon) -----"
  sw_show
  echo "----------------------------------------------------------------"

  t0=$(now_us)
  probe_send "withdraw $PREFIX"
  expect_routes "$step" "withdrawn" "$t0"

  t0=$(now_us)
  probe_send "announce $PREFIX $NH1 $NH2 $NH3"
  expect_routes "$step" "re-announced" "$t0" "$NH1" "$NH2" "$NH3"
  t0=$(now_us)
  probe_stop
  expect_routes "$step" "gone with porter" "$t0"
  poll_until 5 sw_down "$af" || fail "step $step: the switch still Established after porter quit"
}

# ------------------------------------------------------------- scenario ----
session 1 4 "over an IPv4 session"
session 2 6 "over an IPv6 session"

echo "PASS interop.bgp_ipv6_$daemon"
