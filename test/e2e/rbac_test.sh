#!/usr/bin/env bash
# RBAC rules cover exactly the calls porter makes (issue #12 item 4). The
# emulator runs with an audit log and one token per service account;
# `porter manager` and `porter agent` run with their own tokens through
# every code path that talks to the API (Lease create/renew/release,
# allocation with Service status, label and finalizer, Eip status, an Event
# created and then patched as a repeat, BgpConf Valid False then True,
# BgpPeer session status, the agent installing the rule); then
# rbac_check.py compares each identity's calls with the rules bound to it in
# config/rbac: a call no rule allows fails, a grant never used fails.
# Needs root: the agent changes the rules of a network namespace made here
# (everything runs inside it). Fails, not skips, without root or kubectl.
set -u
porter=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=apiserver_lib.sh
source "$here/apiserver_lib.sh"
python=/usr/bin/python3 # Debian's, with python3-yaml

[ "$(id -u)" -eq 0 ] || { echo "FAIL e2e.rbac needs root (the agent's rules go into a network namespace)"; exit 1; }
command -v ip >/dev/null || { echo "FAIL ip (iproute2) not found"; exit 1; }
"$python" -c 'import yaml' 2>/dev/null || { echo "FAIL $python has no yaml module (python3-yaml)"; exit 1; }

ns=prbac-$$
declare -a pids=()
rbac_cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  server_pid=
  ip netns del "$ns" 2>/dev/null
  cleanup
}
trap rbac_cleanup EXIT
ip netns add "$ns" && ip -n "$ns" link set lo up || { echo "FAIL cannot make a network namespace"; exit 1; }
# Background processes are started with `ip netns exec` itself (it execs,
# so $! is the process to signal), never through a shell function.
k() { ip netns exec "$ns" "$kubectl_bin" --request-timeout=20s "$@"; }

sa=system:serviceaccount:porter-system
muser=$sa:porter-manager auser=$sa:porter-agent
mtok=m-$RANDOM$RANDOM atok=a-$RANDOM$RANDOM
groups='"system:serviceaccounts,system:serviceaccounts:porter-system,system:authenticated"'
printf '%s,%s,uid-m,%s\n%s,%s,uid-a,%s\n' "$mtok" "$muser" "$groups" \
  "$atok" "$auser" "$groups" >"$work/tokens.csv"
audit=$work/audit.log

ip netns exec "$ns" "$porter" sim apiserver --listen 127.0.0.1:0 --tls --token "$token" \
  --token-auth-file "$work/tokens.csv" --audit-log "$audit" \
  --kubeconfig-out "$work/kubeconfig" >"$work/apiserver.out" 2>"$work/apiserver.log" &
server_pid=$!
export KUBECONFIG=$work/kubeconfig
eventually 10 test -s "$work/kubeconfig" || { echo "FAIL apiserver did not start"; exit 1; }
sed "s/token: .*/token: \"$mtok\"/" "$work/kubeconfig" >"$work/manager.kubeconfig"
sed "s/token: .*/token: \"$atok\"/" "$work/kubeconfig" >"$work/agent.kubeconfig"

"$kubectl_bin" kustomize "$root/config/default" >"$work/porter.yaml"
apply_manifests() { k apply -f "$work/porter.yaml" >/dev/null; }
check "the manifests apply" apply_manifests
k wait --for condition=established --timeout=20s crd --all >/dev/null
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Node
metadata: {name: node-1}
status:
  addresses: [{type: InternalIP, address: 10.99.1.1}]
  conditions: [{type: Ready, status: "True"}]
---
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata: {name: pool-r}
spec: {address: 10.99.0.10-10.99.0.19}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpConf
metadata: {name: default}
spec: {as: 65000, listenPort: -1}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpPeer
metadata: {name: tor}
spec:
  conf: {neighborAddress: 127.0.0.2, peerAs: 65001}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-r
  namespace: default
  annotations: {lb.kubesphere.io/v1alpha1: porter, eip.openelb.kubesphere.io/v1alpha2: missing}
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
YAML

