// ADD-PATH path identifiers for porter's own routes (RFC 7911 §3). The id of a
// path is FNV-1a 32 over its next hop's address bytes (4 or 16, network
// order), so a node keeps its id whatever else changes and every manager
// replica computes the same ids. Id 0 is never used: some speakers treat it as
// "no path id" in their own tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "net/ip_address.hpp"

namespace porter::bgp {

/// FNV-1a, 32 bits (offset basis 2166136261, prime 16777619).
std::uint32_t fnv1a_32(const std::uint8_t* data, std::size_t size);

/// The preferred path id of a next hop: FNV-1a 32 of its address bytes.
std::uint32_t path_id_hash(const net::ip_address& next_hop);

/// Turns the preferred ids of the next hops of ONE prefix, given in ascending
/// address order, into distinct non-zero ids: 0 becomes 1; an id already
/// taken by a lower address probes +1 (wrapping 0xffffffff to 1). So a
/// collision only moves the higher address, and only while the lower one is
/// present.
std::vector<std::uint32_t>
resolve_path_ids(const std::vector<std::uint32_t>& preferred);

/// Path ids for the next hops of one prefix, in ascending address order.
std::vector<std::pair<net::ip_address, std::uint32_t>>
assign_path_ids(const std::set<net::ip_address>& next_hops);

} // namespace porter::bgp
