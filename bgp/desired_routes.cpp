#include "bgp/desired_routes.hpp"

#include <algorithm>
#include <tuple>

#include "bgp/detail/prefix_order.hpp"

namespace porter::bgp {

namespace {

using entry = desired_routes::entry;

bool by_prefix(const entry& a, const entry& b) {
  return a.prefix < b.prefix;
}

route_attributes normalized(route_attributes a) {
  // Order and duplicates carry no meaning in either list (RFC 1997, RFC 8092
  // §5), so equal sets must compare equal and share UPDATEs.
  auto& c = a.communities;
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
  auto& l = a.large_communities;
  std::sort(l.begin(), l.end(),
            [](const large_community& x, const large_community& y) {
              return std::tie(x.global_admin, x.local_data1, x.local_data2)
                     < std::tie(y.global_admin, y.local_data1, y.local_data2);
            });
  l.erase(std::unique(l.begin(), l.end()), l.end());
  return a;
}

} // namespace

const desired_routes::entry* desired_routes::find(const net::prefix& p) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), entry{p, 0},
                             by_prefix);
  return it != entries_.end() && it->prefix == p ? &*it : nullptr;
}

desired_routes::hop_range
desired_routes::next_hops(std::uint32_t path_set) const {
  const auto& s = path_sets_[path_set];
  const auto* first = hops_.data() + s.first_hop;
  return {first, first + s.hop_count};
}

desired_routes_builder::desired_routes_builder(const desired_routes& base)
    : sorted_(base.entries_.size()) {
  // Room for a few edits up front: growing a million-entry vector by one
  // would copy it twice (grow, then shrink).
  auto& e = table_.entries_;
  e.reserve(base.entries_.size() + base.entries_.size() / 16 + 16);
  e.assign(base.entries_.begin(), base.entries_.end());
  table_.path_sets_ = base.path_sets_;
  table_.hops_ = base.hops_;
  table_.attributes_ = base.attributes_;
  table_.link_local_ = base.link_local_;
  for (std::uint32_t i = 0; i < table_.attributes_.size(); ++i) {
    attribute_ids_.emplace(table_.attributes_[i], i);
  }
  for (std::uint32_t i = 0; i < table_.path_sets_.size(); ++i) {
    auto hops = table_.next_hops(i);
    path_set_key key{{hops.begin(), hops.end()},
                     table_.path_sets_[i].attributes};
    path_set_ids_.emplace(std::move(key), i);
  }
}

std::uint32_t
desired_routes_builder::intern(std::vector<net::ip_address> next_hops,
                               route_attributes attrs) {
  std::sort(next_hops.begin(), next_hops.end());
  next_hops.erase(std::unique(next_hops.begin(), next_hops.end()),
                  next_hops.end());
  auto& pool = table_.attributes_;
  auto attr = attribute_ids_.emplace(normalized(std::move(attrs)),
                                     static_cast<std::uint32_t>(pool.size()));
  if (attr.second) {
    pool.push_back(attr.first->first);
  }
  path_set_key key{std::move(next_hops), attr.first->second};
  auto known = path_set_ids_.find(key);
  if (known != path_set_ids_.end()) {
    return known->second;
  }
  auto id = static_cast<std::uint32_t>(table_.path_sets_.size());
  auto& hops = table_.hops_;
  table_.path_sets_.push_back({static_cast<std::uint32_t>(hops.size()),
                               static_cast<std::uint32_t>(key.first.size()),
                               key.second});
  hops.insert(hops.end(), key.first.begin(), key.first.end());
  path_set_ids_.emplace(std::move(key), id);
  return id;
}

void desired_routes_builder::add(const net::prefix& p, std::uint32_t path_set) {
  table_.entries_.push_back({p, path_set});
}

void desired_routes_builder::add(const net::prefix& p,
                                 std::vector<net::ip_address> next_hops,
                                 route_attributes attrs) {
  add(p, intern(std::move(next_hops), std::move(attrs)));
}

void desired_routes_builder::remove(const net::prefix& p) {
  table_.entries_.push_back({p, removed});
}

void desired_routes_builder::clear() {
  table_.entries_.clear();
  sorted_ = 0;
}

void desired_routes_builder::reserve(std::size_t routes) {
  table_.entries_.reserve(table_.entries_.size() + routes);
}

void desired_routes_builder::set_link_local(const net::ip_address& global,
                                            const net::ip_address& link_local) {
  table_.link_local_[global] = link_local;
}

desired_routes desired_routes_builder::finish() {
  merge_added();
  drop_unused_path_sets();
  path_set_ids_.clear();
  attribute_ids_.clear();
  sorted_ = 0;
  auto out = std::move(table_);
  table_ = desired_routes{};
  return out;
}

void desired_routes_builder::merge_added() {
  auto& e = table_.entries_;
  auto mid = e.begin() + static_cast<std::ptrdiff_t>(sorted_);
  // Ranges arrive sorted: checking is cheaper than sorting again.
  if (!std::is_sorted(mid, e.end(), by_prefix)) {
    std::stable_sort(mid, e.end(), by_prefix);
  }
  // Stable: for one prefix the base comes first, then the adds in order.
  if (sorted_ > 0 && mid != e.end() && !by_prefix(*(mid - 1), *mid)) {
    std::inplace_merge(e.begin(), mid, e.end(), by_prefix);
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (i + 1 < e.size()
        && detail::compare(e[i + 1].prefix, e[i].prefix) == 0) {
      continue; // a later word on this prefix wins
    }
    if (e[i].path_set != removed) {
      e[kept++] = e[i];
    }
  }
  e.resize(kept);
  if (e.capacity() > kept + kept / 4 + 64) {
    e.shrink_to_fit();
  }
  sorted_ = kept;
}

void desired_routes_builder::drop_unused_path_sets() {
  auto& t = table_;
  std::vector<std::uint32_t> remap(t.path_sets_.size(), removed);
  for (const auto& e : t.entries_) {
    remap[e.path_set] = 0;
  }
  if (std::find(remap.begin(), remap.end(), removed) == remap.end()) {
    return;
  }
  desired_routes kept;
  std::vector<std::uint32_t> attribute_remap(t.attributes_.size(), removed);
  for (std::uint32_t i = 0; i < t.path_sets_.size(); ++i) {
    if (remap[i] == removed) {
      continue;
    }
    auto s = t.path_sets_[i];
    auto& a = attribute_remap[s.attributes];
    if (a == removed) {
      a = static_cast<std::uint32_t>(kept.attributes_.size());
      kept.attributes_.push_back(std::move(t.attributes_[s.attributes]));
    }
    auto hops = t.next_hops(i);
    remap[i] = static_cast<std::uint32_t>(kept.path_sets_.size());
    kept.path_sets_.push_back(
      {static_cast<std::uint32_t>(kept.hops_.size()), s.hop_count, a});
    kept.hops_.insert(kept.hops_.end(), hops.begin(), hops.end());
  }
  for (auto& e : t.entries_) {
    e.path_set = remap[e.path_set];
  }
  t.path_sets_ = std::move(kept.path_sets_);
  t.hops_ = std::move(kept.hops_);
  t.attributes_ = std::move(kept.attributes_);
}

} // namespace porter::bgp
