#!/usr/bin/env bash
# Interop (issue #8 item 4): `porter manager` announces EIPs from the cluster
# to a real BIRD 2 switch; BIRD's kernel FIB is the judge. The API server
# emulator and BIRD share the switch namespace; each manager replica has its
# own namespace on the switch's bridge, like pods on two nodes.
#   1 a Service (ETP Local) with endpoints on 3 of 5 nodes → 3 next hops
#   2 scaled to 1 endpoint → 1; 3 ETP Cluster → all 5 Ready nodes;
#   4 a node NotReady → 4; 5 ETP Local, last endpoint gone → withdrawn
#   6 a second replica; leader SIGTERM → the route never leaves the FIB
#     (polled every 10 ms across the handover)
#   7 leader kill -9 → the route stays (graceful restart, stale) and the
#     new leader refreshes it within LeaseDuration + 2 s
#   8 editing one BgpPeer's hold time resets only that session
#   9 Service deleted → withdrawn, IP back in the pool
# Also: BgpPeer status.nodesPeerStatus[replica] shows the session.
#
#   SW netns: br0 10.96.N.1/24, BIRD AS 65000, API server on 10.96.N.1
#   M1 netns: eth0 10.96.N.2 (replica m1, node-1)   both AS 65100
#   M2 netns: eth0 10.96.N.3 (replica m2, node-2)
#   nodes node-1..5 = 10.96.N.11-15 (permanent neighbours on br0)
#
# Usage (root): manager_bgp_test.sh bird <path-to-porter>
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

interop_parse_args "bird=20" "$@" # sets daemon, probe (= porter), net
interop_init "manager_bgp_$daemon"
require_switch_binaries "$daemon" kubectl
require_probe "$probe"
porter=$probe
# shellcheck source=lib_manager.sh
source "$here/lib_manager.sh"
manager_lab_vars
manager_lab_up

# tor-b: a second switch (its own BIRD on 10.96.N.4), only to see that
# editing one BgpPeer leaves the other session alone. One BIRD with two
# protocols for the same neighbour address mixes up their connections.
cat >"$WORK/bird-b.conf" <<EOF
$(bird_conf_head "$SW2_IP")
template bgp replica_b {
  local $SW2_IP as $SW_AS;
  strict bind on;
$(bird_fast_retry)
  ipv4 { import none; export none; add paths rx; };
}
protocol bgp m1b from replica_b { neighbor $M1_IP as $PORTER_AS; }
protocol bgp m2b from replica_b { neighbor $M2_IP as $PORTER_AS; }
EOF
bird -p -c "$WORK/bird-b.conf" >"$WORK/bird-b-check.log" 2>&1 ||
  fail "BIRD rejected bird-b.conf: $(cat "$WORK/bird-b-check.log")"
start_bg bird-b ip netns exec "$NS_SW" bird -f -c "$WORK/bird-b.conf" \
  -s "$WORK/bird-b.ctl" -P "$WORK/bird-b.pid"
birdc_b() { timeout "$CLI_TIMEOUT" birdc -s "$WORK/bird-b.ctl" "$@"; }
poll_until 10 birdc_b show status >/dev/null || fail "BIRD (tor-b) not answering"
sw_fib() { fib_nexthops "$NS_SW" "$PREFIX"; }
dump_view() {
  birdc_sw show protocols all
  birdc_sw show route all
  ip -n "$NS_SW" route show
}

k apply -f - >/dev/null <<EOF
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata:
  name: pool
  annotations: {eip.openelb.kubesphere.io/is-default-eip: "true"}
spec: {address: 10.200.$net.10-10.200.$net.20}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpConf
metadata: {name: default}
spec: {as: $PORTER_AS, listenPort: 17900}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpPeer
metadata: {name: tor}
spec:
  conf: {neighborAddress: $SW_IP, peerAs: $SW_AS}
  gracefulRestart: {enabled: true, restartTime: 30}
  afiSafis:
  - config: {family: {afi: AFI_IP, safi: SAFI_UNICAST}, enabled: true}
    addPaths: {config: {sendMax: 8}}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpPeer
metadata: {name: tor-b}
spec:
  conf: {neighborAddress: $SW2_IP, peerAs: $SW_AS}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations: {lb.kubesphere.io/v1alpha1: porter}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  ports: [{port: 80, protocol: TCP}]
EOF
web_endpoints 1 2 3

