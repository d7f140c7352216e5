#!/usr/bin/env bash
# Fails when a pure folder (bgp, k8s, net, sim/apiserver, sim/fabric,
# sim/scenario) includes CAF, Asio/Beast, libnl, <thread> or socket headers.
# Adapters live under <folder>/io/ and are exempt.
set -u
root=${1:-.}
cd "$root" || exit 2
pattern='#\s*include\s*[<"](caf/|boost/asio|boost/beast|netlink/|thread>|mutex>|future>|condition_variable>|sys/socket\.h|netinet/|arpa/inet\.h|linux/netlink\.h|linux/rtnetlink\.h|spdlog/)'
hits=$(grep -rnE "$pattern" bgp k8s net sim/apiserver sim/fabric sim/scenario --include='*.hpp' \
         --include='*.cpp' \
       | grep -v -E '^(bgp|k8s|net|sim/apiserver|sim/fabric|sim/scenario)/io/' || true)
if [ -n "$hits" ]; then
  echo "impure include in a pure folder (move it to an io/ adapter):"
  echo "$hits"
  exit 1
fi
echo "purity: ok ($(find bgp k8s net sim/apiserver sim/fabric sim/scenario -name '*.[ch]pp' -not -path '*/io/*' | wc -l) files checked)"
