#!/usr/bin/env bash
# A real Prometheus server scrapes `porter manager` (issue #11 items 4, 6):
# the manager lab (BIRD as the switch, the API server emulator) with one
# replica whose admin endpoint listens on its namespace's address;
# Prometheus runs in the switch's namespace, scrapes every second, and the
# query sum(porter_bgp_session_up) returns the number of Established peers
# — 1 with the session up, 0 after BIRD disables it. `porter inspect`
# reads the same replica's /debug/ pages (peers, routes) across the
# namespace with the bearer token, and is refused without it.
# usage: prometheus_test.sh bird <path-to-porter>
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"

interop_parse_args "bird=24" "$@" # sets daemon, probe (= porter), net
interop_init "prometheus_$daemon"
require_switch_binaries "$daemon" kubectl prometheus curl
require_probe "$probe"
porter=$probe
source "$here/lib_manager.sh"
manager_lab_vars
manager_lab_up
dump_view() {
  birdc_sw show protocols
  tail -5 "$WORK/prometheus.err"
}

k apply -f - >/dev/null <<YAML
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpConf
metadata: {name: default}
spec: {as: $PORTER_AS, listenPort: -1}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpPeer
metadata: {name: tor}
spec:
  conf: {neighborAddress: $SW_IP, peerAs: $SW_AS}
  afiSafis:
  - config: {family: {afi: AFI_IP, safi: SAFI_UNICAST}, enabled: true}
    addPaths: {config: {sendMax: 8}}
---
# BIRD has no protocol for this address: the session never comes up.
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpPeer
metadata: {name: tor-b}
spec:
  conf: {neighborAddress: $SW2_IP, peerAs: $SW_AS}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata: {name: pool}
spec: {address: $EIP-10.200.$net.20}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations: {lb.kubesphere.io/v1alpha1: porter, eip.openelb.kubesphere.io/v1alpha2: pool}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  ports: [{port: 80, protocol: TCP}]
YAML
web_endpoints 1 2 3
echo "tok-$RANDOM$RANDOM" >"$WORK/admin-token"
start_bg m1 ip netns exec "$NS_M1" "$porter" manager \
  --kubeconfig "$WORK/kubeconfig" --namespace porter-system --identity m1 \
  --node-name node-1 --admin-listen "$M1_IP:9610" \
  --admin-token-file "$WORK/admin-token" \
  --lease-duration "$LEASE" --renew-deadline 3 --retry-period 1
established() { birdc_sw show protocols m1 | grep Established >/dev/null; }
poll_until 15 established || fail "the manager's session did not come up"

cat >"$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
- job_name: porter-manager
  static_configs: [{targets: ["$M1_IP:9610"]}]
YAML
start_bg prometheus ip netns exec "$NS_SW" prometheus \
  --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address=127.0.0.1:9090
