#include "bgp/path_id.hpp"

#include <unordered_set>

namespace porter::bgp {

std::uint32_t fnv1a_32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t hash = 2166136261u;
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 16777619u;
  }
  return hash;
}

std::uint32_t path_id_hash(const net::ip_address& next_hop) {
  return fnv1a_32(next_hop.bytes.data(), next_hop.size());
}

std::vector<std::uint32_t>
resolve_path_ids(const std::vector<std::uint32_t>& preferred) {
  auto next = [](std::uint32_t id) -> std::uint32_t {
    return id == 0xffffffffu ? 1 : id + 1;
  };
  std::vector<std::uint32_t> result;
  result.reserve(preferred.size());
  std::unordered_set<std::uint32_t> taken;
  for (auto id : preferred) {
    if (id == 0) {
      id = 1;
    }
    while (taken.count(id) != 0) {
      id = next(id);
    }
    taken.insert(id);
    result.push_back(id);
  }
  return result;
}

std::vector<std::pair<net::ip_address, std::uint32_t>>
assign_path_ids(const std::set<net::ip_address>& next_hops) {
  std::vector<std::uint32_t> preferred;
  preferred.reserve(next_hops.size());
  for (const auto& hop : next_hops) {
    preferred.push_back(path_id_hash(hop));
  }
  auto ids = resolve_path_ids(preferred);
  std::vector<std::pair<net::ip_address, std::uint32_t>> result;
  result.reserve(ids.size());
  auto id = ids.begin();
  for (const auto& hop : next_hops) {
    result.emplace_back(hop, *id++);
  }
  return result;
}

} // namespace porter::bgp
