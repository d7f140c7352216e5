#!/usr/bin/env bash
# `porter manager` against `porter sim apiserver` (issue #7 items 1, 5, 6, 8):
# two replicas elect a leader and report ready on /readyz; Services get
# distinct IPs from the pool, in status and in the Eip ledger; restarting
# both managers changes none of 1,000 IPs; deleting a Service releases its IP
# and lets the object go (finalizer); kill -9 of the leader while 500
# Services are created → all allocated, no duplicate, no changed IP.
set -u
porter=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/apiserver_lib.sh"

declare -A managers
managers_cleanup() {
  for id in "${!managers[@]}"; do kill -9 "${managers[$id]}" 2>/dev/null; done
  cleanup
}
trap managers_cleanup EXIT

start_manager() { # start_manager <identity>
  "$porter" manager --kubeconfig "$work/kubeconfig" --namespace porter-system \
    --identity "$1" --lease-duration 4 --renew-deadline 3 --retry-period 1 \
    --admin-listen 127.0.0.1:0 >>"$work/$1.out" 2>>"$work/$1.log" &
  managers[$1]=$!
}
stop_manager() { # SIGTERM, wait
  kill -TERM "${managers[$1]}"; wait "${managers[$1]}" 2>/dev/null
  unset "managers[$1]"
}

admin_port() { # the port the last start of <identity> listens on
  grep -o 'msg=admin_listening .*port=[0-9]*' "$work/$1.log" | tail -1 \
    | grep -o '[0-9]*$'
}
ready() { # ready <identity>: /readyz answers 200
  local port; port=$(admin_port "$1") || return 1
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null
}

service_yaml() { # service_yaml <name>
  cat <<YAML
apiVersion: v1
kind: Service
metadata:
  name: $1
  namespace: default
  annotations:
    lb.kubesphere.io/v1alpha1: porter
    eip.openelb.kubesphere.io/v1alpha2: pool-a
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
YAML
}
create_services() { # create_services <from> <to>
  for i in $(seq "$1" "$2"); do service_yaml "svc-$i"; echo "---"; done \
    | k apply -f - >/dev/null
}
# "name ip" for every Service that has one, sorted.
assigned() {
  k get svc -n default -o \
    jsonpath='{range .items[*]}{.metadata.name} {.status.loadBalancer.ingress[0].ip}{"\n"}{end}' \
    | awk 'NF==2' | sort
}
count_assigned() { [ "$(assigned | wc -l)" -eq "$1" ]; }
no_duplicates() { [ -z "$(assigned | awk '{print $2}' | sort | uniq -d)" ]; }
eip_usage() { k get eip pool-a -o jsonpath='{.status.usage}'; }
usage_is() { [ "$(eip_usage)" = "$1" ]; }

start_apiserver
k apply -k "$here/../../config/crd" >/dev/null || { echo "FAIL CRDs"; exit 1; }
k create namespace porter-system >/dev/null
eventually 10 k get eips >/dev/null 2>&1
k apply -f - >/dev/null <<'YAML' || { echo "FAIL pool"; exit 1; }
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata:
  name: pool-a
spec:
  address: 10.50.0.0/20
YAML

# /readyz includes "bgp configuration": a BgpConf without peers, no listener
# (both replicas run on this host).
k apply -f - >/dev/null <<'YAML' || { echo "FAIL BgpConf"; exit 1; }
apiVersion: network.kubesphere.io/v1alpha2
kind: BgpConf
metadata:
  name: default
spec: {as: 65100, routerId: 10.0.0.1, listenPort: -1}
YAML

start_manager m1
start_manager m2
check "both replicas report ready on /readyz" eventually 15 \
  bash -c "$(declare -f admin_port ready); work=$work; ready m1 && ready m2"
check "/healthz answers" \
  curl -sf -o /dev/null "http://127.0.0.1:$(admin_port m1)/healthz"
check "/readyz names its checks" bash -c \
  "curl -s http://127.0.0.1:$(admin_port m1)/readyz | grep -q '\[+\]watch services ok'"
check "/readyz reports the BGP configuration" bash -c \
  "curl -s http://127.0.0.1:$(admin_port m1)/readyz | grep -q '\[+\]bgp configuration ok (0 peers)'"
create_services 1 20
check "20 Services get an IP" eventually 30 count_assigned 20
check "no IP is given twice" no_duplicates
check "every IP is inside the pool" \
  bash -c "! grep -v ' 10\\.50\\.' <<<\"$(assigned)\""