query() { # query <PromQL>: the first result's value, "" when none
  ip netns exec "$NS_SW" curl -sf -G 'http://127.0.0.1:9090/api/v1/query' \
    --data-urlencode "query=$1" |
    "$PYTHON" -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
sessions_up_is() { [ "$(query 'sum(porter_bgp_session_up)')" = "$1" ]; }
t=$(now_us)
poll_until 30 sessions_up_is 1 ||
  fail "sum(porter_bgp_session_up) = '$(query 'sum(porter_bgp_session_up)')', want 1"
[ "$(query 'porter_leader{lease="porter-manager"}')" = 1 ] ||
  fail "porter_leader: '$(query 'porter_leader{lease="porter-manager"}')'"
[ "$(query 'up{job="porter-manager"}')" = 1 ] || fail "the scrape target is not up"
step_ok 1 "Prometheus: sum(porter_bgp_session_up) = 1 with the session up" "$t"

t=$(now_us)
inspect() { ip netns exec "$NS_SW" "$porter" inspect --endpoint "$M1_IP:9610" "$@"; }
peers_row() { inspect peers --token-file "$WORK/admin-token" | grep -E '^tor +Established ' >/dev/null; }
poll_until 3 peers_row || fail "inspect peers: $(inspect peers --token-file "$WORK/admin-token" 2>&1)"
inspect peers --token-file "$WORK/admin-token"
inspect routes --token-file "$WORK/admin-token" | grep '^advertising (leader)' >/dev/null ||
  fail "inspect routes: $(inspect routes --token-file "$WORK/admin-token" 2>&1)"
denied=$(inspect peers 2>&1 >/dev/null) && fail "inspect without the token was let in"
[[ $denied == *"401"* ]] || fail "inspect without the token: '$denied'"
step_ok 1b "inspect peers/routes with the token; refused without it" "$t"

# Items 2 and 6: the actors a manager with two peers and one pool runs;
# what porter says it advertises equals what the switch has.
t=$(now_us)
tok=(--token-file "$WORK/admin-token")
sw_fib() { fib_nexthops "$NS_SW" "$PREFIX"; }
fib_has_three() { [ "$(sw_fib)" = "$N1 $N2 $N3" ]; }
poll_until 15 fib_has_three || fail "BIRD's FIB for $PREFIX: '$(sw_fib)'"
# /debug/bgp/peers follows the UPDATEs within a second or two, not 30 s.
paths_row() { inspect peers "${tok[@]}" | grep -E '^tor +Established +[0-9:]+ +3 ' >/dev/null; }
poll_until 3 paths_row || fail "inspect peers: tor's 3 paths not shown: $(inspect peers "${tok[@]}" 2>&1)"
echo "--- porter inspect actors"
inspect actors "${tok[@]}" | tee "$WORK/actors.txt"
kind_count() { awk -v k="$1" 'NR > 1 && $1 == k' "$WORK/actors.txt" | wc -l; }
for want in bgp_session=2 eip_pool=1 manager=1 announcer=1 leader_elector=1 \
  bgp_speaker=1 event_recorder=1; do
  [ "$(kind_count "${want%=*}")" = "${want#*=}" ] ||
    fail "inspect actors: $(kind_count "${want%=*}") ${want%=*}, want ${want#*=}"
done
# Every watched kind once (services, eips, namespaces, endpointslices,
# nodes, bgpconfs, bgppeers, secrets, leases).
[ "$(kind_count watcher)" = 9 ] || fail "inspect actors: $(kind_count watcher) watchers, want 9"
grep -Eq '^bgp_session +tor +[0-9]+ +[0-9]+ .*Established, 3 paths sent$' "$WORK/actors.txt" ||
  fail "inspect actors: the tor session's row"
grep -Eq '^eip_pool +pool .*used 1/11 Ready$' "$WORK/actors.txt" ||
  fail "inspect actors: the pool's row"
routes=$(inspect routes "${tok[@]}" "$PREFIX")
echo "$routes"
grep -Eq "^$EIP +$N1 $N2 $N3 +default/web\$" <<<"$routes" ||
  fail "inspect routes $PREFIX does not show BIRD's next hops $N1 $N2 $N3"
[ "$(inspect routes "${tok[@]}" 192.168.0.0/16 | grep -c "^$EIP" || true)" = 0 ] ||
  fail "inspect routes 192.168.0.0/16 shows $EIP"
step_ok 1c "inspect actors: kinds and counts; inspect routes = BIRD's FIB" "$t"

t=$(now_us)
[ "$(query 'sum(porter_bgp_session_up)')" = 1 ] || fail "two peers, one up: '$(query 'sum(porter_bgp_session_up)')'"
[ "$(query 'porter_bgp_session_state{peer="tor"}')" = 6 ] ||
  fail "porter_bgp_session_state tor: '$(query 'porter_bgp_session_state{peer="tor"}')'"
state_b=$(query 'porter_bgp_session_state{peer="tor-b"}')
[[ $state_b == [123] ]] || fail "porter_bgp_session_state tor-b: '$state_b' (Idle/Connect/Active)"
bird_paths=$(birdc_sw show route protocol m1 "$PREFIX" | grep -c "via ")
prefixes_is_bird() { [ "$(query 'porter_bgp_prefixes_advertised{peer="tor"}')" = "$bird_paths" ]; }
poll_until 5 prefixes_is_bird ||
  fail "porter_bgp_prefixes_advertised: '$(query 'porter_bgp_prefixes_advertised{peer="tor"}')', BIRD has $bird_paths"
uptime=$(query 'porter_bgp_session_uptime_seconds{peer="tor"}')
"$PYTHON" -c "import sys; sys.exit(0 if float('$uptime') > 0 else 1)" || fail "uptime '$uptime'"
[ "$(query 'porter_bgp_messages_sent_total{peer="tor",type="open"}')" = 1 ] || fail "one OPEN sent"
[ "$(query 'porter_eip_allocations_total{pool="pool"}')" = 1 ] || fail "allocations: '$(query 'porter_eip_allocations_total{pool="pool"}')'"
[ "$(query 'porter_actors{kind="bgp_session"}')" = 2 ] || fail "porter_actors bgp_session"
step_ok 1d "metrics: state 6 and $state_b, $bird_paths prefixes = BIRD's, uptime ${uptime}s, 1 allocation" "$t"

t=$(now_us)
k delete bgppeer tor-b >/dev/null
tor_b_gone() { [ -z "$(query 'porter_bgp_session_state{peer="tor-b"}')" ] && [ "$(query 'porter_actors{kind="bgp_session"}')" = 1 ]; }
poll_until 10 tor_b_gone ||
  fail "after deleting BgpPeer tor-b: state '$(query 'porter_bgp_session_state{peer="tor-b"}')', sessions '$(query 'porter_actors{kind="bgp_session"}')'"
step_ok 1da "BgpPeer deleted: its samples and its session actor are gone" "$t"

t=$(now_us)
described=$(k describe bgppeer tor)
grep -Eq 'Session State: +ESTABLISHED' <<<"$described" ||
  { echo "$described"; fail "kubectl describe bgppeer: no Established state"; }
peers_table=$(k get bgppeers)
echo "$peers_table"
grep -Eq '^tor +[0-9.]+ +65000 +True ' <<<"$peers_table" || fail "kubectl get bgppeers: tor not Valid=True"
step_ok 1e "kubectl describe bgppeer shows the replica's session state" "$t"

t=$(now_us)
birdc_sw disable m1 >/dev/null
poll_until 30 sessions_up_is 0 ||
  fail "after disable: sum(porter_bgp_session_up) = '$(query 'sum(porter_bgp_session_up)')'"
flaps=$(query 'porter_bgp_session_flaps_total{peer="tor"}')
[ "${flaps:-0}" -ge 1 ] || fail "porter_bgp_session_flaps_total: '$flaps'"
step_ok 2 "BIRD disables the session: 0 up, $flaps flap(s)" "$t"
log "PASS"