ip netns exec "$ns" "$porter" manager --kubeconfig "$work/manager.kubeconfig" \
  --namespace porter-system --identity rbac-m --lease-duration 4 \
  --renew-deadline 3 --retry-period 1 --admin-listen '' \
  >"$work/manager.out" 2>"$work/manager.log" &
manager_pid=$!; pids+=("$manager_pid")
ip netns exec "$ns" "$porter" agent --kubeconfig "$work/agent.kubeconfig" --node node-1 \
  --admin-listen '' >"$work/agent.out" 2>"$work/agent.log" &
agent_pid=$!; pids+=("$agent_pid")

audited() { grep -q "^$1 $2 " "$audit"; } # audited <user> <verb group resource sub>
annotate_pool() {
  k annotate svc svc-r --overwrite "eip.openelb.kubesphere.io/v1alpha2=$1" >/dev/null
}
ip_of() { k get svc svc-r -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>/dev/null; }
has_ip() { [ -n "$(ip_of)" ]; }
no_ip() { [ -z "$(ip_of)" ]; }
rule_in_ns() { ip -n "$ns" rule show | grep -q "to $(ip_of) lookup 101"; }
valid() { [ "$(k get bgpconf default -o jsonpath='{.status.conditions[?(@.type=="Valid")].status}')" = "$1" ]; }

check "the manager leads" eventually 20 audited "$muser" "update coordination.k8s.io leases -"
check "an unknown pool: AllocationFailed Event created" \
  eventually 20 audited "$muser" "create events.k8s.io events -"
check "BgpConf without routerId: Valid False" eventually 20 valid False
annotate_pool pool-r
check "the Service gets an address" eventually 20 has_ip
check "the agent installs its rule in the namespace" eventually 20 rule_in_ns
annotate_pool missing
check "the unknown pool again: the address goes" eventually 20 no_ip
k patch bgpconf default --type merge -p '{"spec":{"routerId":"10.99.1.1"}}' >/dev/null
check "BgpConf with routerId: Valid True" eventually 20 valid True
# A repeat within the 30 s interval is sent by the next flush as a PATCH.
check "the repeated AllocationFailed is patched" \
  eventually 45 audited "$muser" "patch events.k8s.io events -"
# Valid=True and the session state (every 30 s; a refused connection is
# no session change).
check "BgpPeer status written" \
  eventually 45 audited "$muser" "patch network.kubesphere.io bgppeers status"
kill -TERM "$manager_pid" "$agent_pid"
wait "$manager_pid" "$agent_pid" 2>/dev/null
pids=()

out=$("$python" "$here/rbac_check.py" "$work/porter.yaml" "$audit" "$muser" "$auser" 2>&1)
rc=$?
echo "$out" | sed 's/^/     /'
check "RBAC rules cover exactly the calls of manager and agent" test "$rc" -eq 0

# The checker itself: a rule taken away is a missing grant, one added is
# unused.
mutate() { # mutate <python expression on the ClusterRole porter-manager's rules `r`>
  "$python" - "$work/porter.yaml" "$1" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
for d in docs:
    if d["kind"] == "ClusterRole" and d["metadata"]["name"] == "porter-manager":
        r = d["rules"]
        exec(sys.argv[2])
print(yaml.safe_dump_all(docs))
PY
}
mutate 'r[:] = [x for x in r if x["apiGroups"] != ["events.k8s.io"]]' >"$work/less.yaml"
out=$("$python" "$here/rbac_check.py" "$work/less.yaml" "$audit" "$muser")
check "the checker reports a missing grant" \
  grep -q "FAIL missing grant: create events.k8s.io events" <<<"$out"
mutate 'r.append({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]})' >"$work/more.yaml"
out=$("$python" "$here/rbac_check.py" "$work/more.yaml" "$audit" "$muser")
check "the checker reports an unused grant" \
  grep -q "FAIL unused grant in porter-manager: get core configmaps" <<<"$out"

if [ "$fail" -ne 0 ]; then
  for f in manager agent; do echo "--- $f log (tail)"; tail -15 "$work/$f.log"; done
  echo "--- audit log (manager and agent, distinct)"
  grep -v '^admin ' "$audit" | cut -d' ' -f1-5 | sort | uniq -c
fi
exit "$fail"
