#!/bin/bash
# Captures golden BGP wire fixtures (OPEN, UPDATEs, End-of-RIB) from BIRD 2,
# FRR bgpd and gobgpd. Each daemon runs as the "sender" in a throwaway
# network namespace and peers over a veth with capture_peer.py, a passive
# endpoint in a second namespace that writes every message it receives to
# <out>/<peer>_<NN>_<type>.bin. Addresses exist only inside the namespaces
# (10.97.0.0/24, fd00:97::/64); announced prefixes are documentation ranges.
#
# Usage (root): test/golden/capture.sh [peer...]   peers: bird frr gobgp
# Env: OUT (default test/golden/fixtures), KEEP_WORK=1 keeps the scratch dir.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:-$here/fixtures}
peers=("$@")
[ ${#peers[@]} -gt 0 ] || peers=(bird frr gobgp)

ns_cap=porter-gold-cap
ns_snd=porter-gold-snd
frr_ns=porter-gold # FRR pathspace (-N): /var/run/frr/porter-gold
cap_v4=10.97.0.1
snd_v4=10.97.0.2
cap_v6=fd00:97::1
snd_v6=fd00:97::2
cap_ll=fe80::97:1
snd_ll=fe80::97:2
cap_as=65097
pfx4=203.0.113.10/32
pfx6=2001:db8:97::10/128
python=/usr/bin/python3

work=$(mktemp -d /tmp/porter-golden.XXXXXX)
chmod 755 "$work" # FRR daemons run as user frr and must reach their pid dir
pids=()

log() { echo "capture.sh: $*" >&2; }
die() {
  log "FAILED: $*"
  exit 1
}

# Stops one PID: SIGTERM, wait up to 5 s, then SIGKILL.
stop_pid() {
  local pid=$1 deadline=$((SECONDS + 5))
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    stop_pid "${pids[$i]}"
  done
  pids=()
}

cleanup() {
  local rc=$?
  set +e
  stop_all
  ip netns del $ns_cap 2>/dev/null
  ip netns del $ns_snd 2>/dev/null
  rm -rf "/var/run/frr/$frr_ns"
  if [ "${KEEP_WORK:-0}" = 1 ] || [ $rc -ne 0 ]; then
    log "scratch directory kept: $work"
  else
    rm -rf "$work"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start <name> <command...>: background process, PID recorded for cleanup.
start() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  log "started $name (pid $!)"
}

# wait_until <seconds> <what> <command...>: polls with a deadline.
wait_until() {
  local secs=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${secs}s waiting for $what"
    sleep 0.1
  done
}

topology_up() {
  ip netns del $ns_cap 2>/dev/null || true
  ip netns del $ns_snd 2>/dev/null || true
  ip netns add $ns_cap
  ip netns add $ns_snd
  ip link add gcap0 netns $ns_cap type veth peer name gsnd0 netns $ns_snd
  ip -n $ns_cap link set lo up
  ip -n $ns_snd link set lo up
  ip -n $ns_cap addr add $cap_v4/24 dev gcap0
  ip -n $ns_snd addr add $snd_v4/24 dev gsnd0
  # Fixed link-local addresses, no DAD: an IPv6 next hop that includes the
  # link-local address (RFC 2545 §3) is then the same on every capture.
  ip -n $ns_cap link set gcap0 addrgenmode none
  ip -n $ns_snd link set gsnd0 addrgenmode none
  ip -n $ns_cap addr add $cap_v6/64 dev gcap0 nodad
  ip -n $ns_snd addr add $snd_v6/64 dev gsnd0 nodad
  ip -n $ns_cap addr add $cap_ll/64 dev gcap0 nodad
  ip -n $ns_snd addr add $snd_ll/64 dev gsnd0 nodad
  ip -n $ns_cap link set gcap0 up
  ip -n $ns_snd link set gsnd0 up
}

topology_down() {
  ip netns del $ns_cap 2>/dev/null || true
  ip netns del $ns_snd 2>/dev/null || true
}

# ---------------------------------------------------------------- BIRD 2 ----
# AS 4200000001 (needs 4 octets: My AS is AS_TRANS). Three static routes for
# the same /32 with different next hops, sent as three ADD-PATH paths.
start_bird() {
  cat >"$work/bird.conf" <<EOF
log "$work/bird-daemon.log" all;
router id $snd_v4;
protocol device { scan time 10; }
protocol static s4a { ipv4; route $pfx4 via 10.97.0.11; }
protocol static s4b { ipv4; route $pfx4 via 10.97.0.12; }
protocol static s4c { ipv4; route $pfx4 via 10.97.0.13; }
protocol static s6 { ipv6; route $pfx6 via fd00:97::11; }
filter out_attrs {
  bgp_med = 100;
  bgp_community.add((65000, 100));
  bgp_community.add((65000, 200));
  bgp_large_community.add((4200000001, 1, 2));
  accept;
}
protocol bgp capture {
  local $snd_v4 as 4200000001;
  neighbor $cap_v4 as $cap_as;
  connect delay time 1;
  connect retry time 2;
  error wait time 1, 5;
  ipv4 { import none; export filter out_attrs; add paths tx; next hop keep; };
  ipv6 { import none; export filter out_attrs; next hop keep; };
}
EOF
  bird -p -c "$work/bird.conf" || die "bird config check"
  start bird ip netns exec $ns_snd bird -f -c "$work/bird.conf" \
    -s "$work/bird.ctl" -P "$work/bird.pid"
  wait_until 10 "BIRD control socket" birdc -s "$work/bird.ctl" show status
  wait_until 10 "BIRD routes" bird_ready
}

bird_ready() {
  [ "$(birdc -s "$work/bird.ctl" show route $pfx4 | grep -c 'via 10.97.0.1')" -eq 3 ] \
    && birdc -s "$work/bird.ctl" show route $pfx6 | grep -q 'via fd00:97::11'
}

# ----------------------------------------------------------- FRR 8 bgpd ----
# AS 65002. Two local paths for the /32 (a `network` statement, next hop self,
# and a redistributed kernel route via 10.97.0.12) sent with
# addpath-tx-all-paths; zebra runs so that bgpd sees routes and addresses.
start_frr() {
  local run=$work/frr-run
  mkdir -p "$run" "$work/frr"
  chown frr:frr "$run"
  : >"$work/frr/vtysh.conf"
  cat >"$work/frr/zebra.conf" <<EOF
hostname porter-gold-frr
log stdout informational
EOF
  cat >"$work/frr/bgpd.conf" <<EOF
frr defaults traditional
hostname porter-gold-frr
log stdout informational
!
route-map out_attrs permit 10
 set origin igp
 set metric 200
 set community 65000:100 65000:200
 set large-community 65002:1:2
exit
!
router bgp 65002
 bgp router-id $snd_v4
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $cap_v4 remote-as $cap_as
 neighbor $cap_v4 timers connect 1
 address-family ipv4 unicast
  network $pfx4
  redistribute kernel
  neighbor $cap_v4 addpath-tx-all-paths
  neighbor $cap_v4 route-map out_attrs out
 exit-address-family
 address-family ipv6 unicast
  network $pfx6
  neighbor $cap_v4 activate
  neighbor $cap_v4 route-map out_attrs out
 exit-address-family
!
EOF
  chmod 644 "$work/frr/"*.conf
  ip -n $ns_snd route add $pfx4 via 10.97.0.12 dev gsnd0
  start zebra ip netns exec $ns_snd /usr/lib/frr/zebra -N $frr_ns \
    -f "$work/frr/zebra.conf" -i "$run/zebra.pid" -A 127.0.0.1
  wait_until 10 "zebra zserv.api" test -S /var/run/frr/$frr_ns/zserv.api
  start bgpd ip netns exec $ns_snd /usr/lib/frr/bgpd -N $frr_ns \
    -f "$work/frr/bgpd.conf" -i "$run/bgpd.pid" -A 127.0.0.1
  wait_until 10 "FRR routes" frr_ready
}

vtysh_frr() {
  vtysh --vty_socket /var/run/frr/$frr_ns --config_dir "$work/frr" "$@"
}

frr_ready() {
  local v4 v6
  v4=$(vtysh_frr -c "show bgp ipv4 unicast $pfx4 json")
  v6=$(vtysh_frr -c "show bgp ipv6 unicast $pfx6 json")
  $python -c 'import json,sys
v4 = json.loads(sys.argv[1]); v6 = json.loads(sys.argv[2])
sys.exit(0 if len(v4.get("paths", [])) == 2 and v6.get("paths") else 1)' \
    "$v4" "$v6"
}

# ---------------------------------------------------------- gobgpd 3.10 ----
# AS 4200000003 (My AS is AS_TRANS). ADD-PATH send for both families; three
# paths for the /32 (identifiers 1..3), one for the /128.
start_gobgp() {
  cat >"$work/gobgpd.toml" <<EOF
[global.config]
  as = 4200000003
  router-id = "$snd_v4"
  port = -1

[[neighbors]]
  [neighbors.config]
    neighbor-address = "$cap_v4"
    peer-as = $cap_as
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "$snd_v4"
  # gobgpd sends End-of-RIB only when graceful restart is negotiated.
  [neighbors.graceful-restart.config]
    enabled = true
    restart-time = 120
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
    [neighbors.afi-safis.mp-graceful-restart.config]
      enabled = true
    [neighbors.afi-safis.add-paths.config]
      send-max = 8
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
    [neighbors.afi-safis.mp-graceful-restart.config]
      enabled = true
    [neighbors.afi-safis.add-paths.config]
      send-max = 8
EOF
  gobgpd -d -f "$work/gobgpd.toml" >"$work/gobgpd-check.log" 2>&1 \
    || die "gobgpd config check: $(cat "$work/gobgpd-check.log")"
  start gobgpd ip netns exec $ns_snd gobgpd -f "$work/gobgpd.toml" -p -l info \
    --api-hosts 127.0.0.1:50051 --pprof-disable
  wait_until 10 "gobgpd API" ip netns exec $ns_snd gobgp global
  local id attrs
  # gobgp takes several communities as one comma-separated argument.
  # shellcheck disable=SC2054
  attrs=(origin igp med 300 community 65000:100,65000:200
    large-community 4200000003:1:2)
  for id in 1 2 3; do
    ip netns exec $ns_snd gobgp global rib add -a ipv4 $pfx4 identifier $id \
      nexthop 10.97.0.1$id "${attrs[@]}"
  done
  ip netns exec $ns_snd gobgp global rib add -a ipv6 $pfx6 identifier 1 \
    nexthop $snd_v6 "${attrs[@]}"
  wait_until 10 "gobgp routes" gobgp_ready
}

gobgp_ready() {
  [ "$(ip netns exec $ns_snd gobgp global rib -a ipv4 | grep -c 203.0.113.10)" -eq 3 ] \
    && ip netns exec $ns_snd gobgp global rib -a ipv6 | grep -q 2001:db8:97::10
}

# ------------------------------------------------------------------------
capture_one() {
  local peer=$1 tmp=$work/out-$1 rc=0
  log "=== $peer"
  topology_up
  "start_$peer"
  mkdir -p "$tmp"
  # The daemon retries its connection every 1-2 s; capture_peer accepts it.
  ip netns exec $ns_cap $python "$here/capture_peer.py" --listen $cap_v4 \
    --as $cap_as --bgp-id $cap_v4 --peer "$peer" --out "$tmp" --timeout 40 \
    2>"$work/capture-$peer.log" &
  pids+=($!)
  wait $! || rc=$?
  unset 'pids[${#pids[@]}-1]'
  cat "$work/capture-$peer.log" >&2
  [ $rc -eq 0 ] || die "$peer: capture_peer.py exited with $rc"
  stop_all
  topology_down
  rm -f "$out/${peer}"_*.bin
  mkdir -p "$out"
  cp "$tmp"/*.bin "$out/"
  log "$peer: $(find "$tmp" -name '*.bin' | wc -l) messages captured"
}

[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces)"
for p in "${peers[@]}"; do
  case $p in
    bird | frr | gobgp) capture_one "$p" ;;
    *) die "unknown peer '$p' (bird, frr, gobgp)" ;;
  esac
done
log "fixtures in $out"
