// A virtual switch's routing state (issue #10 item 1): the paths each BGP
// session gave it (one Adj-RIB-In per session, RFC 4271 §3.2), the best
// paths per prefix — shortest AS_PATH (§9.1.2.2 a); porter's paths are
// otherwise equal — and all best paths' next hops as the ECMP set, as a
// switch with multipath (BIRD `merge paths`, FRR `maximum-paths`) installs
// them. Pure.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "bgp/received_routes.hpp"

namespace porter::sim {

/// prefix → the ECMP next hops, ascending and distinct.
using forwarding_table = std::map<net::prefix, std::vector<net::ip_address>>;

class switch_rib {
public:
  /// One UPDATE from `session` (withdrawals first, then announcements).
  void apply(const std::string& session, const bgp::received_changes& c);
  /// The session went down: its paths go (no graceful-restart helper).
  void drop_session(const std::string& session);

  forwarding_table forwarding() const;
  std::size_t paths() const;

private:
  std::map<std::string, std::map<bgp::nlri, bgp::received_path>> in_;
};

/// The entry of `fib` that covers `dst` with the longest prefix (RFC 1812
/// §5.2.4.3); empty when none does.
std::vector<net::ip_address> lookup(const forwarding_table& fib,
                                    const net::ip_address& dst);

} // namespace porter::sim
