#!/usr/bin/env bash
# Interop: TCP MD5 signatures (RFC 2385) on porter's BGP sessions, against
# BIRD 2 or FRR 8 as the switch (password configured for porter's address).
#   1 same password, porter connects         -> Established both sides,
#                                                a route reaches the switch
#   2 same password, porter --passive --listen-port 179 (the switch connects:
#     the key must be on porter's LISTENING socket) -> Established
#   3 wrong password (porter connects and listens) -> never Established; the
#     switch's kernel drops porter's segments (TcpExt TCPMD5Failure) and
#     porter's kernel drops the switch's (key on the listener, wrong hash)
#   4 no password on porter                   -> never Established; the
#     switch's kernel drops porter's unsigned segments (TCPMD5NotFound)
# A segment with a bad or missing signature is dropped silently by the
# kernel, so "never Established", the switch's session state and its kernel
# counters are the observables.
#
#   SPK netns (porter, AS 65100)        SW netns (switch, AS 65000)
#   spk0 10.96.N.2/24 ------veth------- sw0 10.96.N.1/24
# N = 10 bird, 11 frr.
#
# Usage (root): bgp_md5_test.sh <bird|frr> <path-to-porter_bgp_probe>
# Env: KEEP_WORK=1 keeps the scratch directory (configs, daemon logs).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

interop_parse_args "bird=10 frr=11" "$@" # sets daemon, probe, net
interop_init "bgp_md5_$daemon"
require_switch_binaries "$daemon" awk
require_probe "$probe"

readonly SW_AS=65000 PORTER_AS=65100 PREFIX=192.0.2.10/32
readonly SW_IP=10.96.$net.1 SPK_IP=10.96.$net.2 NH=10.96.$net.11
readonly PASSWORD='porter-md5-S3cret' WRONG='porter-md5-wrong'
readonly NEVER=4 # seconds a session must stay down to count as "never"
sfx=$(short_suffix)
readonly NS_SW=pim-${daemon:0:1}-sw-$sfx NS_SPK=pim-${daemon:0:1}-spk-$sfx

# ------------------------------------------------------------- topology ----
switch_link_up "$NS_SW" "$SW_IP/24" "$NS_SPK" "$SPK_IP/24"

# ---------------------------------------------------------------- switch ----
case $daemon in
  bird)
    cat >"$WORK/bird.conf" <<EOF
# BIRD 2 as the switch: eBGP with porter, TCP MD5 required.
$(bird_conf_head "$SW_IP")
protocol bgp porter {
  local $SW_IP as $SW_AS;
  neighbor $SPK_IP as $PORTER_AS;
  password "$PASSWORD";
  graceful restart off;
$(bird_fast_retry)
  ipv4 { import all; export none; add paths rx; };
}
EOF
    bird_launch "$NS_SW" bird
    ;;
  frr)
    mkdir -p "$WORK/frr"
    cat >"$WORK/frr/bgpd.conf" <<EOF
! FRR 8 as the switch: eBGP with porter, TCP MD5 required.
$(frr_conf_head)
router bgp $SW_AS
 bgp router-id $SW_IP
 no bgp ebgp-requires-policy
 neighbor $SPK_IP remote-as $PORTER_AS
 neighbor $SPK_IP password $PASSWORD
 neighbor $SPK_IP timers connect 1
!
EOF
    frr_launch "$NS_SW" bgpd
    ;;
esac
log "switch $daemon up in $NS_SW ($SW_IP, AS $SW_AS), porter in $NS_SPK ($SPK_IP, AS $PORTER_AS)"

# lib.sh's sw_established, sw_down and rib_is check these.
sw_state() { switch_state porter "$SPK_IP"; }
sw_rib() { switch_rib "$PREFIX"; }
# FRR counts established sessions; BIRD has no such counter.
sw_sessions() {
  if [ "$daemon" = frr ]; then frr_nbr_field "$SPK_IP" connectionsEstablished; else echo -; fi
}

# sw_view: the switch's own account of the session (for the log and `fail`).
sw_view() {
  case $daemon in
    bird)
      echo "\$ birdc show protocols all porter"
      birdc_sw show protocols all porter
      ;;
    frr)
      echo "\$ vtysh -c 'show bgp neighbors $SPK_IP'"
      vtysh_sw -c "show bgp neighbors $SPK_IP"
      ;;
  esac
}
counters() {
  local ns c
  for ns in "$NS_SW" "$NS_SPK"; do
    printf '%s:' "$ns"
    for c in TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure; do
      printf ' %s=%s' "$c" "$(tcpext "$ns" "$c")"
    done
    echo
  done
}
dump_view() {
  sw_view
  echo "\$ TcpExt MD5 counters"
  counters
}

base_args=(--local-as "$PORTER_AS" --router-id "$SPK_IP" --peer "$SW_IP"
  --peer-as "$SW_AS" --local-address "$SPK_IP" --hold 9 --connect-retry 1)

