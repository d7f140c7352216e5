#!/usr/bin/env bash
# Fidelity of `porter sim apiserver` as judged by the real kubectl 1.32
# (issue #5 §5), over TLS with a bearer token: apply of CRDs, OpenELB
# Eip/BgpConf/BgpPeer and a Service; get in every output format; get -w;
# annotate, label, the three patch types; apply twice; finalizers; wait;
# raw discovery; validation errors; 401; restart with --state.
set -u
porter=$1
here=$(cd "$(dirname "$0")" && pwd)
data=$here/testdata
# shellcheck source=apiserver_lib.sh
source "$here/apiserver_lib.sh"

start_apiserver --state "$work/state.json"

out=$(k version 2>&1)
check "version reaches the server" contains "$out" "Server Version: v1.32"

# --- apply: CRDs, then their objects, then a Service ------------------------
out=$(k apply -f "$data/openelb-crds.yaml" 2>&1)
check "apply CRDs" contains "$out" "eips.network.kubesphere.io created"
out=$(k wait --for condition=established --timeout=20s \
        crd/eips.network.kubesphere.io crd/bgpconfs.network.kubesphere.io \
        crd/bgppeers.network.kubesphere.io 2>&1)
check "wait for CRDs established" [ "$(grep -c 'condition met' <<<"$out")" -eq 3 ]
out=$(k apply -f "$data/openelb-objects.yaml" 2>&1)
check "apply Eip/BgpConf/BgpPeer" \
  contains "$out" "bgppeer.network.kubesphere.io/tor-1 created"
out=$(k apply -f "$data/service.yaml" 2>&1)
check "apply Service" contains "$out" "service/web created"
out=$(k apply -f "$data/openelb-objects.yaml" -f "$data/service.yaml" 2>&1)
check "second apply is a no-op" [ "$(grep -c unchanged <<<"$out")" -eq 4 ]

# --- get in every output format ------------------------------------------
out=$(k get eips 2>&1)
check "get eips prints printer columns" \
  grep -Eq '^NAME +CIDR +USAGE +TOTAL' <<<"$out"
check "get eips prints the address" contains "$out" "192.168.0.100-192.168.0.200"
out=$(k get bgppeer 2>&1)
check "get bgppeer prints peer and AS" grep -Eq '^tor-1 +172.22.0.2 +50001' <<<"$out"
out=$(k get ksnet 2>&1)
check "get by category" grep -Eq '^eip-pool +192.168.0.100' <<<"$out"
out=$(k get svc -o wide 2>&1)
check "get svc -o wide header" \
  grep -Eq '^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE +SELECTOR' <<<"$out"
check "get svc -o wide row" \
  grep -Eq '^web +LoadBalancer +10\.[0-9.]+ +<pending> +80:3[0-9]{4}/TCP +[0-9]+s +app=web' <<<"$out"
out=$(k get svc web -o json 2>&1)
check "get -o json" /usr/bin/python3 -c '
import json,sys; o=json.loads(sys.argv[1])
assert o["kind"]=="Service" and o["spec"]["clusterIP"].startswith("10.")
assert o["spec"]["ports"][0]["nodePort"] >= 30000' "$out"
out=$(k get eip eip-pool -o yaml 2>&1)
check "get -o yaml" grep -q '^  address: 192.168.0.100-192.168.0.200' <<<"$out"
check "-o jsonpath" [ "$(k get svc web -o jsonpath='{.spec.type}')" = LoadBalancer ]
check "-o name" [ "$(k get bgpconf -o name)" = bgpconf.network.kubesphere.io/default ]

# --- get -w sees every change ---------------------------------------------
k get svc -w --output-watch-events >"$work/watch.out" 2>&1 &
watch_pid=$!
eventually 10 grep -q ADDED "$work/watch.out"
check "get -w starts with ADDED" grep -Eq '^ADDED +web +LoadBalancer' "$work/watch.out"

out=$(k annotate svc web owner=porter 2>&1)
check "annotate" [ "$(k get svc web -o jsonpath='{.metadata.annotations.owner}')" = porter ]
out=$(k label svc web tier=front 2>&1)
check "label, then select by it" [ "$(k get svc -l tier=front -o name)" = service/web ]
check "label selector excludes" [ -z "$(k get svc -l 'tier notin (front)' -o name)" ]
k patch svc web --type merge -p '{"spec":{"externalTrafficPolicy":"Local"}}' >/dev/null
check "patch --type merge" \
  [ "$(k get svc web -o jsonpath='{.spec.externalTrafficPolicy}')" = Local ]
check "Local policy allocates a healthCheckNodePort" \
  grep -Eq '^3[0-9]{4}$' <<<"$(k get svc web -o jsonpath='{.spec.healthCheckNodePort}')"
k patch svc web --type json -p '[{"op":"add","path":"/metadata/labels/x","value":"y"}]' >/dev/null
check "patch --type json" [ "$(k get svc web -o jsonpath='{.metadata.labels.x}')" = y ]
out=$(k patch svc web --type json -p '[{"op":"test","path":"/spec/type","value":"NodePort"}]' 2>&1)
check "json patch test failure is refused" [ $? -ne 0 ]
k patch svc web --type strategic -p '{"spec":{"ports":[{"name":"https","port":443,"targetPort":8443}]}}' >/dev/null
check "patch --type strategic merges ports by key" \
  [ "$(k get svc web -o jsonpath='{.spec.ports[*].port}')" = "80 443" ]
out=$(sed 's/port: 80/port: 81/' "$data/service.yaml" | k apply -f - 2>&1)
check "apply with a changed field" contains "$out" "service/web configured"
check "apply patched only that port" \
  [ "$(k get svc web -o jsonpath='{.spec.ports[*].port}')" = "81 443" ]
