// The diff of adj_rib_out: one merge-join of the advertised table with the
// desired table expanded on the fly, a counting sort of the changed paths
// into attribute groups, a plan (update_planner), then the output.
#include <algorithm>
#include <cassert>

#include "bgp/adj_rib_out.hpp"
#include "bgp/detail/prefix_order.hpp"
#include "bgp/update_plan.hpp"
#include "bgp/update_writer.hpp"

namespace porter::bgp {

namespace {

constexpr std::uint32_t no_group = 0xffffffffu;

/// Entries of a table at some positions, as NLRI.
class positions_source final : public nlri_source {
public:
  positions_source(const std::vector<std::uint32_t>& positions,
                   const std::vector<adj_rib_out::entry>& table)
      : positions_(positions), table_(table) {}
  std::size_t size() const override { return positions_.size(); }
  const nlri& operator[](std::size_t i) const override {
    return table_[positions_[i]].route;
  }

private:
  const std::vector<std::uint32_t>& positions_;
  const std::vector<adj_rib_out::entry>& table_;
};

bool by_route(const adj_rib_out::entry& e, const nlri& n) {
  return detail::compare(e.route, n) < 0;
}

} // namespace

struct adj_rib_out::diff {
  std::vector<entry> next;              // the desired table, sorted by route
  std::vector<bool> changed;            // next[i] is new or has new attributes
  std::vector<std::uint32_t> withdrawn; // positions in advertised_
  std::vector<std::uint32_t> group_of;  // per path: its group, or none
  std::vector<std::uint32_t> groups;    // paths, in order of first change
  std::vector<std::uint32_t> counts;    // per group: changed paths
  std::vector<std::uint32_t> bounds;    // group g: order[bounds[g], [g+1])
  std::vector<std::uint32_t> order;     // positions in next, by group
  std::vector<bool> refused;            // per group: not sendable at all
  bool any_refused = false;

  /// The path about to be appended to `next` is new or changed.
  void note_change(std::uint32_t path) {
    changed[next.size()] = true;
    auto& g = group_of[path];
    if (g == no_group) {
      g = static_cast<std::uint32_t>(groups.size());
      groups.push_back(path);
      counts.push_back(0);
    }
    ++counts[g];
  }

  void close_groups() {
    bounds.assign(counts.size() + 1, 0);
    for (std::size_t g = 0; g < counts.size(); ++g) {
      bounds[g + 1] = bounds[g] + counts[g];
    }
  }
};

std::size_t adj_rib_out::desired_path_count() const {
  std::size_t count = 0;
  for (const auto& e : desired_->entries()) {
    if (ctx_.negotiated(e.prefix)) {
      auto at = range_at(e);
      count += ranges_[at + 1] - ranges_[at];
    }
  }
  return count;
}

void adj_rib_out::merge(diff& d) const {
  const auto& old = advertised_;
  auto paths = desired_ ? desired_path_count() : 0;
  d.next.reserve(paths);
  d.changed.assign(paths, false);
  d.group_of.assign(paths_.size(), no_group);
  std::uint32_t i = 0; // in old
  static const std::vector<desired_routes::entry> nothing;
  for (const auto& e : desired_ ? desired_->entries() : nothing) {
    if (!ctx_.negotiated(e.prefix)) {
      continue;
    }
    auto at = range_at(e);
    for (auto k = ranges_[at]; k < ranges_[at + 1]; ++k) {
      nlri route{expanded_[k].path_id, e.prefix};
      auto path = expanded_[k].path;
      int order = -1; // of old[i] against route; old[end] is after all
      while (i < old.size()
             && (order = detail::compare(old[i].route, route)) < 0) {
        d.withdrawn.push_back(i++);
      }
      bool kept = i < old.size() && order == 0;
      if (!kept || old[i].path != path) {
        d.note_change(path);
      }
      i += kept ? 1 : 0;
      d.next.push_back({route, path});
    }
  }
  while (i < old.size()) {
    d.withdrawn.push_back(i++);
  }
  d.close_groups();
}

void adj_rib_out::group(diff& d) const {
  // Counting sort: each group's paths stay in table order.
  d.order.assign(d.bounds.back(), 0);
  auto cursor = d.bounds;
  for (std::uint32_t i = 0; i < d.next.size(); ++i) {
    if (d.changed[i]) {
      d.order[cursor[d.group_of[d.next[i].path]]++] = i;
    }
  }
  d.refused.assign(d.groups.size(), false);
}

void adj_rib_out::refuse(diff& d, std::uint32_t group) {
  d.refused[group] = true;
  d.any_refused = true;
  for (auto k = d.bounds[group]; k < d.bounds[group + 1]; ++k) {
    const auto& route = d.next[d.order[k]].route;
    unsendable_.push_back(route);
    // The peer must not keep a path whose new attributes we cannot send.
    auto it = std::lower_bound(advertised_.begin(), advertised_.end(), route,
                               by_route);
    if (it != advertised_.end() && it->route == route) {
      d.withdrawn.push_back(
        static_cast<std::uint32_t>(it - advertised_.begin()));
    }
  }
}

void adj_rib_out::commit(diff& d) {
  if (d.any_refused) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < d.next.size(); ++i) {
      const auto& e = d.next[i];
      if (!d.changed[i] || !d.refused[d.group_of[e.path]]) {
        d.next[kept++] = e;
      }
    }
    d.next.resize(kept);
  }
  advertised_ = std::move(d.next);
  std::sort(unsendable_.begin(), unsendable_.end());
  compact_paths();
}

