#!/usr/bin/env bash
# porter's CRDs (config/crd/, issue #7 item 7) loaded into `porter sim
# apiserver` the way a user would (`kubectl apply -k`), then OpenELB's own
# sample objects applied unchanged; `kubectl get` shows the printer columns,
# v1alpha1 Eips are still served, and the schema is structural (unknown
# fields pruned/refused, enums enforced). Fails, not skips, without kubectl.
set -u
porter=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=$here/testdata
# shellcheck source=apiserver_lib.sh
source "$here/apiserver_lib.sh"

start_apiserver

out=$(k apply -k "$root/config/crd" 2>&1)
check "apply -k config/crd creates the Eip CRD" \
  contains "$out" "eips.network.kubesphere.io created"
check "apply -k config/crd creates the BgpConf CRD" \
  contains "$out" "bgpconfs.network.kubesphere.io created"
check "apply -k config/crd creates the BgpPeer CRD" \
  contains "$out" "bgppeers.network.kubesphere.io created"
out=$(k wait --for condition=established --timeout=20s \
        crd/eips.network.kubesphere.io crd/bgpconfs.network.kubesphere.io \
        crd/bgppeers.network.kubesphere.io 2>&1)
check "the three CRDs are established" \
  [ "$(grep -c 'condition met' <<<"$out")" -eq 3 ]
out=$(k apply -k "$root/config/crd" 2>&1)
check "a second apply is a no-op" [ "$(grep -c unchanged <<<"$out")" -eq 3 ]

# --- OpenELB's objects, unchanged ---------------------------------------
out=$(k apply -f "$data/openelb-objects.yaml" 2>&1)
check "apply OpenELB's Eip" contains "$out" "eip.network.kubesphere.io/eip-pool created"
check "apply OpenELB's BgpConf" contains "$out" "bgpconf.network.kubesphere.io/default created"
check "apply OpenELB's BgpPeer" contains "$out" "bgppeer.network.kubesphere.io/tor-1 created"

out=$(k get eips 2>&1)
check "get eips shows the printer columns" \
  grep -Eq '^NAME +CIDR +USAGE +TOTAL +DISABLE' <<<"$out"
check "get eips shows the pool's address" \
  grep -Eq '^eip-pool +192\.168\.0\.100-192\.168\.0\.200 ' <<<"$out"
out=$(k get eips -o wide 2>&1)
check "get eips -o wide adds the protocol" \
  grep -Eq '^eip-pool +192\.168\.0\.100-192\.168\.0\.200 .* bgp' <<<"$out"
out=$(k get bgppeers 2>&1)
check "get bgppeers shows peer and AS" grep -Eq '^tor-1 +172\.22\.0\.2 +50001' <<<"$out"
out=$(k get bgpconfs 2>&1)
check "get bgpconfs shows AS, router id, port" \
  grep -Eq '^default +50000 +172\.22\.0\.10 +17900' <<<"$out"
out=$(k get networking -o name 2>&1)
check "the networking category lists all three" \
  [ "$(grep -c network.kubesphere.io <<<"$out")" -eq 3 ]
check "the default-pool annotation survives" \
  [ "$(k get eip eip-pool -o jsonpath='{.metadata.annotations.eip\.openelb\.kubesphere\.io/is-default-eip}')" = true ]
check "afiSafis keep their nested fields" \
  [ "$(k get bgppeer tor-1 -o jsonpath='{.spec.afiSafis[0].addPaths.config.sendMax}')" = 10 ]

# --- status subresource, v1alpha1, validation ------------------------------
k patch eip eip-pool --subresource status --type merge \
  -p '{"status":{"usage":1,"poolSize":101,"used":{"192.168.0.100":"default/web"}}}' >/dev/null
out=$(k get eips 2>&1)
check "status subresource feeds usage/total" \
  grep -Eq '^eip-pool +192\.168\.0\.100-192\.168\.0\.200 +1 +101' <<<"$out"
out=$(k get eips.v1alpha1.network.kubesphere.io eip-pool -o jsonpath='{.apiVersion}' 2>&1)
check "v1alpha1 Eip is still served" [ "$out" = network.kubesphere.io/v1alpha1 ]
out=$(printf '%s\n' 'apiVersion: network.kubesphere.io/v1alpha1' 'kind: Eip' \
  'metadata: {name: old-pool}' 'spec: {address: 10.0.0.0/24, protocol: layer2}' \
  | k apply -f - 2>&1)
check "a v1alpha1 Eip can be created" contains "$out" "eip.network.kubesphere.io/old-pool created"
out=$(printf '%s\n' 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: Eip' \
  'metadata: {name: bad}' 'spec: {address: 10.1.0.0/24, protocol: ospf}' \
  | k apply -f - 2>&1)
check "protocol enum enforced" grep -q 'spec.protocol: Unsupported value: "ospf"' <<<"$out"
out=$(printf '%s\n' 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: Eip' \
  'metadata: {name: bad}' 'spec: {protocol: bgp}' | k apply -f - 2>&1)
check "address is required" grep -q 'spec.address: Required value' <<<"$out"
out=$(printf '%s\n' 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: BgpConf' \
  'metadata: {name: big-as}' 'spec: {as: 4200000000}' | k apply -f - 2>&1)
check "4-byte AS numbers are accepted" contains "$out" "bgpconf.network.kubesphere.io/big-as created"

if [ $fail -ne 0 ]; then
  echo "--- apiserver log (tail)"; tail -20 "$work/apiserver.log"
fi
exit $fail
