#!/usr/bin/env bash
# Interop: passive porter on a non-standard port, and a switch on a
# non-standard port, against BIRD 2 or FRR 8 as the switch.
#   1 porter --passive --listen-port 17900; the switch is configured to
#     connect to porter's port 17900 -> Established; the switch's socket
#     goes to porter's 17900 (porter did not connect); a route announced by
#     porter reaches the switch's RIB
#   2 porter never connected (no SYN sent from its namespace);
#     connections to 17900 from addresses that are not the configured peer
#     (10.96.N.3 and fd00:96:N::3, second addresses in the switch namespace,
#     so the dual-stack listener is tried over IPv4 and IPv6) are closed
#     without a byte of BGP and logged (bgp_connection_rejected); the
#     session stays up
#   3 the switch listens on 1790 only (BIRD `local ... port 1790`, FRR
#     `bgpd -p 1790`); porter --peer-port 1790 connects -> Established
#
#   SPK netns (porter, AS 65100)        SW netns (switch, AS 65000)
#   spk0 10.96.N.2/24 ------veth------- sw0 10.96.N.1/24 (+ 10.96.N.3/24)
#        fd00:96:N::2/64                    fd00:96:N::1/64 (+ fd00:96:N::3)
# N = 12 bird, 13 frr.
#
# Usage (root): bgp_passive_port_test.sh <bird|frr> <path-to-porter_bgp_probe>
# Env: KEEP_WORK=1 keeps the scratch directory (configs, daemon logs).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

interop_parse_args "bird=12 frr=13" "$@" # sets daemon, probe, net
interop_init "bgp_passive_port_$daemon"
require_switch_binaries "$daemon" ss
require_probe "$probe"

readonly SW_AS=65000 PORTER_AS=65100 PREFIX=192.0.2.12/32
readonly SW_IP=10.96.$net.1 SPK_IP=10.96.$net.2 NH=10.96.$net.11
readonly STRANGER4=10.96.$net.3 STRANGER6=fd00:96:$net::3
readonly SW_IP6=fd00:96:$net::1 SPK_IP6=fd00:96:$net::2
readonly PORTER_PORT=17900 SWITCH_PORT=1790
sfx=$(short_suffix)
readonly NS_SW=pip-${daemon:0:1}-sw-$sfx NS_SPK=pip-${daemon:0:1}-spk-$sfx

# ------------------------------------------------------------- topology ----
switch_link_up "$NS_SW" "$SW_IP/24" "$NS_SPK" "$SPK_IP/24"
ip -n "$NS_SW" addr add "$STRANGER4/24" dev sw0
addr6 "$NS_SW" sw0 "$SW_IP6/64"
addr6 "$NS_SW" sw0 "$STRANGER6/64"
addr6 "$NS_SPK" spk0 "$SPK_IP6/64"

# ---------------------------------------------------------------- switch ----
# switch_start <neighbor port> <listen port>: (re)starts the switch daemon.
starts=0
switch_start() {
  local nbr_port=$1 listen_port=$2
  case $daemon in
    bird)
      cat >"$WORK/bird.conf" <<EOF
# BIRD 2 as the switch: eBGP with porter; porter's port $nbr_port, own
# listening port $listen_port.
$(bird_conf_head "$SW_IP")
protocol bgp porter {
  local $SW_IP port $listen_port as $SW_AS;
  neighbor $SPK_IP port $nbr_port as $PORTER_AS;
  graceful restart off;
$(bird_fast_retry)
  ipv4 { import all; export none; add paths rx; };
}
EOF
      bird_launch "$NS_SW" "bird-$((++starts))"
      ;;
    frr)
      mkdir -p "$WORK/frr"
      cat >"$WORK/frr/bgpd.conf" <<EOF
! FRR 8 as the switch: eBGP with porter; porter's port $nbr_port, own
! listening port $listen_port (bgpd -p).
$(frr_conf_head)
router bgp $SW_AS
 bgp router-id $SW_IP
 no bgp ebgp-requires-policy
 neighbor $SPK_IP remote-as $PORTER_AS
 neighbor $SPK_IP port $nbr_port
 neighbor $SPK_IP timers connect 1
!
EOF
      frr_launch "$NS_SW" "bgpd-$((++starts))" -p "$listen_port"
      ;;
  esac
}

# lib.sh's sw_established and rib_is check these.
sw_state() { switch_state porter "$SPK_IP"; }
sw_rib() { switch_rib "$PREFIX"; }

# sw_sockets: the switch namespace's established TCP sockets to porter,
# "local peer" per line (BIRD binds to the interface: "10.96.N.1%sw0:port").
sw_sockets() {
  ip netns exec "$NS_SW" ss -Htn state established dst "$SPK_IP" |
    awk '{ a = $(NF - 1); sub(/%[^:]*/, "", a); print a, $NF }'
}
sw_listeners() { ip netns exec "$NS_SW" ss -Hltn | awk '{ print $(NF - 1) }' | sort -u | tr '\n' ' '; }

dump_view() {
  case $daemon in
    bird) dump_bird porter ;;
    frr) dump_frr "$PREFIX" ;;
  esac
  echo "\$ ss -tan   (switch namespace)"
  ip netns exec "$NS_SW" ss -tan
  echo "\$ ss -tan   (porter namespace)"
  ip netns exec "$NS_SPK" ss -tan
}

