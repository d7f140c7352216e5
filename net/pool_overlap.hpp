// Which EIP pools overlap, for the Eip `Overlap` condition that names the
// other pool. OpenELB's webhook refuses a new Eip whose address overlaps any
// other ("eip address overlap with <name>", openelb.md §2.8, `IsOverlap`:
// the ranges share at least one address). Pools of different families never
// overlap. Deterministic: results are sorted by name. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/ip_range.hpp"

namespace porter::net {

/// A pool's name (the Eip's metadata.name) and its parsed range.
struct named_range {
  std::string name;
  ip_range range;
};

/// One overlapping pair; `first` < `second` by name.
struct pool_overlap {
  std::string first;
  std::string second;

  friend bool operator==(const pool_overlap& a, const pool_overlap& b) {
    return a.first == b.first && a.second == b.second;
  }
  friend bool operator<(const pool_overlap& a, const pool_overlap& b) {
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  }
};

/// Every overlapping pair, sorted; O(n log n + pairs).
std::vector<pool_overlap> find_overlaps(std::vector<named_range> pools);

/// The names `name` overlaps with, sorted (for the condition message).
std::vector<std::string>
overlapping_with(const std::vector<pool_overlap>& overlaps,
                 std::string_view name);

} // namespace porter::net
