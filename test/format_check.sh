#!/usr/bin/env bash
# clang-format --dry-run -Werror over every C++ file the project owns.
set -u
clang_format=$1
root=$2
cd "$root" || exit 2
files=$(git ls-files -co --exclude-standard -- '*.cpp' '*.hpp' 2>/dev/null \
        || find actors bgp k8s net sim test -name '*.[ch]pp')
[ -n "$files" ] || { echo "no C++ files found"; exit 1; }
# shellcheck disable=SC2086
"$clang_format" --dry-run -Werror $files
rc=$?
[ $rc -eq 0 ] && echo "format: ok ($(echo "$files" | wc -w) files)"
exit $rc