# ------------------------------------------------------------- managers ----
declare -A mpid=()
start_manager() { # start_manager <1|2>
  local ns_var=NS_M$1
  start_bg "m$1" ip netns exec "${!ns_var}" "$porter" manager \
    --kubeconfig "$WORK/kubeconfig" --namespace porter-system \
    --identity "m$1" --node-name "node-$1" --admin-listen 127.0.0.1:0 \
    --lease-duration "$LEASE" --renew-deadline 3 --retry-period 1 \
    --shutdown-grace 2
  mpid[$1]=$LAST_PID
}
holder() {
  k get lease -n porter-system porter-manager -o jsonpath='{.spec.holderIdentity}'
}
holder_is() { [ "$(holder)" = "$1" ]; }
start_manager 1
fib_is() { [ "$(sw_fib)" = "$1" ]; }
expect_fib() { # expect_fib <step> <what> <next hops...>
  local step=$1 what=$2 t0
  t0=$(now_us)
  shift 2
  poll_until 15 fib_is "$*" ||
    fail "step $step ($what): BIRD's FIB for $PREFIX: '$(sw_fib)', want '$*'"
  step_ok "$step" "$what" "$t0"
}
expect_fib 1 "endpoints on 3 of 5 nodes → 3 next hops" "$N1 $N2 $N3"
echo "--- BIRD's view, 3-node case ---"
birdc_sw show route all "$PREFIX"
ip -n "$NS_SW" route show "$PREFIX"
echo "---"

t1=$(now_us)
peer_field() { # peer_field <BgpPeer> <replica> <peerState field>
  k get bgppeer "$1" -o jsonpath="{.status.nodesPeerStatus.$2.peerState.$3}"
}
field_is() { [ "$(peer_field "$1" "$2" "$3")" = "$4" ]; }
poll_until 10 field_is tor m1 sessionState ESTABLISHED ||
  fail "step 1: BgpPeer status of m1: '$(peer_field tor m1 sessionState)'"
poll_until 35 field_is tor m1 advertisedPaths 3 ||
  fail "step 1: BgpPeer status advertisedPaths: '$(peer_field tor m1 advertisedPaths)'"
step_ok 1b "BgpPeer status: m1 ESTABLISHED, 3 paths advertised" "$t1"

web_endpoints 2
expect_fib 2 "scaled to 1 endpoint → 1 next hop" "$N2"
k patch svc web --type merge -p '{"spec":{"externalTrafficPolicy":"Cluster"}}' >/dev/null
expect_fib 3 "ETP Cluster → all 5 Ready nodes" "$N1 $N2 $N3 $N4 $N5"
# Unrelated changes cause no UPDATE (issue #8 item 1): BIRD's count of
# updates received from m1 stays.
updates_from() { birdc_sw show protocols all "$1" | awk '/Import updates:/ { print $3 }'; }
before_updates=$(updates_from m1)
[[ $before_updates =~ ^[0-9]+$ ]] && [ "$before_updates" -gt 0 ] ||
  fail "step 3b: no update count from BIRD: '$before_updates'"
k label svc web team=blue >/dev/null
node_json node-6 10.96.$net.16 False | k create -f - >/dev/null
k annotate node node-1 example.com/note=x >/dev/null
sleep 0.3 # several coalescing windows
[ "$(updates_from m1)" = "$before_updates" ] ||
  fail "step 3b: unrelated changes sent UPDATEs ($before_updates → $(updates_from m1))"
step_ok 3b "unrelated changes: still $before_updates updates" "$(now_us)"
k patch node node-5 --subresource=status --type merge \
  -p '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}' >/dev/null
expect_fib 4 "a node NotReady → 4" "$N1 $N2 $N3 $N4"
k patch svc web --type merge -p '{"spec":{"externalTrafficPolicy":"Local"}}' >/dev/null
web_endpoints
expect_fib 5 "ETP Local, last endpoint gone → withdrawn" ""
events() {
  k get events -A -o jsonpath='{range .items[*]}{.reason}{"\n"}{end}'
  k get events.v1.events.k8s.io -A -o jsonpath='{range .items[*]}{.reason}{"\n"}{end}'
}
has_event() { events | grep -q "$1"; }
poll_until 10 has_event NoEligibleNode || fail "step 5: no NoEligibleNode Event"

