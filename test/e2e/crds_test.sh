#!/usr/bin/env bash
# porter's CRDs (config/crd/, issue #7 item 7) loaded into `porter sim
# apiserver` the way a user would (`kubectl apply -k`), then OpenELB's own
# sample objects applied unchanged; `kubectl get` shows the printer columns,
# v1alpha1 Eips are still served, and the schema is structural (unknown
# fields pruned/refused, enums enforced). Issue #12: malformed addresses and
# out-of-range AS numbers are refused with a clear message (schema bounds and
# CEL rules, no webhook), pools stay editable, and the emulator runs
# transition rules and refuses CRDs whose rules do not compile. Fails, not
# skips, without kubectl.
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

# --- issue #12: validation without a webhook ------------------------------
apply_doc() { printf '%s\n' "$@" | k apply -f - 2>&1; }
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: Eip' \
  'metadata: {name: bad-address}' 'spec: {address: 10.0.0.300}')
check "a malformed Eip address is refused with a clear message" \
  contains "$out" 'The Eip "bad-address" is invalid: spec.address: Invalid value: "string": every address must be IPv4 (dotted decimal, no leading zeros) or IPv6'
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: Eip' \
  'metadata: {name: bad-range}' 'spec: {address: 10.0.0.9-10.0.0.1}')
check "a reversed range is refused" \
  contains "$out" 'spec.address: Invalid value: "string": the first address of a range must not be after the last'
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: Eip' \
  'metadata: {name: bad-cidr}' 'spec: {address: 10.0.0.0/255.255.255.0}')
check "the netmask form is refused" \
  contains "$out" 'must be one IP address, a CIDR "address/length" or a range "first-last"'
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: Eip' \
  'metadata: {name: no-nic}' 'spec: {address: 10.9.0.0/24, protocol: layer2}')
check "a layer2 pool without an interface is refused" \
  contains "$out" 'spec: Invalid value: "object": interface is required when protocol is layer2 or vip'
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: BgpPeer' \
  'metadata: {name: bad-as}' \
  'spec: {conf: {neighborAddress: 172.22.0.3, peerAs: 4294967296}}')
check "a BgpPeer AS above 4294967295 is refused with a clear message" \
  contains "$out" 'The BgpPeer "bad-as" is invalid: spec.conf.peerAs: Invalid value: 4294967296: spec.conf.peerAs in body should be less than or equal to 4294967295'
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: BgpPeer' \
  'metadata: {name: zero-as}' \
  'spec: {conf: {neighborAddress: 172.22.0.3, peerAs: 0}}')
check "a BgpPeer AS of 0 is refused" \
  contains "$out" 'spec.conf.peerAs: Invalid value: 0: spec.conf.peerAs in body should be greater than or equal to 1'
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: BgpPeer' \
  'metadata: {name: bad-peer}' 'spec: {conf: {neighborAddress: tor-1, peerAs: 65001}}')
check "a neighbor that is not an IP address is refused" \
  contains "$out" 'spec.conf.neighborAddress: Invalid value: "string": must be an IPv4 or IPv6 address'
out=$(apply_doc 'apiVersion: network.kubesphere.io/v1alpha2' 'kind: BgpConf' \
  'metadata: {name: zero-id}' 'spec: {as: 65000, routerId: 0.0.0.0}')
check "a zero router ID is refused" \
  contains "$out" 'spec.routerId: Invalid value: "string": must be a non-zero dotted IPv4 address'
k get eips bad-address bad-range bad-cidr no-nic >/dev/null 2>&1
check "nothing refused was stored" [ $? -ne 0 ]

# OpenELB's objects again, unchanged (apply is a no-op), and a pool edit.
out=$(k apply -f "$data/openelb-objects.yaml" 2>&1)
check "OpenELB's objects are still accepted as they are" \
  [ "$(grep -c unchanged <<<"$out")" -eq 3 ]
out=$(k patch eip eip-pool --type merge \
  -p '{"spec":{"address":"192.168.0.100-192.168.0.250"}}' 2>&1)
check "a pool's address can be edited (porter moves Services as needed)" \
  contains "$out" "eip.network.kubesphere.io/eip-pool patched"
check "short names: pool, bgpp, bgpc" \
  [ "$(k get pool,bgpp,bgpc -o name 2>&1 | grep -c network.kubesphere.io)" -ge 3 ]

# Transition rules (oldSelf) and CRDs with broken rules, on a throwaway CRD.
widget_crd() { # widget_crd <rule>
  cat <<YAML
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              name:
                type: string
                x-kubernetes-validations:
                - {rule: "$1", message: name is immutable}
              size: {type: integer}
YAML
}
out=$(widget_crd 'self.nmae == 1' | k apply -f - 2>&1)
check "a CRD whose rule does not compile is refused with the rule's path" \
  grep -qF -- "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[name].x-kubernetes-validations[0].rule: Invalid value" <<<"$out"
check "... and cel-go's reason" contains "$out" "compilation failed: ERROR: <input>:1:6: type 'string' does not support field selection"
out=$(widget_crd 'self == oldSelf' | k apply -f - 2>&1)
check "an immutable-field rule installs" \
  contains "$out" "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"
k wait --for condition=established --timeout=20s crd/widgets.example.com >/dev/null 2>&1
widget() { apply_doc 'apiVersion: example.com/v1' 'kind: Widget' \
  'metadata: {name: w}' "spec: {name: $1, size: $2}"; }
out=$(widget a 1)
check "the transition rule is not run on create" contains "$out" "widget.example.com/w created"
out=$(widget a 2)
check "an update that keeps the field passes" contains "$out" "widget.example.com/w configured"
out=$(widget b 2)
check "changing the immutable field is refused" \
  contains "$out" 'The Widget "w" is invalid: spec.name: Invalid value: "string": name is immutable'

if [ $fail -ne 0 ]; then
  echo "--- apiserver log (tail)"; tail -20 "$work/apiserver.log"
fi
exit $fail
