#!/usr/bin/env bash
# `porter sim run` with bad scenario files (issue #10 item 6): exit 2 and
# one line on stderr naming the file, the line and the field — never a
# crash, never a cluster started.
set -u
porter=$1
work=$(mktemp -d /tmp/porter-sim-errors.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # check <name> <expected stderr fragment> <yaml>
  printf '%s' "$3" >"$work/$1.yaml"
  "$porter" sim run "$work/$1.yaml" >"$work/$1.out" 2>"$work/$1.err"
  local rc=$? lines
  lines=$(wc -l <"$work/$1.err")
  if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$2" "$work/$1.err"; then
    echo "ok   $1: $(cat "$work/$1.err")"
  else
    echo "FAIL $1: rc=$rc, stderr: $(cat "$work/$1.err")"
    fail=1
  fi
}
head='name: x
cluster:
  nodes:
  - {name: node-1, ip: 10.0.0.11}
'
check unknown-step "$work/unknown-step.yaml: line 6: scenario.steps[0].teleport: unknown step" \
  "${head}steps:
- teleport: {to: mars}
"
check bad-duration "line 6: scenario.steps[0].expect.within: \"soonish\" is not a duration" \
  "${head}steps:
- expect: {service: web, ip: 10.0.0.1, within: soonish}
"
check typo-field "line 3: scenario.cluster.node: unknown field" \
  'name: x
cluster:
  node: []
steps: []
'
check yaml-syntax "line 6: end of sequence flow not found" \
  "${head}steps: [
"
check empty "line 1: scenario: the file is empty (a scenario needs name, cluster and steps)" ""
"$porter" sim run "$work/missing-file.yaml" 2>"$work/missing.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -qF "missing-file.yaml: cannot read it" "$work/missing.err"; then
  echo "ok   a missing file"
else
  echo "FAIL a missing file: rc=$rc $(cat "$work/missing.err")"; fail=1
fi
exit $fail
