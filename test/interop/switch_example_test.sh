#!/usr/bin/env bash
# The switch configurations the README gives operators (config/switch/
# bird.conf, frr.conf; issue #12 item 5), used as they are: only the @...@
# placeholders are filled in. The manager lab (lib_manager.sh) runs the
# switch from the example, one `porter manager` replica peers with it from
# its namespace, and the switch's own kernel FIB must hold one ECMP route
# for the EIP with a next hop per node that has an endpoint — three, then
# two after an endpoint goes.
# usage (root): switch_example_test.sh <bird|frr> <path-to-porter>
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"

interop_parse_args "bird=26 frr=27" "$@" # sets daemon, probe (= porter), net
interop_init "switch_example_$daemon"
require_switch_binaries "$daemon" kubectl curl
require_probe "$probe"
porter=$probe
source "$here/lib_manager.sh"
manager_lab_vars
example=$here/../../config/switch/$daemon.conf
[ -r "$example" ] || fail "no example $example"

# The example with this lab's values; nothing else changes.
render_example() {
  sed -e "s|@SWITCH_IP@|$SW_IP|g" -e "s|@SWITCH_AS@|$SW_AS|g" \
    -e "s|@PORTER_AS@|$PORTER_AS|g" -e "s|@PORTER_RANGE@|10.96.$net.0/24|g" \
    "$example"
}
lab_switch_up() {
  case $daemon in
    bird)
      { printf 'log stderr all;\n'; render_example; } >"$WORK/bird.conf"
      grep -v '^ *#' "$WORK/bird.conf" | grep -q @ &&
        fail "a placeholder is left in bird.conf"
      bird_launch "$NS_SW" bird-1
      ;;
    frr)
      mkdir -p "$WORK/frr"
      render_example >"$WORK/frr/bgpd.conf"
      grep -v '^!' "$WORK/frr/bgpd.conf" | grep -q @ &&
        fail "a placeholder is left in bgpd.conf"
      frr_launch "$NS_SW" bgpd-1
      ;;
  esac
}
# The example has no fixed neighbour (a listen range): bgpd answers once
# its running configuration holds the router.
frr_vty_answers() { [[ $(vtysh_sw -c 'show running-config') == *"router bgp $SW_AS"* ]]; }
manager_lab_up
switch_view() {
  case $daemon in
    bird) birdc_sw show protocols all ;;
    frr) vtysh_sw -c 'show bgp summary' -c "show bgp ipv4 unicast $PREFIX" ;;
  esac
  ip -n "$NS_SW" route show
}
dump_view() { switch_view; }

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
  gracefulRestart: {enabled: true, restartTime: 30}
  afiSafis:
  - config: {family: {afi: AFI_IP, safi: SAFI_UNICAST}, enabled: true}
    addPaths: {config: {sendMax: 8}}
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
start_bg m1 ip netns exec "$NS_M1" "$porter" manager \
  --kubeconfig "$WORK/kubeconfig" --namespace porter-system --identity m1 \
  --node-name node-1 --admin-listen 127.0.0.1:0 \
  --lease-duration "$LEASE" --renew-deadline 3 --retry-period 1

fib() { fib_nexthops "$NS_SW" "$PREFIX"; }
fib_is() { [ "$(fib)" = "$1" ]; }
t=$(now_us)
poll_until 20 fib_is "$N1 $N2 $N3" ||
  fail "the $daemon example: FIB for $PREFIX is '$(fib)', want '$N1 $N2 $N3'"
switch_view | sed -n '1,40p'
step_ok 1 "$daemon from config/switch/$daemon.conf: 3 ADD-PATH paths → one 3-way ECMP route" "$t"

t=$(now_us)
web_endpoints 1 3
poll_until 15 fib_is "$N1 $N3" ||
  fail "after node-2 lost its endpoint: FIB '$(fib)', want '$N1 $N3'"
step_ok 2 "an endpoint gone → its node's path withdrawn, 2-way ECMP" "$t"
log "PASS"
