#!/usr/bin/env bash
# `porter agent` on a real kernel (issue #9 item 5), inside namespaces made
# here: the API server emulator, one manager and the agent run in the "node"
# namespace; a "peer" namespace routes the EIP pools to it over a veth.
#   rules and the local route appear for allocated EIPs (IPv4 and IPv6) and
#   go when released; a TCP listener on the wildcard address answers a
#   connection to the EIP only while the rule is there; a rule or route
#   deleted or changed by hand is back within 2 s (netlink monitor); an agent
#   restart removes and re-adds nothing; the API server stopped or gone
#   leaves the rules in place; without CAP_NET_ADMIN the agent says so at
#   start and /readyz stays 503; foreign rules are never touched;
#   `porter agent --cleanup` leaves the namespace exactly as it was.
# usage: agent_rules_test.sh <path-to-porter>
set -euo pipefail
porter=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
interop_init agent_rules
require_binaries kubectl python3 setpriv promtool

sfx=$(short_suffix)
NODE=pia-node-$sfx PEER=pia-peer-$sfx
netns_add "$NODE"
netns_add "$PEER"
veth_pair "$NODE" n0 10.97.0.1/24 "$PEER" p0 10.97.0.2/24
addr6 "$NODE" n0 fd97::1/64
addr6 "$PEER" p0 fd97::2/64
ip -n "$PEER" route add 10.98.0.0/24 via 10.97.0.1
ip -n "$PEER" -6 route add fd98::/64 via fd97::1
in_node() { ip netns exec "$NODE" "$@"; }
# stays_for <seconds> <command...>: the command holds at every 0.1 s poll
# for the whole time (an absence of change, not a wait for one).
stays_for() {
  local deadline
  deadline=$(($(now_us) + $(to_us "$1")))
  shift
  while [ "$(now_us)" -lt "$deadline" ]; do
    "$@" >/dev/null 2>&1 || return 1
    sleep 0.1
  done
}
# grep that reads all its input: `cmd | grep -q` under pipefail fails when
# grep exits first and cmd dies of SIGPIPE.
grep_all() { grep "$@" >/dev/null; }

# Somebody else's rules, one of them in porter's table at porter's priority.
in_node ip rule add to 10.98.0.200 lookup 101 pref 90
in_node ip rule add from 192.0.2.1 lookup 200 pref 100
in_node ip route add 192.0.2.0/24 dev lo table 200
snapshot() {
  in_node ip -4 rule show
  in_node ip -6 rule show
  in_node ip -4 route show table all
  in_node ip -6 route show table all
}
# The kernel's own link-local address arrives once DAD is done: wait for
# it, so the snapshot holds only what porter could change.
link_local_ready() {
  in_node ip -6 addr show dev n0 scope link | grep_all inet6 &&
    ! in_node ip -6 addr show dev n0 tentative | grep_all inet6
}
poll_until 10 link_local_ready || fail "no link-local address on n0"
snapshot >"$WORK/before.txt"

start_bg apiserver ip netns exec "$NODE" "$porter" --log-level warn sim \
  apiserver --listen 127.0.0.1:0 --tls --token interop \
  --kubeconfig-out "$WORK/kubeconfig"
API_PID=$LAST_PID
poll_until 10 test -s "$WORK/kubeconfig" || fail "API server did not start"
k() { in_node kubectl --kubeconfig "$WORK/kubeconfig" --request-timeout=20s "$@"; }
k apply -k "$here/../../config/crd" >/dev/null
k create namespace porter-system >/dev/null
poll_until 10 k get eips || fail "CRDs not served"
k apply -f - >/dev/null <<'YAML'
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata: {name: pool-v4}
spec: {address: 10.98.0.10-10.98.0.19}
---
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata: {name: pool-v6}
spec: {address: "fd98::10-fd98::19"}
YAML

start_bg manager ip netns exec "$NODE" "$porter" manager \
  --kubeconfig "$WORK/kubeconfig" --namespace porter-system --identity m1 \
  --lease-duration 4 --renew-deadline 3 --retry-period 1 --admin-listen ''
