# shellcheck shell=bash
# The lab of the manager's interop test and benchmark (issue #8): a switch
# namespace with a bridge, BIRD 2 (AS 65000) and the API server emulator;
# two replica namespaces (m1, m2) on the bridge; five nodes 10.96.N.11-15
# (permanent neighbours, no hosts). Sourced after lib.sh; needs $net,
# $porter and $here (test/interop).
#
#   SW netns: br0 10.96.N.1/24 (+ .4 for a second switch), BIRD, API server
#   M1 netns: eth0 10.96.N.2    M2 netns: eth0 10.96.N.3    AS 65100

# manager_lab_vars: the addresses and names (readonly).
manager_lab_vars() {
  readonly SW_AS=65000 PORTER_AS=65100 SW_IP=10.96.$net.1 SW2_IP=10.96.$net.4
  readonly M1_IP=10.96.$net.2 M2_IP=10.96.$net.3 EIP=10.200.$net.10
  readonly PREFIX=$EIP/32 LEASE=4
  readonly N1=10.96.$net.11 N2=10.96.$net.12 N3=10.96.$net.13 N4=10.96.$net.14 \
    N5=10.96.$net.15
  sfx=$(short_suffix)
  readonly NS_SW=pim-sw-$sfx NS_M1=pim-m1-$sfx NS_M2=pim-m2-$sfx
  starts=0
}

# manager_lab_up: namespaces, bridge, BIRD (protocols m1, m2 with ADD-PATH
# receive, graceful restart, multipath into the kernel), API server with
# porter's CRDs, namespace porter-system and the five Ready nodes; defines
# k (kubectl against the emulator), sw_fib and dump_view.
manager_lab_up() {
  netns_add "$NS_SW"
  ip -n "$NS_SW" link add br0 type bridge
  ip -n "$NS_SW" addr add "$SW_IP/24" dev br0
  ip -n "$NS_SW" addr add "$SW2_IP/24" dev br0 # a second peer (tor-b)
  ip -n "$NS_SW" link set br0 up
  local m ns_var ip_var ip i=0
  for m in 1 2; do
    ns_var=NS_M$m ip_var=M${m}_IP
    netns_add "${!ns_var}"
    ip link add "sw-m$m" netns "$NS_SW" type veth peer name eth0 netns "${!ns_var}"
    ip -n "$NS_SW" link set "sw-m$m" master br0 up
    ip -n "${!ns_var}" addr add "${!ip_var}/24" dev eth0
    ip -n "${!ns_var}" link set eth0 up
  done
  static_neighbours "$NS_SW" br0 "10.96.$net." 11 12 13 14 15

  # A test may bring its own switch (lab_switch_up); the default is BIRD
  # with one protocol per replica.
  if declare -F lab_switch_up >/dev/null; then
    lab_switch_up
  else
  cat >"$WORK/bird.conf" <<EOF
$(bird_conf_head "$SW_IP")
$(bird_kernel_multipath ipv4)
template bgp replica {
  local $SW_IP as $SW_AS;
  strict bind on;        # tor and tor-b share neighbours: match by address
  graceful restart on;   # keep a crashed leader's routes (stale)
$(bird_fast_retry)
  ipv4 { import all; export none; add paths rx; };
}
protocol bgp m1 from replica { neighbor $M1_IP as $PORTER_AS; }
protocol bgp m2 from replica { neighbor $M2_IP as $PORTER_AS; }
EOF
  bird_launch "$NS_SW" "bird-$((++starts))"
  fi
  start_bg apiserver ip netns exec "$NS_SW" "$porter" --log-level warn sim \
    apiserver --listen "$SW_IP:0" --tls --token interop \
    --kubeconfig-out "$WORK/kubeconfig"
  poll_until 10 test -s "$WORK/kubeconfig" || fail "API server did not start"
  k() { ip netns exec "$NS_SW" kubectl --kubeconfig "$WORK/kubeconfig" \
    --request-timeout=20s "$@"; }
  k apply -k "$here/../../config/crd" >/dev/null
  k create namespace porter-system >/dev/null
  poll_until 10 k get eips >/dev/null 2>&1 || fail "CRDs not served"

  node_json() { # node_json <name> <ip> <Ready status>
    printf '{"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},' "$1"
    printf '"status":{"addresses":[{"type":"InternalIP","address":"%s"}],' "$2"
    printf '"conditions":[{"type":"Ready","status":"%s"}]}}' "$3"
  }
  for ip in $N1 $N2 $N3 $N4 $N5; do
    i=$((i + 1))
    node_json "node-$i" "$ip" True | k create -f - >/dev/null
  done
}

# web_endpoints <node number...>: the EndpointSlice of default/web with one
# ready endpoint (10.244.0.N) on each of those nodes; none: no endpoints.
web_endpoints() {
  local n eps=""
  for n in "$@"; do
    eps+="{\"addresses\":[\"10.244.0.$n\"],\"conditions\":{\"ready\":true},\"nodeName\":\"node-$n\"},"
  done
  printf '{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"web-x","namespace":"default","labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4","endpoints":[%s],"ports":[{"port":8080,"protocol":"TCP"}]}' "${eps%,}" |
    k apply -f - >/dev/null
}
