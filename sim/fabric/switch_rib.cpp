#include "sim/fabric/switch_rib.hpp"

#include <algorithm>
#include <limits>

namespace porter::sim {

void switch_rib::apply(const std::string& session,
                       const bgp::received_changes& c) {
  auto& paths = in_[session];
  for (const auto& w : c.withdrawn)
    paths.erase(w);
  for (const auto& p : c.announced)
    paths[p.route] = p; // an implicit withdraw replaces (RFC 4271 §3.1)
  if (paths.empty())
    in_.erase(session);
}

void switch_rib::drop_session(const std::string& session) {
  in_.erase(session);
}

void switch_rib::keep_stale(const std::string& session, std::uint32_t peer_id) {
  auto it = in_.find(session);
  if (it == in_.end())
    return;
  auto& stale = stale_[peer_id];
  stale.insert(it->second.begin(), it->second.end());
  in_.erase(it);
}

void switch_rib::drop_stale(std::uint32_t peer_id) {
  stale_.erase(peer_id);
}

std::size_t switch_rib::stale_paths() const {
  std::size_t n = 0;
  for (const auto& [peer, paths] : stale_)
    n += paths.size();
  return n;
}

forwarding_table switch_rib::forwarding() const {
  struct best {
    std::uint32_t length = std::numeric_limits<std::uint32_t>::max();
    std::vector<net::ip_address> hops;
  };
  std::map<net::prefix, best> bests;
  auto consider = [&](const adj_rib_in& paths) {
    for (const auto& [route, path] : paths) {
      auto& b = bests[route.prefix];
      if (path.as_path_length < b.length) {
        b.length = path.as_path_length;
        b.hops.clear();
      }
      if (path.as_path_length == b.length)
        b.hops.push_back(path.next_hop);
    }
  };
  for (const auto& [session, paths] : in_)
    consider(paths);
  for (const auto& [peer, paths] : stale_)
    consider(paths);
  forwarding_table out;
  for (auto& [prefix, b] : bests) {
    std::sort(b.hops.begin(), b.hops.end());
    b.hops.erase(std::unique(b.hops.begin(), b.hops.end()), b.hops.end());
    out.emplace(prefix, std::move(b.hops));
  }
  return out;
}

std::size_t switch_rib::paths() const {
  std::size_t n = 0;
  for (const auto& [session, paths] : in_)
    n += paths.size();
  return n;
}

bool keeps_paths_when_down(std::string_view why, bool peer_graceful_restart) {
  constexpr std::string_view lost = "connection_lost";
  return peer_graceful_restart && why.substr(0, lost.size()) == lost;
}

std::vector<net::ip_address> lookup(const forwarding_table& fib,
                                    const net::ip_address& dst) {
  const std::vector<net::ip_address>* found = nullptr;
  int found_length = -1;
  for (const auto& [prefix, hops] : fib)
    if (prefix.contains(dst) && prefix.length > found_length) {
      found = &hops;
      found_length = prefix.length;
    }
  return found != nullptr ? *found : std::vector<net::ip_address>{};
}

} // namespace porter::sim