# stranger <source> <destination>: a TCP client in the switch namespace,
# bound to an address that is not porter's configured peer. Prints what it
# got from porter's listener: "eof" (accepted, then closed without a byte),
# "data <n>", "timeout", or "error <text>".
stranger() {
  ip netns exec "$NS_SW" "$PYTHON" - "$1" "$2" "$PORTER_PORT" <<'EOF'
import socket, sys
src, dst, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(3)
try:
    s.bind((src, 0))
    s.connect((dst, port))
    data = s.recv(4096)
    print("eof" if not data else "data %d" % len(data))
except socket.timeout:
    print("timeout")
except OSError as e:
    print("error %s" % e)
EOF
}

base_args=(--local-as "$PORTER_AS" --router-id "$SPK_IP" --peer "$SW_IP"
  --peer-as "$SW_AS" --hold 9 --connect-retry 1)

# ------------------------------------------------------------- scenario ----
# 1. Porter passive on 17900, the switch connects to it.
switch_start "$PORTER_PORT" 179
log "switch $daemon up in $NS_SW ($SW_IP, AS $SW_AS), porter in $NS_SPK ($SPK_IP, AS $PORTER_AS)"
t0=$(now_us)
probe_start --name probe-passive "$NS_SPK" "$probe" "${base_args[@]}" \
  --passive --listen-port "$PORTER_PORT"
probe_wait 15 0 '^established ' "the switch connecting to porter's port $PORTER_PORT"
poll_until 5 sw_established ||
  fail "step 1: porter is established, the switch says '$(sw_state)'"
socks=$(sw_sockets)
if ! [[ $socks == "$SW_IP:"*" $SPK_IP:$PORTER_PORT" ]] || [ "$(wc -l <<<"$socks")" -ne 1 ]; then
  fail "step 1: switch's sockets to porter (local peer): '$socks', want one to $SPK_IP:$PORTER_PORT"
fi
step_ok 1 "passive porter on $PORTER_PORT: Established, switch socket $socks" "$t0"
probe_send "announce $PREFIX $NH"
poll_until 10 rib_is "$NH" || fail "step 1: switch RIB for $PREFIX: '$(sw_rib)', want '$NH'"
step_ok 1 "route in the switch's RIB" "$t0"
up_mark=$(probe_mark)

# 2. Strangers: accepted by the kernel, closed by porter, logged.
t0=$(now_us)
for pair in "$STRANGER4 $SPK_IP" "$STRANGER6 $SPK_IP6"; do
  read -r src dst <<<"$pair"
  got=$(stranger "$src" "$dst")
  [ "$got" = eof ] ||
    fail "step 2: stranger $src -> $dst port $PORTER_PORT got '$got', want 'eof' (accepted, closed without a byte)"
  want_from=$src
  [[ $src == *:* ]] && want_from="\\[$src\\]"
  poll_until 3 probe_stderr_has "bgp_connection_rejected.*$want_from:[0-9]+" ||
    fail "step 2: no bgp_connection_rejected for $src in the probe's stderr"
  step_ok 2 "stranger $src -> $dst:$PORTER_PORT closed and logged: $(grep -E "bgp_connection_rejected.*$want_from:" "$WORK/probe-passive.err" | head -n 1)" "$t0"
done
if probe_saw_since "$up_mark" '^down( |$)'; then
  fail "step 2: the session dropped: $(probe_first_since "$up_mark" '^down')"
fi
sw_established || fail "step 2: the switch says '$(sw_state)' after the strangers"
rib_is "$NH" || fail "step 2: switch RIB for $PREFIX: '$(sw_rib)' after the strangers"
step_ok 2 "session and route untouched" "$t0"
# --passive: porter never sent a SYN (its namespace holds nothing else).
opens=$(tcp_mib "$NS_SPK" ActiveOpens)
[ "$opens" -eq 0 ] ||
  fail "step 2: porter is --passive, yet its namespace counts $opens active opens (connect SYNs)"
step_ok 2 "passive porter never connected (Tcp ActiveOpens 0 in its namespace, $(tcp_mib "$NS_SPK" PassiveOpens) accepted)" "$t0"
probe_stop

# 3. The switch on 1790 only; porter connects there.
sw_stop
switch_start 179 "$SWITCH_PORT"
listeners=$(sw_listeners)
[[ " $listeners" == *":$SWITCH_PORT "* ]] ||
  fail "step 3: the switch does not listen on $SWITCH_PORT (listeners: $listeners)"
[[ " $listeners" != *":179 "* ]] ||
  fail "step 3: the switch still listens on 179 (listeners: $listeners)"
t0=$(now_us)
probe_start --name probe-port "$NS_SPK" "$probe" "${base_args[@]}" \
  --local-address "$SPK_IP" --peer-port "$SWITCH_PORT"
probe_wait 15 0 '^established ' "porter connecting to the switch's port $SWITCH_PORT"
poll_until 5 sw_established ||
  fail "step 3: porter is established, the switch says '$(sw_state)'"
socks=$(sw_sockets)
if ! [[ $socks == "$SW_IP:$SWITCH_PORT $SPK_IP:"* ]] || [ "$(wc -l <<<"$socks")" -ne 1 ]; then
  fail "step 3: switch's sockets to porter (local peer): '$socks', want one on $SW_IP:$SWITCH_PORT"
fi
step_ok 3 "porter --peer-port $SWITCH_PORT: Established, switch socket $socks (switch listens on: $listeners)" "$t0"
probe_send "announce $PREFIX $NH"
poll_until 10 rib_is "$NH" || fail "step 3: switch RIB for $PREFIX: '$(sw_rib)', want '$NH'"
step_ok 3 "route in the switch's RIB" "$t0"
probe_stop

echo "PASS interop.bgp_passive_port_$daemon"