# --- failover: SIGTERM of the leader keeps the route in the FIB -------------
k patch svc web --type merge -p '{"spec":{"externalTrafficPolicy":"Cluster"}}' >/dev/null
expect_fib 6a "back to ETP Cluster" "$N1 $N2 $N3 $N4"
start_manager 2
established() { birdc_sw show protocols "$1" | grep -q Established; }
established_b() { birdc_b show protocols "$1" | grep -q Established; }
poll_until 15 established m2 || fail "step 6: replica m2's session did not come up"
[ "$(holder)" = m1 ] || fail "step 6: m1 should lead, holder is '$(holder)'"
# The FIB is polled every 10 ms in the background across the handover.
fib_poller() {
  local gaps=0 polls=0
  while [ ! -e "$WORK/poll.stop" ]; do
    polls=$((polls + 1))
    [ -n "$(ip -n "$NS_SW" route show "$PREFIX")" ] || gaps=$((gaps + 1))
    sleep 0.01
  done
  echo "$gaps $polls" >"$WORK/poll.result"
}
fib_poller &
poller=$!
t0=$(now_us)
kill -TERM "${mpid[1]}"
m1_gone() { pid_dead "${mpid[1]}"; }
poll_until 15 m1_gone || fail "step 6: m1 did not stop after SIGTERM"
poll_until 5 holder_is m2 || fail "step 6: m2 did not take over (holder '$(holder)')"
m1_session_closed() { ! established m1; }
poll_until 5 m1_session_closed || fail "step 6: m1's session is still up"
sleep 0.5 # and BIRD has acted on the Cease: more probes after it
touch "$WORK/poll.stop"
wait "$poller"
read -r gaps polls <"$WORK/poll.result"
[ "$gaps" -eq 0 ] || fail "step 6: the route left BIRD's FIB in $gaps of $polls polls"
step_ok 6 "SIGTERM handover, route in the FIB at every one of $polls polls" "$t0"
expect_fib 6b "m2 announces" "$N1 $N2 $N3 $N4"

# --- kill -9: graceful restart keeps the route, the new leader refreshes ---
start_manager 1
poll_until 15 established m1 || fail "step 7: m1's session did not come back"
t0=$(now_us)
kill -9 "${mpid[2]}"
poll_until $((LEASE + 2)) holder_is m1 ||
  fail "step 7: m1 did not lead within LeaseDuration + 2 s"
fib_is "$N1 $N2 $N3 $N4" || fail "step 7: route changed after kill -9: '$(sw_fib)'"
m1_announces() { birdc_sw show route all "$PREFIX" protocol m1 | grep -q "$N1"; }
poll_until 5 m1_announces || fail "step 7: m1 did not refresh the route"
step_ok 7 "kill -9: route kept, refreshed by the new leader" "$t0"
# The crashed replica comes back as a follower: its End-of-RIB without
# routes ends BIRD's stale copy of its old ones (RFC 4724 §4.2).
start_manager 2
m2_stale_gone() { ! birdc_sw show route all "$PREFIX" protocol m2 | grep -q "$N1"; }
poll_until 15 m2_stale_gone || fail "step 7: m2's stale routes stay after it came back"

# --- a bad BgpPeer: an Event, the others keep running ----------------------
k apply -f - >/dev/null <<EOF
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpPeer
metadata: {name: bad}
spec:
  conf: {neighborAddress: 10.96.$net.9, peerAs: $SW_AS} # no one there
  timers: {config: {holdTime: "soon"}}
EOF
poll_until 10 has_event InvalidHoldTime || fail "step 7b: no InvalidHoldTime Event"
valid_is() { [ "$(k get bgppeer bad -o jsonpath='{.status.conditions[?(@.type=="Valid")].reason}')" = "$1" ]; }
poll_until 10 valid_is InvalidHoldTime || fail "step 7b: no Valid=False condition"
k patch bgppeer bad --type merge -p '{"spec":{"timers":{"config":{"holdTime":"30"}}}}' >/dev/null
poll_until 10 valid_is Accepted || fail "step 7b: the condition did not come back to Valid=True"
established m1 || fail "step 7b: the tor session went down"
step_ok 7b "an invalid BgpPeer gets an Event, the rest keeps running" "$(now_us)"
k delete bgppeer bad >/dev/null

# --- editing one BgpPeer resets only its session ---------------------------
since() { birdc_sw show protocols "$1" | awk -v p="$1" '$1 == p { print $4 }'; }
poll_until 15 established_b m1b || fail "step 8: m1's tor-b session is not up"
m1_since=$(since m1)
t0=$(now_us)
k patch bgppeer tor-b --type merge -p '{"spec":{"timers":{"config":{"holdTime":"30"}}}}' >/dev/null
hold_30() { birdc_b show protocols all m1b | grep -Eq 'Hold timer: +[0-9.]+/30'; }
poll_until 15 hold_30 || fail "step 8: tor-b's session did not come back with hold time 30"
[ "$(since m1)" = "$m1_since" ] ||
  fail "step 8: the tor session was reset too (since $m1_since → $(since m1))"
fib_is "$N1 $N2 $N3 $N4" || fail "step 8: route changed: '$(sw_fib)'"
step_ok 8 "hold time edit of tor-b resets only that session" "$t0"

# --- Service deleted → withdrawn, IP back -------------------------------
k delete svc web --wait=false >/dev/null
expect_fib 9 "Service deleted → withdrawn" ""
pool_empty() { [ "$(k get eip pool -o jsonpath='{.status.usage}')" = 0 ]; }
poll_until 10 pool_empty || fail "step 9: the pool's usage is not 0"
log "PASS"