# expect_up <step> <what> <t0>: both sides Established within 10 s.
expect_up() {
  probe_wait 10 0 '^established ' "$2"
  poll_until 5 sw_established ||
    fail "step $1: porter is established, the switch says '$(sw_state)'"
  step_ok "$1" "$2 ($(probe_first_since 0 '^established '))" "$3"
}

# expect_never <step> <what> <t0> <netns> <counter> <before> <sessions>: for
# NEVER seconds after t0 neither side reaches Established (and FRR's count of
# established sessions stays <sessions>), and the kernel of <netns> counts
# segments dropped for <counter> past <before> (the reason).
expect_never() {
  local step=$1 what=$2 t0=$3 ns=$4 counter=$5 before=$6 sessions=$7
  poll_until "$NEVER" tcpext_above "$ns" "$counter" "$before" ||
    fail "step $step: $ns counted no $counter within $NEVER s (still $(tcpext "$ns" "$counter")); did anything reach it?"
  probe_quiet_until $((t0 + NEVER * 1000000)) 0 '^established ' ||
    fail "step $step: $what: porter printed '$(probe_first_since 0 '^established ')'"
  pid_alive "$PROBE_PID" || fail "step $step: porter_bgp_probe exited"
  sw_down || fail "step $step: $what: the switch says Established"
  if [ "$daemon" = frr ] && [ "$(sw_sessions)" != "$sessions" ]; then
    fail "step $step: FRR connectionsEstablished went from $sessions to $(sw_sessions)"
  fi
  step_ok "$step" "$what: not Established after $(seconds_since "$t0") s, switch state $(sw_state), $ns $counter $before -> $(tcpext "$ns" "$counter")" "$t0"
}

# ------------------------------------------------------------- scenario ----
# 1. Matching password, porter connects (it does not listen: only its own
#    connection can come up, so the key on its connecting socket is used).
t0=$(now_us)
probe_start --name probe-1 "$NS_SPK" "$probe" "${base_args[@]}" --md5 "$PASSWORD"
expect_up 1 "matching password, porter connects: Established" "$t0"
probe_send "announce $PREFIX $NH"
poll_until 10 rib_is "$NH" || fail "step 1: switch RIB for $PREFIX: '$(sw_rib)', want '$NH'"
step_ok 1 "route in the switch's RIB over the signed session" "$t0"
echo "----- switch view, step 1 ($daemon) -----"
sw_view | grep -Ei '^porter |state|password|md5|Last error|Neighbor address|hold' || true
echo "-----------------------------------------"
probe_stop
poll_until 5 sw_down || fail "step 1: the switch still Established 5 s after porter quit"

# 2. Matching password, porter passive on 179: only the switch's connection
#    can come up, so the key must be on porter's listening socket.
t0=$(now_us)
probe_start --name probe-2 "$NS_SPK" "$probe" "${base_args[@]}" --md5 "$PASSWORD" \
  --passive --listen-port 179
expect_up 2 "matching password, porter passive (listener keyed): Established" "$t0"
probe_stop
poll_until 5 sw_down || fail "step 2: the switch still Established 5 s after porter quit"

# 3. Wrong password, porter connects AND listens: both directions fail.
sessions=$(sw_sessions)
sw_fail=$(tcpext "$NS_SW" TCPMD5Failure)
spk_fail=$(tcpext "$NS_SPK" TCPMD5Failure)
t0=$(now_us)
probe_start --name probe-3 "$NS_SPK" "$probe" "${base_args[@]}" --md5 "$WRONG" \
  --listen-port 179
expect_never 3 "wrong password" "$t0" "$NS_SW" TCPMD5Failure "$sw_fail" "$sessions"
# The switch keeps connecting too; porter's listener must drop its SYNs.
poll_until 3 tcpext_above "$NS_SPK" TCPMD5Failure "$spk_fail" ||
  fail "step 3: porter's namespace counted no TCPMD5Failure (the switch's SYNs to porter's listener)"
step_ok 3 "porter's kernel dropped the switch's segments too: TCPMD5Failure $spk_fail -> $(tcpext "$NS_SPK" TCPMD5Failure)" "$t0"
echo "----- switch view, step 3 (wrong password, $daemon) -----"
sw_view | grep -Ei '^porter |state|Last error|Last reset|Connections|dropped' || true
counters
echo "---------------------------------------------------------"
probe_stop

# 4. No password on porter: the switch drops its unsigned segments.
sessions=$(sw_sessions)
sw_nf=$(tcpext "$NS_SW" TCPMD5NotFound)
t0=$(now_us)
probe_start --name probe-4 "$NS_SPK" "$probe" "${base_args[@]}"
expect_never 4 "no password on porter" "$t0" "$NS_SW" TCPMD5NotFound "$sw_nf" "$sessions"
probe_stop

echo "PASS interop.bgp_md5_$daemon"