agent_starts=0
start_agent() { # start_agent [flags]: sets AGENT_PID, AGENT_LOG
  agent_starts=$((agent_starts + 1))
  AGENT_LOG=$WORK/agent-$agent_starts.err
  start_bg "agent-$agent_starts" ip netns exec "$NODE" "$porter" agent \
    --kubeconfig "$WORK/kubeconfig" --node node-1 --admin-listen 127.0.0.1:0 \
    --resync-period 2 "$@"
  AGENT_PID=$LAST_PID
}
admin_port() { grep -o 'msg=admin_listening .*port=[0-9]*' "$AGENT_LOG" | grep -o '[0-9]*$'; }
readyz() { in_node curl -s "http://127.0.0.1:$(admin_port)/readyz?verbose"; }
ready() { in_node curl -sf "http://127.0.0.1:$(admin_port)/readyz" >/dev/null; }

service() { # service <name> <pool> [IPv4|IPv6]
  k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata:
  name: $1
  namespace: default
  annotations:
    lb.kubesphere.io/v1alpha1: porter
    eip.openelb.kubesphere.io/v1alpha2: $2
spec:
  type: LoadBalancer
  ipFamilyPolicy: SingleStack
  ipFamilies: [${3:-IPv4}]
  ports: [{port: 8080, protocol: TCP}]
YAML
}
ip_of() { k get svc "$1" -o jsonpath='{.status.loadBalancer.ingress[0].ip}'; }
has_ip() { [ -n "$(ip_of "$1")" ]; }

# porter's rules: "<priority>: from all to <EIP> lookup <table> proto 200".
porter_rules() { { in_node ip rule show; in_node ip -6 rule show; } | grep 'proto 200' || true; }
rule_for() { porter_rules | grep_all "to $1 lookup 101\$\|to $1 lookup 101 "; }
no_rule_for() { ! rule_for "$1"; }
local_route() { in_node ip "$1" route show table 101 2>/dev/null | grep_all '^local default dev lo proto 200'; }
no_local_route() { ! local_route "$1"; }

dump_view() {
  echo "--- ip rule"; in_node ip rule show; in_node ip -6 rule show
  echo "--- table 101"; in_node ip route show table 101; in_node ip -6 route show table 101
  echo "--- services"; k get svc -o wide 2>&1 | head -20
  [ -n "${AGENT_LOG:-}" ] && { echo "--- readyz"; readyz; }
}

# ------------------------------------------------------------------ 1 ----
t=$(now_us)
start_agent
service svc-a pool-v4
service svc-b pool-v4
poll_until 20 has_ip svc-a || fail "svc-a got no IP from the manager"
poll_until 20 has_ip svc-b || fail "svc-b got no IP"
A=$(ip_of svc-a) B=$(ip_of svc-b)
poll_until 10 rule_for "$A" || fail "no rule for $A"
poll_until 10 rule_for "$B" || fail "no rule for $B"
local_route -4 || fail "no IPv4 local route in table 101"
no_local_route -6 || fail "an IPv6 local route without an IPv6 EIP"
poll_until 10 ready || fail "agent not ready: $(readyz)"
readyz | grep_all '\[+\]node rules ok' || fail "readyz lacks the rules check: $(readyz)"
step_ok 1 "rules and the IPv4 local route for $A, $B" "$t"

# ------------------------------------------------------------------ 2 ----
# A wildcard listener in the node; the peer connects to the EIP. The rule
# makes the node take the EIP's packets as its own; the answer leaves from
# the EIP, an address no interface holds, which the kernel's output route
# check (__ip_dev_find: interface addresses, then table local only) refuses
# unless the socket is transparent. In a cluster kube-proxy's DNAT answers
# for the Service instead; here IP_TRANSPARENT (19, IPV6_TRANSPARENT 75)
# stands in for it.
t=$(now_us)
start_bg listener ip netns exec "$NODE" "$PYTHON" -c '
import socket
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_IP, 19, 1); s.setsockopt(socket.IPPROTO_IPV6, 75, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("::", 8080)); s.listen(64)
while True:
    c, _ = s.accept(); c.sendall(b"node\n"); c.close()'
LISTENER_PID=$LAST_PID
connects() { # connects <ip>: the peer gets the listener's greeting
  ip netns exec "$PEER" "$PYTHON" -c '
import socket, sys
c = socket.create_connection((sys.argv[1], 8080), timeout=1)
sys.exit(0 if c.recv(16) == b"node\n" else 1)' "$1" 2>/dev/null
}
poll_until 5 connects "$A" || fail "no connection to $A through the rule"
connects 10.98.0.99 && fail "a connection to 10.98.0.99 (no rule) succeeded"
step_ok 2 "traffic to $A delivered by the rule; 10.98.0.99 without one is not" "$t"

