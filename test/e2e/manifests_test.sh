#!/usr/bin/env bash
# porter's install manifests (issue #12): manifests/*.yaml are what
# `kubectl kustomize` makes of config/ (else: run `make manifests`); applied
# with kubectl to `porter sim apiserver` they are accepted, and a second
# apply changes no object; the samples apply and `kubectl get eips` shows
# the printer columns; OpenELB's own objects are accepted unchanged; and
# the README's "Try it against porter sim apiserver" steps work as written
# (same commands; only the admin port is a free one here). Fails, not skips,
# without kubectl.
set -u
porter=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=apiserver_lib.sh
source "$here/apiserver_lib.sh"

manager_pid=
manifests_cleanup() {
  [ -n "$manager_pid" ] && kill -9 "$manager_pid" 2>/dev/null
  cleanup
}
trap manifests_cleanup EXIT

# --- rendered == sources ----------------------------------------------------
for pair in default:porter.yaml podnetwork:porter-podnetwork.yaml; do
  src=config/${pair%%:*} out=manifests/${pair#*:}
  if k kustomize "$root/$src" >"$work/rendered.yaml" 2>"$work/kustomize.err" \
    && diff -u "$root/$out" "$work/rendered.yaml" >"$work/diff.txt"; then
    echo "ok   $out is kubectl kustomize $src"
  else
    echo "FAIL $out is out of date: run 'make manifests' (diff below)"
    head -40 "$work/diff.txt" "$work/kustomize.err"
    fail=1
  fi
done

# --- apply, twice -----------------------------------------------------------
start_apiserver
out=$(k apply -f "$root/manifests/porter.yaml" 2>&1)
echo "$out" | sed 's/^/     /'
for obj in namespace/porter-system \
  customresourcedefinition.apiextensions.k8s.io/eips.network.kubesphere.io \
  serviceaccount/porter-manager serviceaccount/porter-agent \
  role.rbac.authorization.k8s.io/porter-manager \
  rolebinding.rbac.authorization.k8s.io/porter-manager \
  clusterrole.rbac.authorization.k8s.io/porter-manager \
  clusterrole.rbac.authorization.k8s.io/porter-agent \
  clusterrolebinding.rbac.authorization.k8s.io/porter-manager \
  clusterrolebinding.rbac.authorization.k8s.io/porter-agent \
  deployment.apps/porter-manager poddisruptionbudget.policy/porter-manager \
  daemonset.apps/porter-agent; do
  check "apply creates $obj" contains "$out" "^$obj created"
done
versions() { # every object of the manifests: kind/name resourceVersion
  k get -f "$root/manifests/porter.yaml" \
    -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}'
}
before=$(versions)
out=$(k apply -f "$root/manifests/porter.yaml" 2>&1)
# kubectl's client-side apply always sends a PodDisruptionBudget's selector
# (patchStrategy "replace"), so it says "configured" even against a real
# kube-apiserver; the object itself must not change.
changed=$(grep -v ' unchanged$' <<<"$out" \
  | grep -v '^poddisruptionbudget.policy/porter-manager configured$')
check "a second apply reports every object unchanged${changed:+ (not: $changed)}" \
  test -z "$changed"
check "a second apply changes no object (resourceVersions)" \
  test "$before" = "$(versions)"
out=$(k get deploy,ds,sa -n porter-system 2>&1)
check "get deploy lists the manager" contains "$out" "^deployment.apps/porter-manager "
check "get ds lists the agent" contains "$out" "^daemonset.apps/porter-agent "
check "get sa lists both accounts" \
  test "$(grep -c '^serviceaccount/porter-\(manager\|agent\) ' <<<"$out")" -eq 2
out=$(k get pdb -n porter-system -o jsonpath='{.items[0].spec.minAvailable}')
check "the PodDisruptionBudget keeps one manager" test "$out" = 1
image=$(k get deploy porter-manager -n porter-system \
  -o jsonpath='{.spec.template.spec.containers[0].image}')
check "the image is named by kustomize images: ($image)" \
  grep -Eq '^ghcr\.io/porter-lb/porter:[0-9]' <<<"$image"

# --- samples ---------------------------------------------------------------
out=$(k apply -f "$root/config/samples/" 2>&1); rc=$?
check "kubectl apply -f config/samples/ succeeds" test "$rc" -eq 0
for obj in eip.network.kubesphere.io/eip-sample-pool \
  bgpconf.network.kubesphere.io/default bgppeer.network.kubesphere.io/tor-1 \
  service/web; do
  check "samples create $obj" contains "$out" "^$obj created"
done
out=$(k get eips 2>&1)
check "get eips shows the printer columns" \
  grep -Eq '^NAME +CIDR +USAGE +TOTAL +DISABLE +READY +AGE' <<<"$out"
check "get eips shows the sample pool" \
  grep -Eq '^eip-sample-pool +192\.168\.0\.100-192\.168\.0\.120 ' <<<"$out"
# --- README: Try it against porter sim apiserver ----------------------------
# The README's commands after apply: a manager picks KUBECONFIG, allocates
# the sample Service's address, `porter inspect` shows it.
"$porter" manager --namespace porter-system --identity demo \
  --admin-listen 127.0.0.1:0 >"$work/manager.out" 2>"$work/manager.log" &
manager_pid=$!
admin_port() { grep -o 'msg=admin_listening .*port=[0-9]*' "$work/manager.log" | grep -o '[0-9]*$'; }
external_ip() { k get svc web -o jsonpath='{.status.loadBalancer.ingress[0].ip}'; }
has_ip() { [ "$(external_ip)" = 192.168.0.100 ]; }
check "kubectl get svc web: EXTERNAL-IP 192.168.0.100" eventually 20 has_ip
check "kubectl get svc prints it" grep -Eq '^web +LoadBalancer .* 192\.168\.0\.100 ' <<<"$(k get svc web)"
services_row() {
  "$porter" inspect services --endpoint "127.0.0.1:$(admin_port)" \
    | grep -Eq '^default/web +192\.168\.0\.100 +eip-sample-pool'
}
check "porter inspect services: default/web 192.168.0.100 from the sample pool" \
  eventually 10 services_row
leader_row() {
  "$porter" inspect leader --endpoint "127.0.0.1:$(admin_port)" | grep -Eq '^demo +yes'
}
check "porter inspect leader: demo leads" eventually 10 leader_row
usage_1() { grep -Eq '^eip-sample-pool +\S+ +1 +21 ' <<<"$(k get eips)"; }
check "kubectl get eips: USAGE 1 of 21" eventually 10 usage_1
no_router_id() {
  [ "$(k get bgpconf default -o jsonpath='{.status.conditions[?(@.type=="Valid")].reason}')" = NoRouterId ]
}
check "the sample BgpConf says why the emulator cannot run BGP (NoRouterId)" \
  eventually 10 no_router_id

# The manager stops first: OpenELB's BgpConf below is valid, and a BGP
# speaker has no business on this machine's ports.
kill -TERM "$manager_pid"; wait "$manager_pid" 2>/dev/null; manager_pid=
out=$(k apply -f "$here/testdata/openelb-objects.yaml" 2>&1); rc=$?
check "OpenELB's objects apply unchanged ($(tr '\n' ';' <<<"$out"))" test "$rc" -eq 0
check "OpenELB's Eip is stored" contains "$(k get eips -o name)" "eip-pool"

if [ "$fail" -ne 0 ]; then
  echo "--- manager log (tail)"; tail -20 "$work/manager.log"
  echo "--- apiserver log (tail)"; tail -20 "$work/apiserver.log"
fi
exit "$fail"
