#include "bgp/update_plan.hpp"

#include <algorithm>
#include <set>
#include <variant>

namespace porter::bgp {

update_planner::update_planner(const peer_context& ctx, std::size_t max_size,
                               const nlri_source& announced,
                               const nlri_source& withdrawn)
    : ctx_(ctx),
      max_size_(std::clamp(max_size, min_max_size, max_extended_message_size)),
      announced_(announced),
      withdrawn_(withdrawn) {}

std::size_t update_planner::nlri_size_at(const nlri_source& s,
                                         std::size_t i) const {
  const auto& n = s[i];
  return nlri_size(n, ctx_.add_path(n.prefix));
}

std::size_t update_planner::total_size() const {
  std::size_t total = 0;
  for (const auto& u : updates_) {
    total += u.size;
  }
  return total;
}

bool update_planner::announce(std::uint32_t group, std::size_t fixed_size,
                              std::size_t first, std::size_t last) {
  if (first == last) {
    return true;
  }
  auto mark = updates_.size();
  bool ipv6 = !announced_[first].prefix.addr.is_v4();
  bool open = false;
  for (auto i = first; i < last; ++i) {
    auto size = nlri_size_at(announced_, i);
    if (fixed_size + size > max_size_) {
      updates_.resize(mark); // all or nothing
      return false;
    }
    if (open && updates_.back().size + size > max_size_) {
      open = false;
    }
    if (!open) {
      planned_update u;
      u.group = group;
      u.ipv6 = ipv6;
      u.first = u.last = static_cast<std::uint32_t>(i);
      u.size = static_cast<std::uint32_t>(fixed_size);
      updates_.push_back(u);
      open = true;
    }
    updates_.back().last = static_cast<std::uint32_t>(i + 1);
    updates_.back().size += static_cast<std::uint32_t>(size);
  }
  return true;
}

void update_planner::withdraw() {
  std::vector<std::uint32_t> v4;
  std::vector<std::uint32_t> v6;
  for (std::uint32_t j = 0; j < withdrawn_.size(); ++j) {
    (withdrawn_[j].prefix.addr.is_v4() ? v4 : v6).push_back(j);
  }
  std::vector<placement> placed;
  placed.reserve(withdrawn_.size());
  std::vector<std::uint32_t> rest;
  withdraw_into_room(v4, placed, rest);
  withdraw_only(rest, false, placed);
  withdraw_only(v6, true, placed);
  // Group by UPDATE, keeping the placing order within one (counting sort).
  std::vector<std::uint32_t> start(updates_.size() + 1, 0);
  for (const auto& p : placed) {
    ++start[p.update + 1];
  }
  for (std::size_t i = 1; i < start.size(); ++i) {
    start[i] += start[i - 1];
  }
  for (std::size_t i = 0; i < updates_.size(); ++i) {
    updates_[i].first_withdrawn = start[i];
    updates_[i].last_withdrawn = start[i];
  }
  withdrawn_order_.assign(placed.size(), 0);
  for (const auto& p : placed) {
    withdrawn_order_[updates_[p.update].last_withdrawn++] = p.withdrawal;
  }
}

std::vector<std::uint32_t>
update_planner::last_announcements(const std::vector<std::uint32_t>& v4) const {
  // The withdrawn prefixes, sorted and distinct, and per prefix the last
  // IPv4 UPDATE announcing it (UPDATEs are visited in sending order).
  std::vector<net::prefix> prefixes;
  prefixes.reserve(v4.size());
  for (auto j : v4) {
    prefixes.push_back(withdrawn_[j].prefix);
  }
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
  std::vector<std::uint32_t> latest(prefixes.size(), 0);
  for (std::uint32_t u = 0; u < updates_.size(); ++u) {
    const auto& update = updates_[u];
    for (auto i = update.first; i < update.last && !update.ipv6; ++i) {
      const auto& p = announced_[i].prefix;
      if (p < prefixes.front() || prefixes.back() < p) {
        continue;
      }
      auto it = std::lower_bound(prefixes.begin(), prefixes.end(), p);
      if (*it == p) {
        latest[static_cast<std::size_t>(it - prefixes.begin())] = u;
      }
    }
  }
  std::vector<std::uint32_t> out;
  out.reserve(v4.size());
  for (auto j : v4) {
    const auto& p = withdrawn_[j].prefix;
    auto it = std::lower_bound(prefixes.begin(), prefixes.end(), p);
    out.push_back(latest[static_cast<std::size_t>(it - prefixes.begin())]);
  }
  return out;
}

void update_planner::withdraw_into_room(const std::vector<std::uint32_t>& v4,
                                        std::vector<placement>& placed,
                                        std::vector<std::uint32_t>& rest) {
  std::set<std::uint32_t> with_room;
  for (std::uint32_t u = 0; u < updates_.size(); ++u) {
    if (!updates_[u].ipv6) {
      with_room.insert(u);
    }
  }
  if (with_room.empty() || v4.empty()) {
    rest = v4;
    return;
  }
  auto last = last_announcements(v4);
  // An UPDATE with less room than the smallest pending withdrawal is full.
  std::size_t smallest = max_size_;
  for (auto j : v4) {
    smallest = std::min(smallest, nlri_size_at(withdrawn_, j));
  }
  for (std::size_t k = 0; k < v4.size(); ++k) {
    auto size = nlri_size_at(withdrawn_, v4[k]);
    auto it = with_room.lower_bound(last[k]);
    while (it != with_room.end() && updates_[*it].size + size > max_size_) {
      ++it;
    }
    if (it == with_room.end()) {
      rest.push_back(v4[k]);
      continue;
    }
    placed.push_back({*it, v4[k]});
    auto& u = updates_[*it];
    u.size += static_cast<std::uint32_t>(size);
    if (max_size_ - u.size < smallest) {
      with_room.erase(it);
    }
  }
}

void update_planner::withdraw_only(const std::vector<std::uint32_t>& routes,
                                   bool ipv6, std::vector<placement>& placed) {
  auto fixed_size = update_size(make_withdraw_update(ipv6), ctx_);
  bool open = false;
  for (auto j : routes) {
    auto size = nlri_size_at(withdrawn_, j);
    if (open && updates_.back().size + size > max_size_) {
      open = false;
    }
    if (!open) {
      planned_update u;
      u.ipv6 = ipv6;
      u.size = static_cast<std::uint32_t>(fixed_size);
      updates_.push_back(u);
      open = true;
    }
    placed.push_back({static_cast<std::uint32_t>(updates_.size() - 1), j});
    updates_.back().size += static_cast<std::uint32_t>(size);
  }
}

update_message render_update(const planned_update& u,
                             const std::vector<path_attribute>& attrs,
                             const update_planner& plan,
                             const nlri_source& announced,
                             const nlri_source& withdrawn) {
  bool announces = u.group != planned_update::no_group;
  update_message m
    = announces ? update_message{{}, attrs, {}} : make_withdraw_update(u.ipv6);
  std::vector<nlri> gone;
  const auto& order = plan.withdrawn_order();
  for (auto k = u.first_withdrawn; k < u.last_withdrawn; ++k) {
    gone.push_back(withdrawn[order[k]]);
  }
  std::vector<nlri> added;
  for (auto i = u.first; i < u.last && announces; ++i) {
    added.push_back(announced[i]);
  }
  if (!u.ipv6) {
    m.withdrawn = std::move(gone);
    m.announced = std::move(added);
    return m;
  }
  for (auto& a : m.attributes) {
    if (auto* reach = std::get_if<mp_reach>(&a.value)) {
      reach->announced = std::move(added);
    } else if (auto* unreach = std::get_if<mp_unreach>(&a.value)) {
      unreach->withdrawn = std::move(gone);
    }
  }
  return m;
}

} // namespace porter::bgp