template <class Sink>
std::size_t adj_rib_out::run(std::size_t max_size, Sink sink) {
  unsendable_.clear();
  diff d;
  merge(d);
  group(d);
  positions_source announced(d.order, d.next);
  positions_source withdrawn(d.withdrawn, advertised_);
  update_planner plan(ctx_, max_size, announced, withdrawn);
  std::vector<std::vector<path_attribute>> attrs;
  attrs.reserve(d.groups.size());
  for (std::uint32_t g = 0; g < d.groups.size(); ++g) {
    const auto& p = paths_[d.groups[g]];
    attrs.push_back(
      make_path_attributes(ctx_, p.next_hop, p.link_local, p.attributes));
    auto fixed_size = update_size(update_message{{}, attrs.back(), {}}, ctx_);
    if (!plan.announce(g, fixed_size, d.bounds[g], d.bounds[g + 1])) {
      refuse(d, g);
    }
  }
  if (d.any_refused) {
    std::sort(d.withdrawn.begin(), d.withdrawn.end());
  }
  plan.withdraw();
  sink(plan, announced, withdrawn, attrs);
  auto count = plan.updates().size();
  commit(d);
  return count;
}

std::size_t adj_rib_out::write_updates(std::size_t max_size,
                                       const wire_options& opts, bytes& out) {
  // Sizes are planned with ctx_, bytes written with opts: they must agree.
  assert(opts.four_octet_as == ctx_.four_octet_as
         && opts.has_add_path(ipv4_unicast) == ctx_.add_path_v4
         && opts.has_add_path(ipv6_unicast) == ctx_.add_path_v6);
  return run(max_size,
             [&](const update_planner& plan, const nlri_source& announced,
                 const nlri_source& withdrawn,
                 const std::vector<std::vector<path_attribute>>& a) {
               update_writer writer(opts);
               for (const auto& attrs : a) {
                 writer.add_group(attrs);
               }
               out.reserve(out.size() + plan.total_size());
               for (const auto& u : plan.updates()) {
                 writer.write(u, plan, announced, withdrawn, out);
               }
             });
}

std::vector<update_message> adj_rib_out::pending_updates(std::size_t max_size) {
  std::vector<update_message> out;
  run(max_size, [&](const update_planner& plan, const nlri_source& announced,
                    const nlri_source& withdrawn,
                    const std::vector<std::vector<path_attribute>>& a) {
    static const std::vector<path_attribute> none;
    for (const auto& u : plan.updates()) {
      bool announces = u.group != planned_update::no_group;
      out.push_back(render_update(u, announces ? a[u.group] : none, plan,
                                  announced, withdrawn));
    }
  });
  return out;
}

} // namespace porter::bgp
