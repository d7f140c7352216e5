#!/usr/bin/env bash
# bench.manager_bgp (issue #8 item 5): `porter manager` announcing to a real
# BIRD 2 in the manager lab (test/interop/lib_manager.sh); the figures come
# from manager_bgp_bench.py, run inside the switch namespace. Root.
#   manager_bgp_bench.sh <porter> [services]
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
here=$bench/../interop
# shellcheck source=../interop/lib.sh
source "$here/lib.sh"
[ $# -ge 1 ] || { echo "usage: $0 <porter> [services]" >&2; exit 2; }
porter=$1 count=${2:-10000} net=21
interop_init manager_bgp_bench
require_switch_binaries bird kubectl
require_probe "$porter"
# shellcheck source=../interop/lib_manager.sh
source "$here/lib_manager.sh"
manager_lab_vars
manager_lab_up
ip netns exec "$NS_SW" env PYTHONPATH="$bench" "$PYTHON" \
  "$bench/manager_bgp_bench.py" "$porter" "$WORK" "$NS_M1" "$NS_M2" "$net" \
  "$count"
