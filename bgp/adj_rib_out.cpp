#include "bgp/adj_rib_out.hpp"

#include <algorithm>
#include <tuple>

#include "bgp/path_id.hpp"

namespace porter::bgp {

namespace {

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

void add_paths(const peer_context& ctx, const net::prefix& prefix,
               const desired_route& route,
               const std::map<net::ip_address, net::ip_address>& link_local,
               path_table& out) {
  std::set<net::ip_address> hops;
  for (const auto& hop : route.next_hops) {
    if (hop.fam == prefix.addr.fam && !hop.is_unspecified()) {
      hops.insert(hop);
    }
  }
  if (hops.empty()) {
    return;
  }
  auto attrs = normalized(route.attributes);
  auto path_via = [&](const net::ip_address& hop) {
    advertised_path path{hop, std::nullopt, attrs};
    auto local = link_local.find(hop);
    if (!hop.is_v4() && local != link_local.end()
        && local->second.is_link_local_v6()) {
      path.link_local = local->second;
    }
    return path;
  };
  if (!ctx.add_path(prefix)) {
    out.emplace(nlri{0, prefix}, path_via(*hops.begin()));
    return;
  }
  for (const auto& [hop, id] : assign_path_ids(hops)) {
    out.emplace(nlri{id, prefix}, path_via(hop));
  }
}

// Paths that share everything but the NLRI share UPDATEs.
struct same_attributes_less {
  bool operator()(const advertised_path* a, const advertised_path* b) const {
    return std::tie(a->next_hop, a->link_local, a->attributes)
           < std::tie(b->next_hop, b->link_local, b->attributes);
  }
};

struct path_group {
  const advertised_path* path;
  std::vector<nlri> routes;
};

/// New and changed paths, grouped; groups in the order of their first NLRI.
std::vector<path_group> changed_groups(const path_table& desired,
                                       const path_table& advertised) {
  std::map<const advertised_path*, std::size_t, same_attributes_less> index;
  std::vector<path_group> groups;
  for (const auto& [route, path] : desired) {
    auto sent = advertised.find(route);
    if (sent != advertised.end() && sent->second == path) {
      continue;
    }
    auto [pos, inserted] = index.emplace(&path, groups.size());
    if (inserted) {
      groups.push_back({&path, {}});
    }
    groups[pos->second].routes.push_back(route);
  }
  return groups;
}

bool contains(const std::vector<afi_safi>& families, afi_safi family) {
  return std::find(families.begin(), families.end(), family) != families.end();
}

} // namespace

void adj_rib_out::set_desired(const desired_routes& desired) {
  desired_.clear();
  for (const auto& [prefix, route] : desired.routes) {
    if (ctx_.negotiated(prefix)) {
      add_paths(ctx_, prefix, route, desired.link_local, desired_);
    }
  }
}

std::vector<update_message> adj_rib_out::pending_updates(std::size_t max_size) {
  update_packer packer(ctx_, max_size);
  unsendable_.clear();
  std::vector<nlri> withdrawn;
  for (const auto& entry : advertised_) {
    if (desired_.count(entry.first) == 0) {
      withdrawn.push_back(entry.first);
    }
  }
  for (const auto& group : changed_groups(desired_, advertised_)) {
    const auto& path = *group.path;
    auto attrs = make_path_attributes(ctx_, path.next_hop, path.link_local,
                                      path.attributes);
    if (packer.announce(attrs, group.routes)) {
      for (const auto& route : group.routes) {
        advertised_[route] = path;
      }
      continue;
    }
    for (const auto& route : group.routes) {
      unsendable_.push_back(route);
      // The peer must not keep a path whose new attributes we cannot send.
      if (advertised_.count(route) != 0) {
        withdrawn.push_back(route);
      }
    }
  }
  std::sort(unsendable_.begin(), unsendable_.end());
  std::sort(withdrawn.begin(), withdrawn.end());
  packer.withdraw(withdrawn);
  for (const auto& route : withdrawn) {
    advertised_.erase(route);
  }
  return packer.finish();
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
