#!/usr/bin/env bash
# Benchmark (issue #4): originate and send IPv4 /32 to ONE receiving peer.
# Senders, each in turn against the same receiver (bgp_sink.py) in the same
# run: porter (porter_bgp_probe), BIRD 2 (a static protocol exported over
# eBGP) and gobgpd 3 (paths injected through its gRPC API, AddPathStream).
# Sizes: 100k and 1M /32 for all three; 100k /32 with two next hops via
# ADD-PATH for porter. Plus porter's idle RSS and the sink's own ceiling.
#
#   bench-rx-XXXXX (receiver)                bench-tx-XXXXX (sender)
#   rx0 10.1.0.2/24  AS 65002  ---veth---    tx0 10.1.0.1/24  AS 65001
#
# What is measured, per sender and size:
#   seconds    the sink's Established -> the sink holds all N routes
#              (porter, BIRD: the sink holds back its OPEN until the sender
#              has loaded its routes and gone idle, so Established is when
#              sending can start); gobgpd: first AddPath -> all received
#              (its routes can only be injected once it runs; the requests
#              are pre-serialized so the client costs ~nothing)
#   first_update, t99  the same start -> first UPDATE / 99 % of the routes
#              (BIRD 2.0.12 was seen, under strace, to send all but its last
#              UPDATE at once and the last one plus End-of-RIB only when its
#              main loop's 3 s poll timed out: its "seconds" carry a 0-3 s
#              stall that t99 does not)
#   updates, bytes   UPDATE messages and their bytes, counted by the sink
#              (4096-byte maximum: the sink offers no RFC 8654)
#   peak RSS   VmHWM of the sender process after completion
#   CPU        utime+stime of the sender: "cpu" over its whole life (incl.
#              loading routes / parsing config), "send_cpu" from the gate
#              (or first AddPath) to completion
# Derived: packing = NLRI per UPDATE achieved / theoretical
# (4096-23-attr_len)//record, attr_len taken from the UPDATEs received;
# rss_per_route = (VmHWM at 1M - idle VmRSS) / 1M; ratios porter/other.
# Every figure is a line "bench <name> <value> <unit>"; MB = 2^20 bytes.
# A table follows. Targets (issue #4) are shown, not enforced: this is a
# benchmark, not a test. It fails (exit 1) on a missing binary, not being
# root, a sender that does not deliver all routes, or a crash.
#
# Usage (root): bgp_send_bench.sh <path-to-porter_bgp_probe>
# Env: BENCH_GOBGP_1M=0  skip gobgpd at 1M (~2+ minutes)
#      BENCH_PIN=0       do not pin (default: receiver and Python clients on
#                        CPU 0, the sender on CPU 1, as performance.md §8)
#      BENCH_ONLY=list   comma list of sections: ceiling,idle,porter,bird,gobgpd
#      BENCH_STUB_DIR    where deps.sh puts the gobgp gRPC stubs (default:
#                        the scratch directory)
#      KEEP_WORK=1       keep the scratch directory (logs, configs)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../interop/lib.sh
source "$here/../interop/lib.sh"

