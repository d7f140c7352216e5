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
YAML
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
poll_until 35 peers_row || fail "inspect peers: $(inspect peers --token-file "$WORK/admin-token" 2>&1)"
inspect peers --token-file "$WORK/admin-token"
inspect routes --token-file "$WORK/admin-token" | grep '^advertising (leader)' >/dev/null ||
  fail "inspect routes: $(inspect routes --token-file "$WORK/admin-token" 2>&1)"
denied=$(inspect peers 2>&1 >/dev/null) && fail "inspect without the token was let in"
[[ $denied == *"401"* ]] || fail "inspect without the token: '$denied'"
step_ok 1b "inspect peers/routes with the token; refused without it" "$t"

t=$(now_us)
birdc_sw disable m1 >/dev/null
poll_until 30 sessions_up_is 0 ||
  fail "after disable: sum(porter_bgp_session_up) = '$(query 'sum(porter_bgp_session_up)')'"
flaps=$(query 'porter_bgp_session_flaps_total{peer="tor"}')
[ "${flaps:-0}" -ge 1 ] || fail "porter_bgp_session_flaps_total: '$flaps'"
step_ok 2 "BIRD disables the session: 0 up, $flaps flap(s)" "$t"
log "PASS"