# ------------------------------------------------------------------ 3 ----
t=$(now_us)
# Somebody's copy of porter's rule for A, same priority and table, no
# protocol: deleting porter's (by protocol) must leave it.
a_pref=$(porter_rules | grep "to $A lookup 101 " | cut -d: -f1)
in_node ip rule add to "$A" lookup 101 pref "$a_pref"
k delete svc svc-a --wait=false >/dev/null
poll_until 10 no_rule_for "$A" || fail "rule for released $A still there"
rule_for "$B" || fail "rule for $B lost while releasing $A"
in_node ip rule show | grep_all "^$a_pref:.*to $A lookup 101 *\$" ||
  fail "the foreign copy of $A's rule went with porter's"
in_node ip rule del to "$A" lookup 101 pref "$a_pref"
connects "$A" && fail "a connection to released $A succeeded"
step_ok 3 "released $A: rule gone (a foreign copy kept), traffic not delivered" "$t"

# ------------------------------------------------------------------ 4 ----
t=$(now_us)
service svc-v6 pool-v6 IPv6
poll_until 20 has_ip svc-v6 || fail "svc-v6 got no IP"
V6=$(ip_of svc-v6)
poll_until 10 rule_for "$V6" || fail "no rule for $V6"
poll_until 5 local_route -6 || fail "no IPv6 local route in table 101"
poll_until 5 connects "$V6" || fail "no connection to $V6"
k delete svc svc-v6 --wait=false >/dev/null
poll_until 10 no_rule_for "$V6" || fail "rule for released $V6 still there"
poll_until 5 no_local_route -6 || fail "IPv6 local route stays without IPv6 EIPs"
local_route -4 || fail "IPv4 local route lost"
step_ok 4 "IPv6 EIP $V6: rule and route appear, traffic, both go on release" "$t"

# ------------------------------------------------------------------ 5 ----
t=$(now_us)
in_node ip rule del to "$B" lookup 101 proto 200
poll_until 2 rule_for "$B" || fail "deleted rule for $B not restored within 2 s"
in_node ip rule del to "$B" lookup 101 proto 200
in_node ip rule add to "$B" lookup 102 pref 10001 proto 200 # changed by hand
poll_until 2 rule_for "$B" || fail "changed rule for $B not restored within 2 s"
poll_until 2 eval '! porter_rules | grep_all "lookup 102"' ||
  fail "the hand-changed rule (lookup 102) stays"
in_node ip route del local default table 101
poll_until 2 local_route -4 || fail "deleted local route not restored within 2 s"
grep -q 'msg=rules_repaired' "$AGENT_LOG" || fail "no rules_repaired log line"
# The same on /metrics (issue #11): rules kept, repairs counted.
in_node curl -sf "http://127.0.0.1:$(admin_port)/metrics" >"$WORK/agent-metrics.txt" ||
  fail "no /metrics from the agent"
promtool check metrics <"$WORK/agent-metrics.txt" ||
  fail "promtool rejects the agent's metrics"
metric() { awk -v s="$1" 'index($0, s " ") == 1 { print $2 }' "$WORK/agent-metrics.txt"; }
[ "$(metric 'porter_agent_rules{table="101"}')" = 1 ] ||
  fail "porter_agent_rules: $(metric 'porter_agent_rules{table="101"}'), want 1"
[ "$(metric porter_agent_rule_repairs_total)" -ge 2 ] ||
  fail "porter_agent_rule_repairs_total: $(metric porter_agent_rule_repairs_total)"
in_node "$porter" inspect rules --endpoint "127.0.0.1:$(admin_port)" >"$WORK/inspect-rules.txt" ||
  fail "porter inspect rules failed"
grep -E "^$B +101 +[0-9]+$" "$WORK/inspect-rules.txt" >/dev/null ||
  fail "inspect rules lacks $B: $(cat "$WORK/inspect-rules.txt")"
# The agent's actors (issue #11 item 6): itself and its Services watcher.
in_node "$porter" inspect actors --endpoint "127.0.0.1:$(admin_port)" >"$WORK/inspect-actors.txt" ||
  fail "porter inspect actors failed"
cat "$WORK/inspect-actors.txt"
[ "$(awk 'NR > 1 { print $1 "/" $2 }' "$WORK/inspect-actors.txt" | tr '\n' ' ')" = "agent/node-1 watcher/services " ] ||
  fail "inspect actors: want agent/node-1 and watcher/services"
grep -E '^agent +node-1 .* 1 rules, [0-9]+ repairs$' "$WORK/inspect-actors.txt" >/dev/null ||
  fail "inspect actors: the agent's state"