if [ $# -ne 1 ]; then
  echo "usage: $0 <path-to-porter_bgp_probe>" >&2
  exit 2
fi
probe=$1

interop_init bench_bgp_send
require_binaries ip taskset getconf "$PYTHON" bird gobgpd
if [ ! -f "$probe" ] || [ ! -x "$probe" ]; then
  fail "porter_bgp_probe not found or not executable: '$probe'"
fi
SINK=$here/bgp_sink.py
INJECT=$here/gobgp_inject.py
if [ ! -f "$SINK" ] || [ ! -f "$INJECT" ]; then
  fail "bgp_sink.py / gobgp_inject.py missing in $here"
fi
STUBS=$("$here/deps.sh" "${BENCH_STUB_DIR:-$WORK/gobgp-stubs}") ||
  fail "deps.sh could not install the packages or generate the gobgp stubs"

readonly SMALL=100000 LARGE=1000000
readonly RX_IP=10.1.0.2 TX_IP=10.1.0.1 NH2=10.1.0.3 RX_AS=65002 TX_AS=65001
readonly FIRST=100.64.0.0/32 MAX_MSG=4096 HEADER_BYTES=23
CLK_TCK=$(getconf CLK_TCK)
readonly CLK_TCK
sfx=$(short_suffix)
readonly NS_RX=bench-rx-$sfx NS_TX=bench-tx-$sfx

PIN_RX=()
PIN_TX=()
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  PIN_RX=(taskset -c 0)
  PIN_TX=(taskset -c 1)
fi
ONLY=",${BENCH_ONLY:-ceiling,idle,porter,bird,gobgpd},"
want() { [[ $ONLY == *",$1,"* ]]; }

declare -A R=()    # results: R[<run>.<key>]
declare -a FAILED=()

# ------------------------------------------------------------- helpers ----
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# bench <name> <value> <unit>: the machine-readable line.
bench() { printf 'bench %s %s %s\n' "$1" "$2" "$3"; }

# cpu_ticks <pid>: utime+stime in clock ticks.
cpu_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  echo $((${12} + ${13}))
}

# status_kb <pid> <VmHWM|VmRSS>
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# kv <file> <line-tag> <key>: value of key=value on the last line starting
# with the tag.
kv() {
  awk -v tag="$2" -v key="$3" '$1 == tag { line = $0 } END {
    n = split(line, f, " ")
    for (i = 2; i <= n; i++) { split(f[i], p, "="); if (p[1] == key) print p[2] }
  }' "$1"
}

# has_line <file> <tag>: some line starts with the tag (no file yet: no).
has_line() {
  [ -f "$1" ] || return 1
  awk -v tag="$2" '$1 == tag { found = 1 } END { exit !found }' "$1"
}

# wait_line <timeout> <file> <tag> <pid>: until a line starts with the tag;
# returns 1 on deadline or when the process died without printing it.
wait_line() {
  local deadline
  deadline=$(($(now_us) + $(to_us "$1")))
  while ! has_line "$2" "$3"; do
    if ! pid_alive "$4"; then
      has_line "$2" "$3"
      return
    fi
    [ "$(now_us)" -lt "$deadline" ] || return 1
    sleep 0.02
  done
}

# wait_cpu_idle <pid> <timeout>: the process used <= 1 tick in each of two
# consecutive 200 ms windows (its routes are loaded).
wait_cpu_idle() {
  local pid=$1 deadline prev cur quiet=0
  deadline=$(($(now_us) + $(to_us "$2")))
  prev=$(cpu_ticks "$pid") || return 1
  while true; do
    sleep 0.2
    cur=$(cpu_ticks "$pid") || return 1
    if ((cur - prev <= 1)); then quiet=$((quiet + 1)); else quiet=0; fi
    prev=$cur
    ((quiet < 2)) || return 0
    [ "$(now_us)" -lt "$deadline" ] || return 1
  done
}

# run_failed <run> <message>: records a failed run (the script goes on with
# the other senders and exits 1 at the end) and prints the logs' tails.
run_failed() {
  local run=$1 f
  shift
  FAILED+=("$run: $*")
  log "FAILED $run: $*"
  for f in "$WORK/$run".*.out "$WORK/$run".*.err; do
    [ -s "$f" ] || continue
    echo "----- tail of ${f##*/} -----" >&2
    tail -n 30 "$f" >&2
  done
}

# sink_start <run> <routes> <timeout> [sink options]: SINK_PID, SINK_OUT.
sink_start() {
  local run=$1 routes=$2 timeout=$3
  shift 3
  start_bg "$run.sink" "${PIN_RX[@]}" ip netns exec "$NS_RX" "$PYTHON" "$SINK" recv \
    --listen "$RX_IP" --local-as "$RX_AS" --routes "$routes" --timeout "$timeout" \
    --linger "$@"
  SINK_PID=$LAST_PID
  SINK_OUT=$WORK/$run.sink.out
  wait_line 10 "$SINK_OUT" listening "$SINK_PID" || fail "$run: the sink does not listen"
}