out=$(sed 's/protocol: bgp/protocol: layer2/' "$data/openelb-objects.yaml" | k apply -f - 2>&1)
check "apply a changed CR" contains "$out" "eip.network.kubesphere.io/eip-pool configured"
check "CR spec change bumps generation" \
  [ "$(k get eip eip-pool -o jsonpath='{.spec.protocol} {.metadata.generation}')" = "layer2 2" ]
k delete svc web >/dev/null 2>&1
eventually 10 grep -q DELETED "$work/watch.out"
check "get -w saw MODIFIED" grep -Eq '^MODIFIED +web ' "$work/watch.out"
check "get -w saw the new port in its columns" grep -q '81:3[0-9]*/TCP,443:' "$work/watch.out"
check "get -w saw DELETED" grep -Eq '^DELETED +web ' "$work/watch.out"
kill "$watch_pid" 2>/dev/null; wait "$watch_pid" 2>/dev/null; watch_pid=

# --- finalizers and wait ----------------------------------------------------
k patch eip eip-pool --type merge \
  -p '{"metadata":{"finalizers":["finalizer.ipam.kubesphere.io/v1alpha1"]}}' >/dev/null
k delete eip eip-pool --wait=false >/dev/null 2>&1
check "delete with a finalizer sets deletionTimestamp" \
  grep -q 'T' <<<"$(k get eip eip-pool -o jsonpath='{.metadata.deletionTimestamp}')"
k wait --for=delete eip/eip-pool --timeout=20s >"$work/wait.out" 2>&1 &
wait_pid=$!
sleep 0.5
check "the object stays while the finalizer is there" \
  [ "$(k get eip eip-pool -o name)" = eip.network.kubesphere.io/eip-pool ]
k patch eip eip-pool --type json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
wait "$wait_pid"
check "removing the last finalizer deletes (wait --for=delete)" [ $? -eq 0 ]
out=$(k get eip eip-pool 2>&1)
check "then it is NotFound" contains "$out" 'NotFound'

( sleep 1; k patch bgppeer tor-1 --subresource status --type merge \
    -p '{"status":{"nodesPeerStatus":{"node-1":{"peerState":{"sessionState":"Established"}}}}}' >/dev/null ) &
patch_pid=$!
out=$(k wait --timeout=20s \
        --for=jsonpath='{.status.nodesPeerStatus.node-1.peerState.sessionState}'=Established \
        bgppeer/tor-1 2>&1)
check "wait --for=jsonpath" contains "$out" "condition met"
wait "$patch_pid"

# --- raw discovery, validation, auth --------------------------------------
out=$(k get --raw /apis 2>&1)
check "get --raw /apis lists the CRD group" contains "$out" '"name":"network.kubesphere.io"'
out=$(k get --raw /apis/network.kubesphere.io/v1alpha2 2>&1)
check "get --raw /apis/G/V lists eips/status" contains "$out" '"name":"eips/status"'
out=$(echo '{"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip","metadata":{"name":"bad"},"spec":{"address":"nope","protocol":"ospf"}}' | k apply -f - 2>&1)
check "schema violation is 422 with field paths" \
  grep -q 'spec.protocol: Unsupported value: "ospf"' <<<"$out"
out=$(echo '{"apiVersion":"network.kubesphere.io/v1alpha2","kind":"BgpConf","metadata":{"name":"x"},"spec":{"as":1,"listenPort":70000}}' | k apply -f - 2>&1)
check "maximum is enforced" contains "$out" 'spec.listenPort: Invalid value: 70000'
out=$(echo '{"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip","metadata":{"name":"bad"},"spec":{"address":"10.0.0.1","extra":true}}' | k apply -f - 2>&1)
check "unknown fields refused (fieldValidation=Strict)" contains "$out" 'unknown field "spec.extra"'
sed "s/token: .*/token: \"wrong\"/" "$work/kubeconfig" >"$work/bad-kubeconfig"
out=$(KUBECONFIG=$work/bad-kubeconfig k get ns 2>&1)
check "a wrong token is 401" grep -Eqi 'unauthorized|must be logged in' <<<"$out"

# --- typed `kubectl create` (protobuf bodies) -----------------------------
out=$(k create namespace team 2>&1)
check "create namespace" contains "$out" "namespace/team created"
k create configmap cfg -n team --from-literal=greeting=hello >/dev/null 2>&1
check "create configmap" \
  [ "$(k get cm cfg -n team -o jsonpath='{.data.greeting}')" = hello ]
k create secret generic creds -n team --from-literal=k=v >/dev/null 2>&1
check "create secret (type defaults to Opaque)" \
  [ "$(k get secret creds -n team -o jsonpath='{.type} {.data.k}')" = "Opaque dg==" ]
k delete namespace team >/dev/null 2>&1
out=$(k get cm -n team 2>&1)
check "deleting a namespace deletes its content" contains "$out" "No resources found"

# --- restart with --state ----------------------------------------------------
stop_apiserver
check "SIGTERM stops it cleanly (exit 0)" [ $? -eq 0 ]
check "state file written" test -s "$work/state.json"
start_apiserver --state "$work/state.json"
check "objects survive a restart" \
  [ "$(k get bgppeer tor-1 -o name)" = bgppeer.network.kubesphere.io/tor-1 ]
check "CRDs survive a restart" \
  [ "$(k get crd -o name | wc -l)" -eq 3 ]

if [ $fail -ne 0 ]; then
  echo "--- apiserver log (tail)"; tail -20 "$work/apiserver.log"
fi
exit $fail