check "the Eip ledger counts 20" eventually 10 usage_is 20
create_services 21 1000
check "1,000 Services get an IP" eventually 90 count_assigned 1000
check "no IP is given twice among 1,000" no_duplicates
check "the Eip ledger counts 1,000" eventually 20 usage_is 1000
finalizer_of() { k get svc "$1" -o jsonpath='{.metadata.finalizers[0]}'; }
check "Services carry the finalizer" \
  test "$(finalizer_of svc-1)" = finalizer.lb.kubesphere.io/v1alpha1
before=$(assigned)
# always <seconds> <command...>: the command holds at every poll for that long.
always() {
  local deadline=$(( $(date +%s%3N) + $1 * 1000 )); shift
  while [ "$(date +%s%3N)" -lt "$deadline" ]; do "$@" || return 1; sleep 0.1; done
}
unchanged() { test "$(assigned)" = "$before"; }
holder() {
  k get lease -n porter-system porter-manager -o jsonpath='{.spec.holderIdentity}'
}

# --- restart both managers: nothing changes ------------------------------------
stop_manager m1; stop_manager m2
start_manager m1; start_manager m2
has_holder() { [ -n "$(holder)" ]; }
check "a manager leads again after the restart" eventually 20 has_holder
check "all 1,000 Services keep their IP across the restart (watched 3 s)" \
  always 3 unchanged

# --- delete: the IP goes back, the object goes away ----------------------------
k delete svc svc-7 --wait=false >/dev/null
gone() { ! k get svc svc-7 >/dev/null 2>&1; }
check "deleted Service is gone once released" eventually 20 gone
check "the Eip ledger counts 999" eventually 10 usage_is 999

# --- kill -9 the leader while 500 more Services arrive ------------------------
leader=$(holder)
create_services 1001 1250 &
creator=$!
sleep 0.5
check "the leader is killed while Services are being created" \
  kill -0 "$creator"
{ kill -9 "${managers[$leader]}"; wait "${managers[$leader]}"; } 2>/dev/null
unset "managers[$leader]"
wait $creator
create_services 1251 1500
check "all 1,499 Services get an IP after the failover" \
  eventually 90 count_assigned 1499
check "still no IP given twice" no_duplicates
# The Services created before the failover: svc-1 … svc-1000 but svc-7.
after=$(assigned | grep -v -E '^svc-(100[1-9]|10[1-9][0-9]|1[1-4][0-9][0-9]|1500) ')
check "no earlier Service changed its IP" \
  test "$after" = "$(grep -v '^svc-7 ' <<<"$before")"
check "the Eip ledger counts 1,499" eventually 20 usage_is 1499

# --- exhaustion: pending with an Event, then a bigger pool allocates --------
k apply -f - >/dev/null <<'YAML'
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata:
  name: tiny
spec:
  address: 10.60.0.0/31
YAML
for i in 1 2 3; do
  service_yaml "tiny-$i" | sed 's/pool-a/tiny/' | k apply -f - >/dev/null
done
tiny_assigned() { assigned | grep -c '^tiny-'; }
two_of_three() { [ "$(tiny_assigned)" -eq 2 ]; }
check "an exhausted pool serves 2 of 3" eventually 20 two_of_three
failed_event() {
  k get events -n default -o jsonpath='{range .items[*]}{.reason} {.message}{"\n"}{end}' \
    | grep -q 'AllocationFailed.*tiny'
}
failed_event_v1() {
  k get events.v1.events.k8s.io -n default \
    -o jsonpath='{range .items[*]}{.reason} {.note}{"\n"}{end}' \
    | grep -q 'AllocationFailed.*tiny'
}
either_event() { failed_event || failed_event_v1; }
check "the third gets an AllocationFailed Event naming the pool" \
  eventually 15 either_event
k patch eip tiny --type merge -p '{"spec":{"address":"10.60.0.0/30"}}' >/dev/null
three_of_three() { [ "$(tiny_assigned)" -eq 3 ]; }
check "growing the pool allocates the third" eventually 20 three_of_three

# --- a pool that overlaps an older one: Warning Event, the older serves on ---
k apply -f - >/dev/null <<'YAML'
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata:
  name: overlapping
spec:
  address: 10.50.15.0/24
YAML
events_text() { # every Event's reason and message, both APIs
  k get events -A -o jsonpath='{range .items[*]}{.reason} {.message}{"\n"}{end}'
  k get events.v1.events.k8s.io -A \
    -o jsonpath='{range .items[*]}{.reason} {.note}{"\n"}{end}'
}
overlap_event() { events_text | grep -q 'AddressOverlap.*pool-a'; }
check "the younger overlapping pool gets an AddressOverlap Warning Event" \
  eventually 15 overlap_event