# sink_result <run> <sender-pid> <timeout>: waits for the sink's result and
# samples the sender right then (peak RSS, CPU). 1 if not all routes.
sink_result() {
  local run=$1 pid=$2 timeout=$3 status
  if ! wait_line "$timeout" "$SINK_OUT" result "$SINK_PID"; then
    R[$run.cpu_ticks]=$(cpu_ticks "$pid" || echo 0)
    run_failed "$run" "no result from the sink within $timeout s"
    return 1
  fi
  R[$run.hwm_kb]=$(status_kb "$pid" VmHWM || echo 0)
  R[$run.rss_kb]=$(status_kb "$pid" VmRSS || echo 0)
  R[$run.cpu_ticks]=$(cpu_ticks "$pid" || echo 0)
  status=$(kv "$SINK_OUT" result status)
  if [ "$status" != ok ]; then
    run_failed "$run" "sink status '$status' ($(kv "$SINK_OUT" result routes) routes" \
      "of the expected)"
    return 1
  fi
  pid_alive "$pid" || {
    run_failed "$run" "the sender died"
    return 1
  }
  local k
  for k in established first_update t99 "done" elapsed updates update_bytes nlri nlri_updates routes \
    attr_len_max record_bytes max_nlri_per_update; do
    R[$run.$k]=$(kv "$SINK_OUT" result "$k")
  done
}

# report <run> <size-name> <sender> <start-time> <send-cpu-ticks>: bench
# lines; seconds count from start-time (epoch) to the sink holding all.
report() {
  local run=$1 size=$2 who=$3 start=$4 ticks=$5 theo per secs
  secs=$(calc %.3f "${R[$run.done]} - $start")
  R[$run.secs]=$secs
  R[$run.first_s]=$(calc %.3f "${R[$run.first_update]} - $start")
  R[$run.t99_s]=$(calc %.3f "${R[$run.t99]} - $start")
  R[$run.hwm_mb]=$(calc %.1f "${R[$run.hwm_kb]} / 1024")
  R[$run.cpu]=$(calc %.2f "${R[$run.cpu_ticks]} / $CLK_TCK")
  R[$run.send_cpu]=$(calc %.2f "$ticks / $CLK_TCK")
  per=$(calc %.1f "${R[$run.nlri]} / ${R[$run.nlri_updates]}")
  theo=$(((MAX_MSG - HEADER_BYTES - ${R[$run.attr_len_max]}) / ${R[$run.record_bytes]}))
  R[$run.per]=$per
  R[$run.packing]=$(calc %.4f "$per / $theo")
  R[$run.theo]=$theo
  bench "bgp.$size.$who" "$secs" s
  bench "bgp.$size.first_update.$who" "${R[$run.first_s]}" s
  bench "bgp.$size.t99.$who" "${R[$run.t99_s]}" s
  bench "bgp.$size.updates.$who" "${R[$run.updates]}" updates
  bench "bgp.$size.bytes.$who" "${R[$run.update_bytes]}" B
  bench "bgp.$size.nlri_per_update.$who" "$per" nlri
  bench "bgp.$size.peak_rss.$who" "${R[$run.hwm_mb]}" MB
  bench "bgp.$size.cpu.$who" "${R[$run.cpu]}" s
  bench "bgp.$size.send_cpu.$who" "${R[$run.send_cpu]}" s
}

# fifo_for <run>: a FIFO held open read-write (FIFO_FD), so the probe never
# sees EOF early.
fifo_for() {
  mkfifo "$WORK/$1.in"
  exec {FIFO_FD}<>"$WORK/$1.in"
}

probe_args() {
  echo --local-as "$TX_AS" --router-id "$TX_IP" --peer "$RX_IP" --peer-as "$RX_AS" \
    --local-address "$TX_IP" --hold 240 --connect-retry 1 --log-level warn
}

