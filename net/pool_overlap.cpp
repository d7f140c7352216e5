#include "net/pool_overlap.hpp"

#include <algorithm>

namespace porter::net {

std::vector<pool_overlap> find_overlaps(std::vector<named_range> pools) {
  std::sort(pools.begin(), pools.end(),
            [](const named_range& a, const named_range& b) {
              return a.range != b.range ? a.range < b.range : a.name < b.name;
            });
  std::vector<pool_overlap> out;
  // Sorted by first address: pool j (j > i) overlaps pool i exactly when it
  // starts at or before i's last address (same family, as v4 sorts first).
  for (std::size_t i = 0; i < pools.size(); ++i) {
    for (auto j = i + 1; j < pools.size(); ++j) {
      if (!pools[i].range.overlaps(pools[j].range))
        break;
      auto a = pools[i].name;
      auto b = pools[j].name;
      if (b < a)
        std::swap(a, b);
      out.push_back(pool_overlap{std::move(a), std::move(b)});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string>
overlapping_with(const std::vector<pool_overlap>& overlaps,
                 std::string_view name) {
  std::vector<std::string> out;
  for (const auto& o : overlaps) {
    if (o.first == name)
      out.push_back(o.second);
    else if (o.second == name)
      out.push_back(o.first);
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace porter::net
