#include "bgp/adj_rib_out.hpp"

#include <algorithm>
#include <tuple>

#include "bgp/path_id.hpp"

namespace porter::bgp {

namespace {

constexpr std::uint32_t unused = 0xffffffffu;

bool contains(const std::vector<afi_safi>& families, afi_safi family) {
  return std::find(families.begin(), families.end(), family) != families.end();
}

} // namespace

bool advertised_path_less::operator()(const advertised_path& a,
                                      const advertised_path& b) const {
  return std::tie(a.next_hop, a.link_local, a.attributes)
         < std::tie(b.next_hop, b.link_local, b.attributes);
}

adj_rib_out::adj_rib_out(peer_context ctx) : ctx_(ctx) {}

void adj_rib_out::set_desired(std::shared_ptr<const desired_routes> desired) {
  desired_ = std::move(desired);
  expanded_.clear();
  ranges_.clear();
  if (desired_) {
    expand(*desired_);
  }
}

void adj_rib_out::set_desired(desired_routes desired) {
  set_desired(std::make_shared<const desired_routes>(std::move(desired)));
}

void adj_rib_out::expand(const desired_routes& d) {
  // Path ids and the lowest next hop depend only on the path set and the
  // prefix's family: worked out once per set, not once per route.
  auto sets = static_cast<std::uint32_t>(d.path_sets().size());
  ranges_.reserve(3 * std::size_t{sets});
  for (std::uint32_t s = 0; s < sets; ++s) {
    ranges_.push_back(static_cast<std::uint32_t>(expanded_.size()));
    expand_family(d, s, net::family::v4);
    ranges_.push_back(static_cast<std::uint32_t>(expanded_.size()));
    expand_family(d, s, net::family::v6);
    ranges_.push_back(static_cast<std::uint32_t>(expanded_.size()));
  }
}

void adj_rib_out::expand_family(const desired_routes& d, std::uint32_t path_set,
                                net::family family) {
  std::vector<net::ip_address> hops; // ascending, as the set is
  for (const auto& hop : d.next_hops(path_set)) {
    if (hop.fam == family && !hop.is_unspecified()) {
      hops.push_back(hop);
    }
  }
  if (hops.empty()) {
    return;
  }
  auto path_via = [&](const net::ip_address& hop) {
    return intern(make_path(d, path_set, hop));
  };
  bool add_path
    = family == net::family::v4 ? ctx_.add_path_v4 : ctx_.add_path_v6;
  if (!add_path) {
    expanded_.push_back({0, path_via(hops.front())});
    return;
  }
  std::vector<std::uint32_t> preferred;
  preferred.reserve(hops.size());
  for (const auto& hop : hops) {
    preferred.push_back(path_id_hash(hop));
  }
  auto ids = resolve_path_ids(preferred);
  auto first = expanded_.size();
  for (std::size_t i = 0; i < hops.size(); ++i) {
    expanded_.push_back({ids[i], path_via(hops[i])});
  }
  // Within a prefix the table is in path id order.
  std::sort(expanded_.begin() + static_cast<std::ptrdiff_t>(first),
            expanded_.end(),
            [](const expanded_path& a, const expanded_path& b) {
              return a.path_id < b.path_id;
            });
}

advertised_path adj_rib_out::make_path(const desired_routes& d,
                                       std::uint32_t path_set,
                                       const net::ip_address& hop) {
  advertised_path path{hop, std::nullopt, d.attributes(path_set)};
  auto local = d.link_local().find(hop);
  if (!hop.is_v4() && local != d.link_local().end()
      && local->second.is_link_local_v6()) {
    path.link_local = local->second;
  }
  return path;
}

std::uint32_t adj_rib_out::intern(advertised_path p) {
  auto id = static_cast<std::uint32_t>(paths_.size());
  auto [it, inserted] = path_ids_.emplace(std::move(p), id);
  if (inserted) {
    paths_.push_back(it->first);
  }
  return it->second;
}

void adj_rib_out::compact_paths() {
  // Paths of earlier tables pile up; after a commit every advertised path
  // is one of the current expansion's, so the others can go.
  if (paths_.size() <= 2 * expanded_.size() + 64) {
    return;
  }
  std::vector<std::uint32_t> remap(paths_.size(), unused);
  std::vector<advertised_path> kept;
  for (auto& x : expanded_) {
    auto& id = remap[x.path];
    if (id == unused) {
      id = static_cast<std::uint32_t>(kept.size());
      kept.push_back(std::move(paths_[x.path]));
    }
    x.path = id;
  }
  for (auto& e : advertised_) {
    e.path = remap[e.path];
  }
  paths_ = std::move(kept);
  path_ids_.clear();
  for (std::uint32_t i = 0; i < paths_.size(); ++i) {
    path_ids_.emplace(paths_[i], i);
  }
}

path_table adj_rib_out::advertised() const {
  path_table out;
  for (const auto& e : advertised_) {
    out.emplace_hint(out.end(), e.route, paths_[e.path]);
  }
  return out;
}

path_table adj_rib_out::desired() const {
  path_table out;
  if (!desired_) {
    return out;
  }
  for (const auto& e : desired_->entries()) {
    if (!ctx_.negotiated(e.prefix)) {
      continue;
    }
    auto at = range_at(e);
    for (auto k = ranges_[at]; k < ranges_[at + 1]; ++k) {
      out.emplace(nlri{expanded_[k].path_id, e.prefix},
                  paths_[expanded_[k].path]);
    }
  }
  return out;
}

peer_context make_peer_context(const session_config& local,
                               const negotiated_session& session) {
  peer_context ctx;
  ctx.local_as = local.local_as;
  ctx.ibgp = session.is_ibgp(local);
  ctx.four_octet_as = session.tx.four_octet_as;
  ctx.ipv4 = contains(session.families, ipv4_unicast);
  ctx.ipv6 = contains(session.families, ipv6_unicast);
  ctx.add_path_v4 = contains(session.tx.add_path, ipv4_unicast);
  ctx.add_path_v6 = contains(session.tx.add_path, ipv6_unicast);
  return ctx;
}

} // namespace porter::bgp
