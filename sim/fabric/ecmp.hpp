// How a virtual switch spreads flows over equal-cost next hops (issue #10
// item 2): a hash of the flow's 5-tuple, as Linux does with
// net.ipv4.fib_multipath_hash_policy = 1 (L4) and switches with L4 ECMP
// hashing. Each switch mixes in its own seed, so two tiers do not pick in
// lockstep (hash polarisation). Pure and deterministic: one flow, one path.
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/ip_address.hpp"

namespace porter::sim {

struct five_tuple {
  net::ip_address src;
  net::ip_address dst;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint8_t protocol = 6; ///< IPPROTO_TCP
};

/// FNV-1a over the tuple's bytes and the seed.
std::uint64_t flow_hash(const five_tuple& f, std::uint32_t seed);

/// The index (0 … count-1) of the next hop the flow takes; count must be
/// positive.
std::size_t pick_next_hop(const five_tuple& f, std::size_t count,
                          std::uint32_t seed);

} // namespace porter::sim