# ------------------------------------------------------------- topology ----
netns_add "$NS_RX"
netns_add "$NS_TX"
veth_pair "$NS_RX" rx0 "$RX_IP/24" "$NS_TX" tx0 "$TX_IP/24"
log "namespaces $NS_RX / $NS_TX; pinning: ${PIN_RX[*]:-none} (receiver) ${PIN_TX[*]:-none} (sender)"

# ------------------------------------------------------- sink ceiling ----
# A pre-encoded stream written at once: how fast the sink itself ingests.
ceiling() {
  local run=$1 routes=$2 total=$3 name=$4
  shift 4
  local sink_opts=() blast_opts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do sink_opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  blast_opts=("$@")
  sink_start "$run" "$total" 60 "${sink_opts[@]}"
  start_bg "$run.blast" "${PIN_TX[@]}" ip netns exec "$NS_TX" "$PYTHON" "$SINK" blast \
    --connect "$RX_IP" --source "$TX_IP" --local-as "$TX_AS" --routes "$routes" \
    "${blast_opts[@]}"
  local blast_pid=$LAST_PID
  if sink_result "$run" "$blast_pid" 70; then
    R[$run.secs]=$(calc %.3f "${R[$run.elapsed]}")
    bench "bgp.sink.$name" "${R[$run.secs]}" s
    log "sink ceiling $name: ${R[$run.nlri]} NLRI in ${R[$run.updates]} UPDATEs," \
      "$(calc %.0f "${R[$run.nlri]} / ${R[$run.elapsed]}") routes/s"
  fi
  stop_pid "$blast_pid"
  stop_pid "$SINK_PID"
}

if want ceiling; then
  ceiling ceil1m $LARGE $LARGE ceiling1m
  ceiling ceil_ap $SMALL $((2 * SMALL)) ceiling100k_addpath2 --add-path -- \
    --add-path --next-hops "$TX_IP,$NH2"
  ceiling ceil1m1 $LARGE $LARGE ceiling1m_1nlri -- --per-update 1
fi

# ------------------------------------------------------------- porter ----
# porter_idle: VmRSS of the probe Established with no routes.
porter_idle() {
  local run=idle
  sink_start "$run" 0 30
  fifo_for "$run"
  # shellcheck disable=SC2046
  start_bg "$run.probe" --stdin "$WORK/$run.in" "${PIN_TX[@]}" \
    ip netns exec "$NS_TX" "$probe" $(probe_args)
  local pid=$LAST_PID
  if sink_result "$run" "$pid" 30; then
    sleep 1 # settle after Established and the End-of-RIB
    R[idle.rss_kb]=$(status_kb "$pid" VmRSS)
    R[idle.hwm_kb]=$(status_kb "$pid" VmHWM)
    R[idle.rss_mb]=$(calc %.1f "${R[idle.rss_kb]} / 1024")
    bench bgp.idle_rss.porter "${R[idle.rss_mb]}" MB
  fi
  stop_pid "$pid"
  exec {FIFO_FD}>&-
  stop_pid "$SINK_PID"
}