step_ok 5 "drift repaired: deleted rule, changed rule, deleted route" "$t"

# ------------------------------------------------------------------ 6 ----
t=$(now_us)
service svc-c pool-v4
poll_until 20 has_ip svc-c || fail "svc-c got no IP"
C=$(ip_of svc-c)
poll_until 10 rule_for "$C" || fail "no rule for $C"
start_bg rule-monitor ip netns exec "$NODE" ip monitor rule route
MONITOR_PID=$LAST_PID
sleep 0.3
stop_pid "$AGENT_PID"
rule_for "$B" && rule_for "$C" || fail "rules gone after the agent stopped"
start_agent
poll_until 10 ready || fail "restarted agent not ready: $(readyz)"
monitor_quiet() { [ ! -s "$WORK/rule-monitor.out" ]; }
# Through a periodic check too (--resync-period 2).
stays_for 2.5 monitor_quiet ||
  fail "agent restart changed rules or routes: $(cat "$WORK/rule-monitor.out")"
stop_pid "$MONITOR_PID"
step_ok 6 "agent restart: no rule or route removed or re-added" "$t"

# ------------------------------------------------------------------ 7 ----
t=$(now_us)
before_outage=$(porter_rules)
rules_unchanged() { [ "$(porter_rules)" = "$before_outage" ]; }
kill -STOP "$API_PID"
stays_for 4 rules_unchanged || fail "rules changed while the API server hung"
kill -CONT "$API_PID"
poll_until 5 ready || fail "agent not ready after the API server came back"
step_ok 7 "API server hung 4 s: rules unchanged" "$t"

# ------------------------------------------------------------------ 8 ----
t=$(now_us)
start_bg agent-no-cap ip netns exec "$NODE" setpriv --bounding-set=-net_admin \
  -- "$porter" agent --kubeconfig "$WORK/kubeconfig" \
  --node node-1 --admin-listen 127.0.0.1:0 --table 102 --resync-period 2
NOCAP_PID=$LAST_PID
grep_nocap() { grep -q "$1" "$WORK/agent-no-cap.err"; }
poll_until 5 grep_nocap 'porter agent: no CAP_NET_ADMIN' ||
  fail "no start-up line about the missing CAP_NET_ADMIN"
nocap_readyz() {
  local port
  port=$(grep -o 'msg=admin_listening .*port=[0-9]*' "$WORK/agent-no-cap.err" | grep -o '[0-9]*$')
  in_node curl -s "http://127.0.0.1:$port/readyz?verbose"
}
poll_until 10 eval 'nocap_readyz | grep_all "\[-\]node rules failed: .*needs CAP_NET_ADMIN"' ||
  fail "readyz without CAP_NET_ADMIN: $(nocap_readyz)"
in_node ip rule show | grep_all 'lookup 102' && fail "the agent without CAP_NET_ADMIN changed rules"
stop_pid "$NOCAP_PID"
step_ok 8 "without CAP_NET_ADMIN: start-up line, /readyz 503 with the reason" "$t"

# ------------------------------------------------------------------ 9 ----
t=$(now_us)
stop_pid "$API_PID"
stays_for 4 rules_unchanged || fail "rules changed with the API server gone"
pid_alive "$AGENT_PID" || fail "agent exited with the API server gone"
in_node ip rule show | grep_all 'to 10.98.0.200 lookup 101' || fail "foreign rule in table 101 removed"
in_node ip rule show | grep_all 'from 192.0.2.1 lookup 200' || fail "foreign rule removed"
step_ok 9 "API server gone 4 s: rules unchanged; foreign rules untouched" "$t"

# ----------------------------------------------------------------- 10 ----
t=$(now_us)
stop_pid "$AGENT_PID"
stop_pid "$LISTENER_PID"
in_node "$porter" agent --cleanup >"$WORK/cleanup.out" ||
  fail "cleanup failed: $(cat "$WORK/cleanup.out")"
grep -q 'removed 2 rules and 1 routes' "$WORK/cleanup.out" ||
  fail "cleanup said: $(cat "$WORK/cleanup.out")"
snapshot >"$WORK/after.txt"
diff -u "$WORK/before.txt" "$WORK/after.txt" >&2 ||
  fail "the namespace differs from before the agent ran"
in_node "$porter" agent --cleanup | grep_all 'removed 0 rules and 0 routes' ||
  fail "a second cleanup found something"
step_ok 10 "cleanup: rules and routes exactly as before the agent" "$t"
log "PASS"
