#!/usr/bin/env bash
# Observing `porter manager` (issue #11 items 1, 3, 4) against the
# emulator: /metrics passes promtool and its values say what happened (this
# replica leads, the pool counts the Service's address, passes were timed,
# watches listed and received events); `porter inspect` shows the leader,
# pools and services from /debug/, as tables and as JSON; an unreachable
# endpoint is one line.
set -u
porter=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/apiserver_lib.sh"
command -v promtool >/dev/null || { echo "FAIL promtool not found (Debian: prometheus)"; exit 1; }

manager_pid=
metrics_cleanup() { [ -n "$manager_pid" ] && kill -9 "$manager_pid" 2>/dev/null; cleanup; }
trap metrics_cleanup EXIT

start_apiserver
k apply -k "$here/../../config/crd" >/dev/null
k create namespace porter-system >/dev/null
k apply -f - >/dev/null <<'YAML'
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata: {name: pool-m}
spec: {address: 10.60.0.1-10.60.0.10}
---
apiVersion: v1
kind: Service
metadata:
  name: m1
  namespace: default
  annotations: {lb.kubesphere.io/v1alpha1: porter, eip.openelb.kubesphere.io/v1alpha2: pool-m}
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata:
  name: lost
  namespace: default
  annotations: {lb.kubesphere.io/v1alpha1: porter, eip.openelb.kubesphere.io/v1alpha2: no-such-pool}
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
YAML
"$porter" manager --kubeconfig "$work/kubeconfig" --namespace porter-system \
  --identity m1 --lease-duration 4 --renew-deadline 3 --retry-period 1 \
  --admin-listen 127.0.0.1:0 >"$work/m1.out" 2>"$work/m1.log" &
manager_pid=$!
port() { grep -o 'msg=admin_listening .*port=[0-9]*' "$work/m1.log" | grep -o '[0-9]*$'; }
scrape() { curl -sf "http://127.0.0.1:$(port)/metrics" >"$work/metrics.txt"; }
value() { # value <sample without value>: its value, "" when absent
  awk -v s="$1" 'index($0, s " ") == 1 { print $2 }' "$work/metrics.txt"
}
used_is_1() { scrape && [ "$(value 'porter_eip_pool_used{pool="pool-m"}')" = 1 ]; }
check "the pool counts the Service's address" eventually 15 used_is_1
check "promtool check metrics accepts the exposition" \
  promtool check metrics <"$work/metrics.txt"
check "this replica leads" test "$(value 'porter_leader{lease="porter-manager"}')" = 1
check "pool size 10, free 9" test \
  "$(value 'porter_eip_pool_size{pool="pool-m"}') $(value 'porter_eip_pool_free{pool="pool-m"}')" = "10 9"
passes=$(value 'porter_service_reconcile_duration_seconds_count')
check "allocation passes were timed ($passes)" test "${passes:-0}" -gt 0
check "the Services watch listed once" test "$(value 'porter_watch_lists_total{kind="services"}')" = 1
events=$(value 'porter_watch_events_total{kind="services"}')
check "the Services watch saw events ($events)" test "${events:-0}" -gt 0
check "build info names the version" grep -q '^porter_build_info{version="' "$work/metrics.txt"
allocated() { scrape && [ "$(value 'porter_eip_allocations_total{pool="pool-m"}')" = 1 ]; }
check "one allocation counted for pool-m" eventually 5 allocated
failed() { scrape && [ "$(value 'porter_eip_allocation_failures_total{reason="pool_not_found"}')" = 1 ]; }
check "one failure counted: pool_not_found" eventually 5 failed
check "porter_actors counts one manager" test "$(value 'porter_actors{kind="manager"}')" = 1
check "the manager's mailbox depth is exported" \
  grep -q '^porter_actor_mailbox_depth{kind="manager",key="m1"} ' "$work/metrics.txt"
ep=127.0.0.1:$(port)
inspect() { "$porter" inspect --endpoint "$ep" "$@"; }
leader_row() { inspect leader | grep -Eq '^m1 +yes +m1$'; }
check "inspect leader: m1 leads" eventually 5 leader_row
pools_row() { inspect pools | grep -Eq '^pool-m +10\.60\.0\.1-10\.60\.0\.10 +10 +1 +Ready$'; }
check "inspect pools: pool-m 10 addresses, 1 used, Ready" eventually 5 pools_row
services_row() { inspect services | grep -Eq '^default/m1 +10\.60\.0\.1 +pool-m'; }
check "inspect services: default/m1 has 10.60.0.1 from pool-m" eventually 5 services_row
"$porter" inspect --endpoint "127.0.0.1:$(port)" actors >"$work/actors.txt"
kinds() { awk 'NR > 1 { print $1 }' "$work/actors.txt" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }'; }
check "inspect actors: one manager, announcer, elector, recorder, pool; 9 watchers; no speaker without a BgpConf ($(kinds))" \
  test "$(kinds)" = "announcer=1 eip_pool=1 event_recorder=1 leader_elector=1 manager=1 watcher=9 "
check "inspect actors: the pool actor's state" \
  grep -Eq '^eip_pool +pool-m +[0-9]+ +[0-9]+ +[a-z_]+ +.*used 1/10 Ready$' "$work/actors.txt"
actors_json_ok() { inspect actors -o json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if {"kind","key","summary","messages","mailbox","lastMessage","idleSeconds","busySeconds","restarts"} <= set(d["actors"][0]) else 1)'; }
check "/debug/actors has every field" actors_json_ok
json_ok() { inspect pools -o json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["pools"][0]["used"] == 1 else 1)'; }
check "inspect -o json is the document" json_ok
err=$("$porter" inspect leader --endpoint 127.0.0.1:1 2>&1 >/dev/null); rc=$?
check "unreachable endpoint: exit 1, one line ($err)" \
  test "$rc" -eq 1 -a "$(wc -l <<<"$err")" -eq 1
check "unreachable endpoint: says why" grep -q "refused" <<<"$err"
# Status in the cluster (item 5): printer columns and kubectl describe.
eips_table=$(k get eips)
check "kubectl get eips: READY column says True" \
  grep -Eq '^pool-m +10\.60\.0\.1-10\.60\.0\.10 +1 +10 +(false|<none>)? *True ' <<<"$eips_table"
described=$(k describe eip pool-m)
check "kubectl describe eip: the Ready condition" grep -Eq 'Type: +Ready' <<<"$described"
check "kubectl describe eip: usage" grep -Eq 'Usage: +1' <<<"$described"
if [ "$fail" -ne 0 ]; then
  echo "--- kubectl get eips"; echo "$eips_table"
  echo "--- kubectl describe eip pool-m"; echo "$described"
fi
if [ "$fail" -ne 0 ]; then
  echo "--- inspect actors"; cat "$work/actors.txt"
  echo "--- metrics"; cat "$work/metrics.txt"; echo "--- manager log"; tail -20 "$work/m1.log"
fi
exit "$fail"
