#!/usr/bin/env bash
# Leader election across processes (issue #6 §7) with client-go's defaults
# (LeaseDuration 15 s, RenewDeadline 10 s, RetryPeriod 2 s) against
# `porter sim apiserver` over TLS, reached through a TCP proxy the test can
# cut. Checks: 3 candidates elect exactly one leader; leader kill -9 → a new
# leader within LeaseDuration + 2·RetryPeriod; graceful release (SIGTERM) →
# a new leader within 1 s; API unreachable 30 s → the leader steps down by
# RenewDeadline and someone leads again after recovery; never two leaders at
# once over the whole run. Prints the measured times.
set -u
porter=$1
probe=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/apiserver_lib.sh"

proxy_pid=
declare -A pids      # identity → pid
declare -A killed_at # identity → unix ms of kill -9
candidates_cleanup() {
  for id in "${!pids[@]}"; do kill -9 "${pids[$id]}" 2>/dev/null; done
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
  cleanup
}
trap candidates_cleanup EXIT

now_ms() { date +%s%3N; }

start_apiserver
k create namespace porter-system >/dev/null || { echo "FAIL namespace"; exit 1; }
api_port=${server##*:}
python3 "$here/tcp_proxy.py" "$work/proxy.port" "$api_port" \
  >"$work/proxy.out" 2>&1 &
proxy_pid=$!
eventually 5 test -s "$work/proxy.port" || { echo "FAIL proxy"; exit 1; }
proxy_port=$(cat "$work/proxy.port")
sed "s#$server#https://127.0.0.1:$proxy_port#" "$work/kubeconfig" \
  >"$work/kubeconfig.proxy"

start_candidate() { # start_candidate <identity>
  "$probe" elect --kubeconfig "$work/kubeconfig.proxy" --identity "$1" \
    >"$work/$1.out" 2>"$work/$1.log" &
  pids[$1]=$!
}
role_of() { # the last role line of a candidate: leader|follower|exited
  tail -n 1 "$work/$1.out" 2>/dev/null | awk '{print $2}'
}
leaders() { # identities whose last line says leader (alive ones only)
  for id in "${!pids[@]}"; do
    [ "$(role_of "$id")" = leader ] && echo "$id"
  done
}
is_role() { [ "$(role_of "$1")" = "$2" ]; }
# always <seconds> <command...>: the command holds at every poll for that long.
always() {
  local deadline=$(( $(now_ms) + $1 * 1000 )); shift
  while [ "$(now_ms)" -lt "$deadline" ]; do
    "$@" || return 1
    sleep 0.1
  done
}
started() { test -s "$work/$1.out"; }
one_leader() { [ "$(leaders | wc -l)" -eq 1 ]; }
leader_other_than() { # leader_other_than <id>
  local l; l=$(leaders); [ -n "$l" ] && [ "$l" != "$1" ] && one_leader
}
first_leader_line_after() { # <ms> <excluded id>: earliest "leader" time
  local t=$1 ex=$2 best=
  for id in "${!pids[@]}"; do
    [ "$id" = "$ex" ] && continue
    local x; x=$(awk -v t="$t" '$2=="leader" && $1>=t {print $1; exit}' \
      "$work/$id.out")
    [ -n "$x" ] && { [ -z "$best" ] || [ "$x" -lt "$best" ]; } && best=$x
  done
  echo "$best"
}

for id in c1 c2 c3; do start_candidate $id; done
check "three candidates elect exactly one leader" eventually 20 one_leader
check "exactly one leader through several renew cycles" always 3 one_leader
leader=$(leaders)

# --- kill -9 of the leader -------------------------------------------------
t_kill=$(now_ms)
kill -9 "${pids[$leader]}"
killed_at[$leader]=$t_kill
unset "pids[$leader]"
check "a new leader after kill -9" eventually 30 leader_other_than "$leader"
t_new=$(first_leader_line_after "$t_kill" "$leader")
failover_ms=$(( t_new - t_kill ))
echo "measured: failover after kill -9 of the leader: $failover_ms ms"
check "kill -9 failover within LeaseDuration + 2 x RetryPeriod (19 s)" \
  test "$failover_ms" -le 19000
start_candidate c4
check "c4 runs as a follower" eventually 10 started c4

# --- graceful release --------------------------------------------------------
leader=$(leaders)
t_term=$(now_ms)
kill -TERM "${pids[$leader]}"
wait "${pids[$leader]}"
rc=$?
check "released leader exits 0" test "$rc" -eq 0
check "released leader printed exited" grep -q exited "$work/$leader.out"
done_pids=$leader
unset "pids[$leader]"
check "a new leader after graceful release" eventually 10 one_leader
t_new=$(first_leader_line_after "$t_term" "$leader")
release_ms=$(( t_new - t_term ))
echo "measured: failover after graceful release: $release_ms ms"
check "graceful release failover within 1 s" test "$release_ms" -le 1000
start_candidate c5
check "c5 runs as a follower" eventually 10 started c5
check "exactly one leader with c5 in the race" always 3 one_leader

# --- API server unreachable for 30 s ------------------------------------------
leader=$(leaders)
t_cut=$(now_ms)
kill -USR1 "$proxy_pid"
check "the leader steps down while the API is unreachable" \
  eventually 15 is_role "$leader" follower
t_down=$(awk -v t="$t_cut" '$2=="follower" && $1>=t {print $1; exit}' \
  "$work/$leader.out")
stepdown_ms=$(( ${t_down:-99999999999999} - t_cut ))
echo "measured: leader stepped down $stepdown_ms ms after the API became unreachable"
check "step-down within RenewDeadline (10 s + 0.5 s slack)" \
  test "$stepdown_ms" -le 10500
# The rest of the 30 s outage: nobody may lead at any moment of it.
no_leader() { test -z "$(leaders)"; }
check "nobody leads while the API is unreachable (until 30 s)" \
  always $(( 30 - (stepdown_ms / 1000) )) no_leader
t_restore=$(now_ms)
kill -USR2 "$proxy_pid"
check "someone leads again after recovery" eventually 30 one_leader
t_back=$(first_leader_line_after "$t_restore" "")
echo "measured: leader again $(( t_back - t_restore )) ms after the API came back"
check "exactly one leader after recovery" always 3 one_leader

# --- never two leaders at once -------------------------------------------------
# Each candidate's leading intervals: from a "leader" line to its next
# line, its kill time, or now. No two may overlap.
end=$(now_ms)
for id in c1 c2 c3 c4 c5; do
  [ -f "$work/$id.out" ] || continue
  awk -v id="$id" -v end="${killed_at[$id]:-$end}" '
    $2=="leader" && start=="" {start=$1; next}
    $2!="leader" && start!="" {print id, start, $1; start=""}
    END {if (start!="") print id, start, end}' "$work/$id.out"
done | sort -k2,2n >"$work/intervals"
overlaps=$(awk 'NR>1 && $2 < prev_end {print prev_id" and "$1; bad=1}
               {if ($3 > prev_end) {prev_end=$3; prev_id=$1}}' \
  "$work/intervals")
echo "leading intervals:"; sed 's/^/  /' "$work/intervals"
check "never two leaders at once ($(wc -l <"$work/intervals") terms)" \
  test -z "$overlaps"
[ -n "$overlaps" ] && echo "overlapping: $overlaps"

# A sanitizer build reports on stderr; any report fails the test.
check "no sanitizer reports from the candidates" \
  bash -c "! grep -l -E 'AddressSanitizer|runtime error:' $work/c*.log"

if [ "$fail" -ne 0 ]; then
  for f in "$work"/c*.log; do echo "--- $f"; tail -20 "$f"; done
fi
exit $fail
