#!/usr/bin/env bash
# The porter binary's command line: version, help, and one-line usage errors.
set -u
porter=$1
fail=0
check() { # check <description> <condition...>
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

out=$("$porter" version); rc=$?
check "version exits 0" [ $rc -eq 0 ]
check "version prints version and commit" \
  grep -Eq '^porter [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{7,}(-dirty)?\)$' <<<"$out"

help=$("$porter" --help); rc=$?
check "--help exits 0" [ $rc -eq 0 ]
for sub in manager agent inspect sim version; do
  check "--help lists $sub" grep -Eq "^  $sub " <<<"$help"
done
check "--help lists --log-format" grep -q -- '--log-format' <<<"$help"

err=$("$porter" version --no-such-flag 2>&1 >/dev/null); rc=$?
check "unknown flag exits 2" [ $rc -eq 2 ]
check "unknown flag prints one line" [ "$(wc -l <<<"$err")" -eq 1 ]
check "unknown flag names the flag" grep -q -- '--no-such-flag' <<<"$err"

err=$("$porter" --log-format=xml version 2>&1 >/dev/null); rc=$?
check "bad --log-format exits 2" [ $rc -eq 2 ]
check "bad --log-format says why" grep -q "unknown log format 'xml'" <<<"$err"

exit $fail