ready_of() { k get eip "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'; }
check "the overlapping pool is not Ready" test "$(ready_of overlapping)" = False
check "the older pool stays Ready" test "$(ready_of pool-a)" = True
service_yaml after-overlap | k apply -f - >/dev/null
after_overlap_assigned() { assigned | grep -q '^after-overlap 10\.50\.'; }
check "the older pool still allocates" eventually 20 after_overlap_assigned

# --- OpenELB users' objects, unchanged ------------------------------------------
# Only OpenELB's Eip: its BgpPeer names an address outside this machine, and
# these managers must not try to reach it.
awk 'BEGIN { RS = "---\n" } /kind: Eip/ { print "---"; printf "%s", $0 }' \
  "$here/testdata/openelb-objects.yaml" | k apply -f - >/dev/null
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: openelb-named
  namespace: default
  annotations:
    lb.kubesphere.io/v1alpha1: openelb
    protocol.openelb.kubesphere.io/v1alpha1: bgp
    eip.openelb.kubesphere.io/v1alpha2: eip-pool
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata:
  name: openelb-default
  namespace: default
  annotations:
    lb.kubesphere.io/v1alpha1: openelb
spec:
  type: LoadBalancer
  ports: [{port: 443, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata:
  name: porter-legacy-ip
  namespace: default
  annotations:
    lb.kubesphere.io/v1alpha1: porter
    eip.porter.kubesphere.io/v1alpha1: 192.168.0.150
spec:
  type: LoadBalancer
  ports: [{port: 8080, protocol: TCP}]
YAML
ip_of() { k get svc "$1" -o jsonpath='{.status.loadBalancer.ingress[0].ip}'; }
ip_is() { [ "$(ip_of "$1")" = "$2" ]; }
# Which of the two gets .100 depends on whether one pass sees both.
in_openelb_pool() {
  [[ $(ip_of "$1") =~ ^192\.168\.0\.(1[0-9][0-9]|200)$ ]] &&
    [ "$(k get svc "$1" -o jsonpath='{.metadata.labels.eip\.openelb\.kubesphere\.io/v1alpha2}')" = eip-pool ]
}
check "an OpenELB Service without a pool uses the default pool" \
  eventually 20 in_openelb_pool openelb-default
check "an OpenELB Service naming its pool gets an IP from it" \
  eventually 20 in_openelb_pool openelb-named
check "the two got different IPs" \
  test "$(ip_of openelb-default)" != "$(ip_of openelb-named)"
check "Porter v0.x's IP annotation is honoured" \
  eventually 20 ip_is porter-legacy-ip 192.168.0.150

# --- --bgp-config: the seed's static config.toml instead of the CRDs ------
cat >"$work/bad.toml" <<'TOML'
[global.config]
  as = 0
TOML
out=$("$porter" manager --kubeconfig "$work/kubeconfig" --identity m3 \
  --admin-listen '' --bgp-config "$work/bad.toml" 2>&1)
rc=$?
check "a bad --bgp-config exits 1" test "$rc" -eq 1
check "... with one line naming the file and the key" \
  bash -c "[ \$(wc -l <<<'$out') -eq 1 ] && grep -q 'bad.toml.*as' <<<'$out'"
cat >"$work/good.toml" <<'TOML'
[global.config]
  as = 65100
  router-id = "10.0.0.3"
  port = -1
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 65000
  [neighbors.transport.config]
    remote-port = 1
TOML
"$porter" manager --kubeconfig "$work/kubeconfig" --namespace porter-system \
  --identity m3 --lease-name static --admin-listen 127.0.0.1:0 \
  --bgp-config "$work/good.toml" >>"$work/m3.out" 2>>"$work/m3.log" &
managers[m3]=$!
static_ready() {
  local port; port=$(admin_port m3) || return 1
  curl -s "http://127.0.0.1:$port/readyz" | grep -q '\[+\]bgp configuration ok (1 peers)'
}
check "a static --bgp-config configures the speaker (1 peer)" eventually 15 static_ready
stop_manager m3

# A sanitizer build reports on stderr; any report fails the test.
check "no sanitizer reports from the managers" \
  bash -c "! grep -l -E 'AddressSanitizer|runtime error:' $work/m*.log"

if [ "$fail" -ne 0 ]; then
  for f in "$work"/m*.log; do echo "--- $f"; tail -15 "$f"; done
fi
exit $fail