# porter_send <run> <size-name> <prefixes> <routes> <next hops...>
porter_send() {
  local run=$1 size=$2 count=$3 routes=$4
  shift 4
  local sink_opts=()
  [ $# -gt 1 ] && sink_opts=(--add-path)
  sink_start "$run" "$routes" 300 --gate "${sink_opts[@]}"
  fifo_for "$run"
  printf 'announce-range %s %s %s\n' "$FIRST" "$count" "$*" >&"$FIFO_FD"
  # shellcheck disable=SC2046
  start_bg "$run.probe" --stdin "$WORK/$run.in" "${PIN_TX[@]}" \
    ip netns exec "$NS_TX" "$probe" $(probe_args)
  local pid=$LAST_PID t0
  if ! wait_line 30 "$SINK_OUT" peer_open "$SINK_PID"; then
    run_failed "$run" "porter did not connect and send its OPEN within 30 s"
  elif ! wait_cpu_idle "$pid" 120; then
    run_failed "$run" "porter did not go idle (load the routes) within 120 s"
  else
    R[$run.load_cpu]=$(calc %.2f "$(cpu_ticks "$pid") / $CLK_TCK")
    t0=$(cpu_ticks "$pid")
    kill -USR1 "$SINK_PID"
    if sink_result "$run" "$pid" 240; then
      report "$run" "$size" porter "${R[$run.established]}" \
        $((${R[$run.cpu_ticks]} - t0))
      R[$run.probe_updates]=$(awk '$1 == "updates" { s += $2 } END { print s + 0 }' \
        "$WORK/$run.probe.out")
    fi
  fi
  printf 'quit\n' >&"$FIFO_FD"
  stop_pid "$pid"
  exec {FIFO_FD}>&-
  stop_pid "$SINK_PID"
}

if want idle; then porter_idle; fi
if want porter; then
  porter_send p100k send100k $SMALL $SMALL "$TX_IP"
  porter_send p1m send1m $LARGE $LARGE "$TX_IP"
  porter_send pap send100k_addpath2 $SMALL $((2 * SMALL)) "$TX_IP" "$NH2"
fi

# --------------------------------------------------------------- BIRD ----
bird_conf() {
  "$PYTHON" - "$1" "$2" <<EOF
import ipaddress, sys
n, path = int(sys.argv[1]), sys.argv[2]
base = int(ipaddress.IPv4Address('${FIRST%/*}'))
with open(path, 'w') as f:
    f.write('router id $TX_IP;\nlog stderr { error, fatal };\nprotocol device {}\n'
            'protocol static stat1 {\n  ipv4;\n')
    f.writelines(' route %s/32 blackhole;\n' % ipaddress.IPv4Address(base + i)
                 for i in range(n))
    f.write('}\nprotocol bgp sink {\n  local $TX_IP as $TX_AS;\n'
            '  neighbor $RX_IP as $RX_AS;\n  hold time 240;\n'
            '  connect retry time 1;\n  connect delay time 1;\n'
            '  ipv4 { import none; export all; next hop self; };\n}\n')
EOF
}

bird_send() {
  local run=$1 size=$2 count=$3 t0
  bird_conf "$count" "$WORK/$run.conf"
  sink_start "$run" "$count" 600 --gate
  start_bg "$run.bird" "${PIN_TX[@]}" ip netns exec "$NS_TX" bird -f \
    -c "$WORK/$run.conf" -s "$WORK/$run.ctl" -P "$WORK/$run.pid"
  local pid=$LAST_PID
  if ! wait_line 240 "$SINK_OUT" peer_open "$SINK_PID"; then
    run_failed "$run" "BIRD did not connect and send its OPEN within 240 s"
  elif ! wait_cpu_idle "$pid" 240; then
    run_failed "$run" "BIRD did not go idle (load the static routes) within 240 s"
  else
    R[$run.load_cpu]=$(calc %.2f "$(cpu_ticks "$pid") / $CLK_TCK")
    t0=$(cpu_ticks "$pid")
    kill -USR1 "$SINK_PID"
    if sink_result "$run" "$pid" 300; then
      report "$run" "$size" bird "${R[$run.established]}" \
        $((${R[$run.cpu_ticks]} - t0))
    fi
  fi
  stop_pid "$pid"
  stop_pid "$SINK_PID"
}

if want bird; then
  bird_send b100k send100k $SMALL
  bird_send b1m send1m $LARGE
fi

# ------------------------------------------------------------- gobgpd ----
gobgp_send() {
  local run=$1 size=$2 count=$3 t0 timeout
  timeout=$((count >= LARGE ? 600 : 300))
  cat >"$WORK/$run.toml" <<EOF
[global.config]
  as = $TX_AS
  router-id = "$TX_IP"
  local-address-list = ["$TX_IP"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$RX_IP"
    peer-as = $RX_AS
  [neighbors.timers.config]
    hold-time = 240
    keepalive-interval = 80
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
EOF
  sink_start "$run" "$count" "$timeout"
  start_bg "$run.gobgpd" "${PIN_TX[@]}" ip netns exec "$NS_TX" gobgpd \
    -f "$WORK/$run.toml" -l error --api-hosts 127.0.0.1:50051 --pprof-disable
  local pid=$LAST_PID
  if ! wait_line 60 "$SINK_OUT" established "$SINK_PID"; then
    run_failed "$run" "gobgpd did not reach Established within 60 s"
  else
    t0=$(cpu_ticks "$pid")
    start_bg "$run.inject" "${PIN_RX[@]}" ip netns exec "$NS_TX" "$PYTHON" "$INJECT" \
      --stubs "$STUBS" --routes "$count" --next-hop "$TX_IP"
    local inject_pid=$LAST_PID
    if sink_result "$run" "$pid" "$timeout"; then
      if wait_line 60 "$WORK/$run.inject.out" inject "$inject_pid"; then
        R[$run.first]=$(kv "$WORK/$run.inject.out" inject first_addpath)
        R[$run.build]=$(kv "$WORK/$run.inject.out" inject build_seconds)
        report "$run" "$size" gobgpd "${R[$run.first]}" \
          $((${R[$run.cpu_ticks]} - t0))
      else
        run_failed "$run" "the gRPC client did not report"
      fi
    fi
    stop_pid "$inject_pid"
  fi
  stop_pid "$pid"
  stop_pid "$SINK_PID"
}

if want gobgpd; then
  gobgp_send g100k send100k $SMALL
  if [ "${BENCH_GOBGP_1M:-1}" = 0 ]; then
    log "gobgpd at 1M skipped (BENCH_GOBGP_1M=0)"
    R[g1m.skipped]=1
  else
    gobgp_send g1m send1m $LARGE
  fi
fi

# ------------------------------------------------------------ derived ----
have() { [ -n "${R[$1]:-}" ]; }

for size in send100k:100k send1m:1m; do
  name=${size%%:*}
  sfxr=${size#*:}
  have "p$sfxr.secs" || continue
  for other in bird:b gobgpd:g; do
    who=${other%%:*}
    o=${other#*:}$sfxr
    have "$o.secs" || continue
    bench "bgp.$name.ratio_$who" "$(calc %.3f "${R[p$sfxr.secs]} / ${R[$o.secs]}")" x
    bench "bgp.$name.rss_ratio_$who" \
      "$(calc %.3f "${R[p$sfxr.hwm_kb]} / ${R[$o.hwm_kb]}")" x
    if [ "${R[$o.cpu_ticks]}" -gt 0 ]; then
      bench "bgp.$name.cpu_ratio_$who" \
        "$(calc %.3f "${R[p$sfxr.cpu_ticks]} / ${R[$o.cpu_ticks]}")" x
    fi
  done
done
have p1m.packing && bench bgp.packing.porter "${R[p1m.packing]}" fraction
have b1m.packing && bench bgp.packing.bird "${R[b1m.packing]}" fraction
have g1m.packing && bench bgp.packing.gobgpd "${R[g1m.packing]}" fraction
have pap.packing && bench bgp.packing_addpath2.porter "${R[pap.packing]}" fraction
if have p1m.hwm_kb && have idle.rss_kb && have p1m.secs; then
  R[rss_per_route]=$(calc %.0f "(${R[p1m.hwm_kb]} - ${R[idle.rss_kb]}) * 1024 / $LARGE")
  bench bgp.rss_per_route.porter "${R[rss_per_route]}" B
fi

# ---------------------------------------------------------- anomalies ----
for run in p100k p1m pap; do
  have "$run.secs" || continue
  if [ "${R[$run.probe_updates]}" != "${R[$run.updates]}" ]; then
    log "note $run: porter reported ${R[$run.probe_updates]} UPDATEs sent, the sink" \
      "counted ${R[$run.updates]} up to the last route (the End-of-RIB and any" \
      "UPDATE after the set was complete are not counted)"
  fi
  if [ "${R[$run.nlri]}" != "${R[$run.routes]}" ]; then
    log "ANOMALY $run: ${R[$run.nlri]} NLRI announced for ${R[$run.routes]} distinct routes"
  fi
  if [ "$(calc %d "${R[$run.packing]} < 0.95")" = 1 ]; then
    log "ANOMALY $run: ${R[$run.per]} NLRI per UPDATE, theoretical ${R[$run.theo]}"
  fi
done

# -------------------------------------------------------------- table ----
cell() { if have "$1"; then printf '%s' "${R[$1]}"; else printf '%s' "${2:--}"; fi; }
row() { printf '%-34s %14s %14s %14s\n' "$@"; }
{
  echo
  echo "BGP send benchmark: ${LARGE} / ${SMALL} IPv4 /32 to one receiver (4096-byte UPDATEs)"
  echo "pinning: receiver ${PIN_RX[*]:-unpinned}, sender ${PIN_TX[*]:-unpinned}"
  row "" porter "BIRD 2" gobgpd
  for sfxr in 1m 100k; do
    g_note=-
    [ "$sfxr" = 1m ] && have g1m.skipped && g_note=skipped
    for m in "secs:seconds to all received" "first_s:seconds to first UPDATE" \
      "t99_s:seconds to 99 % received" "updates:UPDATEs" "update_bytes:bytes" \
      "per:NLRI per UPDATE" "packing:packing (of theoretical)" "hwm_mb:peak RSS MB" \
      "cpu:CPU s (process)" "send_cpu:CPU s (sending)" "load_cpu:CPU s (load routes)"; do
      k=${m%%:*}
      row "$sfxr ${m#*:}" "$(cell "p$sfxr.$k")" "$(cell "b$sfxr.$k")" "$(cell "g$sfxr.$k" "$g_note")"
    done
    if have "p$sfxr.secs"; then
      row "$sfxr porter/other time" "" \
        "$(have "b$sfxr.secs" && calc %.3fx "${R[p$sfxr.secs]} / ${R[b$sfxr.secs]}" || echo -)" \
        "$(have "g$sfxr.secs" && calc %.3fx "${R[p$sfxr.secs]} / ${R[g$sfxr.secs]}" || echo -)"
    fi
  done
  row "100k x2 ADD-PATH seconds" "$(cell pap.secs)" n/a n/a
  row "100k x2 ADD-PATH UPDATEs" "$(cell pap.updates)" n/a n/a
  row "100k x2 ADD-PATH NLRI/UPDATE" "$(cell pap.per) of $(cell pap.theo)" n/a n/a
  row "100k x2 ADD-PATH peak RSS MB" "$(cell pap.hwm_mb)" n/a n/a
  row "porter idle RSS MB" "$(cell idle.rss_mb)" "" ""
  row "porter RSS per route B (1M)" "$(cell rss_per_route)" "" ""
  row "sink ceiling 1M packed s" "$(cell ceil1m.secs)" "" ""
  row "sink ceiling 1M 1-NLRI UPDATEs s" "$(cell ceil1m1.secs)" "" ""
  row "sink ceiling 100k x2 ADD-PATH s" "$(cell ceil_ap.secs)" "" ""
  echo
  echo "targets (issue #4): 1M <= 1.0 s: $(cell p1m.secs) s;" \
    "packing >= 0.95: $(cell p1m.packing);" \
    "RSS/route <= 128 B: $(cell rss_per_route) B; idle RSS <= 15 MB: $(cell idle.rss_mb) MB"
}

if [ ${#FAILED[@]} -gt 0 ]; then
  log "FAILED runs:"
  for f in "${FAILED[@]}"; do log "  $f"; done
  exit 1
fi
