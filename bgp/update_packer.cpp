#include "bgp/update_packer.hpp"

#include <algorithm>
#include <tuple>
#include <variant>

#include "bgp/update_plan.hpp"

namespace porter::bgp {

namespace {

constexpr std::uint8_t well_known = attr_flag_transitive;
constexpr std::uint8_t optional_transitive
  = attr_flag_optional | attr_flag_transitive;
// MP_REACH/MP_UNREACH always use the 2-octet length: their header size then
// does not change while NLRI are added, and BIRD and GoBGP do the same.
constexpr std::uint8_t optional_extended
  = attr_flag_optional | attr_flag_extended_length;
// Without the extended-length flag the attribute length is one octet.
constexpr std::size_t max_short_length = 255;

constexpr std::uint8_t code(attr_type t) {
  return static_cast<std::uint8_t>(t);
}

bool is_ipv6(afi_safi family) {
  return family.afi == static_cast<std::uint16_t>(afi::ipv6);
}

std::size_t nlri_list_size(const std::vector<nlri>& routes, bool add_path) {
  std::size_t size = 0;
  for (const auto& n : routes) {
    size += nlri_size(n, add_path);
  }
  return size;
}

struct value_size_visitor {
  const path_attribute& attr;
  const peer_context& ctx;

  std::size_t operator()(origin) const { return 1; }
  std::size_t operator()(const as_path& path) const {
    // RFC 6793 §4: AS4_PATH always has 4-octet ASNs, AS_PATH per session.
    std::size_t width
      = attr.type == code(attr_type::as4_path) || ctx.four_octet_as ? 4 : 2;
    std::size_t size = 0;
    for (const auto& segment : path.segments) {
      size += 2 + width * segment.asns.size();
    }
    return size;
  }
  std::size_t operator()(const net::ip_address& a) const { return a.size(); }
  std::size_t operator()(std::uint32_t) const { return 4; }
  std::size_t operator()(atomic_aggregate) const { return 0; }
  std::size_t operator()(const aggregator&) const {
    return attr.type == code(attr_type::as4_aggregator) || ctx.four_octet_as
             ? 8
             : 6;
  }
  std::size_t operator()(const std::vector<std::uint32_t>& c) const {
    return 4 * c.size();
  }
  std::size_t operator()(const std::vector<large_community>& c) const {
    return 12 * c.size();
  }
  std::size_t operator()(const mp_reach& r) const {
    // RFC 4760 §3: AFI(2) SAFI(1) NH-length(1) NH Reserved(1) NLRI.
    std::size_t hops
      = r.next_hop.size()
        + (r.link_local_next_hop ? r.link_local_next_hop->size() : 0);
    bool add_path = is_ipv6(r.family) ? ctx.add_path_v6 : ctx.add_path_v4;
    return 5 + hops + nlri_list_size(r.announced, add_path);
  }
  std::size_t operator()(const mp_unreach& u) const {
    // RFC 4760 §4: AFI(2) SAFI(1) withdrawn routes.
    bool add_path = is_ipv6(u.family) ? ctx.add_path_v6 : ctx.add_path_v4;
    return 3 + nlri_list_size(u.withdrawn, add_path);
  }
  std::size_t operator()(const raw_attribute& r) const {
    return r.value.size();
  }
};

std::size_t value_size(const path_attribute& a, const peer_context& ctx) {
  return std::visit(value_size_visitor{a, ctx}, a.value);
}

as_path local_as_path(const peer_context& ctx) {
  // RFC 4271 §5.1.2: empty towards internal peers, our ASN towards external.
  if (ctx.ibgp) {
    return {};
  }
  // RFC 6793 §4.2.2: a 2-octet peer gets AS_TRANS (and AS4_PATH).
  bool fits = ctx.four_octet_as || ctx.local_as <= 0xffff;
  std::uint32_t asn = fits ? ctx.local_as : as_trans;
  return as_path{{as_segment{as_segment_type::as_sequence, {asn}}}};
}

bool needs_as4_path(const peer_context& ctx) {
  return !ctx.ibgp && !ctx.four_octet_as && ctx.local_as > 0xffff;
}

} // namespace

bool operator<(const route_attributes& a, const route_attributes& b) {
  if (std::tie(a.med, a.local_pref, a.communities)
      != std::tie(b.med, b.local_pref, b.communities)) {
    return std::tie(a.med, a.local_pref, a.communities)
           < std::tie(b.med, b.local_pref, b.communities);
  }
  auto less = [](const large_community& x, const large_community& y) {
    return std::tie(x.global_admin, x.local_data1, x.local_data2)
           < std::tie(y.global_admin, y.local_data1, y.local_data2);
  };
  return std::lexicographical_compare(
    a.large_communities.begin(), a.large_communities.end(),
    b.large_communities.begin(), b.large_communities.end(), less);
}

std::size_t nlri_size(const nlri& n, bool add_path) {
  // RFC 4271 §4.3 / RFC 7911 §3: [Path Identifier(4)] Length(1) Prefix.
  return (add_path ? 4 : 0) + 1 + (n.prefix.length + 7u) / 8u;
}

std::size_t attribute_size(const path_attribute& a, const peer_context& ctx) {
  // RFC 4271 §4.3: flags(1) type(1) length(1, or 2 when extended).
  auto size = value_size(a, ctx);
  bool extended
    = (a.flags & attr_flag_extended_length) != 0 || size > max_short_length;
  return 2 + (extended ? 2 : 1) + size;
}

std::size_t update_size(const update_message& u, const peer_context& ctx) {
  auto size = empty_update_size + nlri_list_size(u.withdrawn, ctx.add_path_v4)
              + nlri_list_size(u.announced, ctx.add_path_v4);
  for (const auto& a : u.attributes) {
    size += attribute_size(a, ctx);
  }
  return size;
}

std::vector<path_attribute>
make_path_attributes(const peer_context& ctx, const net::ip_address& next_hop,
                     const std::optional<net::ip_address>& link_local,
                     const route_attributes& attrs) {
  std::vector<path_attribute> out;
  out.push_back({well_known, code(attr_type::origin), origin::igp});
  out.push_back({well_known, code(attr_type::as_path), local_as_path(ctx)});
  if (next_hop.is_v4()) {
    out.push_back({well_known, code(attr_type::next_hop), next_hop});
  }
  if (attrs.med) {
    out.push_back(
      {attr_flag_optional, code(attr_type::multi_exit_disc), *attrs.med});
  }
  // RFC 4271 §5.1.5: LOCAL_PREF MUST NOT be sent to external peers.
  if (ctx.ibgp) {
    out.push_back({well_known, code(attr_type::local_pref),
                   attrs.local_pref.value_or(ctx.default_local_pref)});
  }
  if (!attrs.communities.empty()) {
    out.push_back(
      {optional_transitive, code(attr_type::communities), attrs.communities});
  }
  if (!next_hop.is_v4()) {
    out.push_back({optional_extended, code(attr_type::mp_reach_nlri),
                   mp_reach{ipv6_unicast, next_hop, link_local, {}}});
  }
  if (needs_as4_path(ctx)) {
    out.push_back(
      {optional_transitive, code(attr_type::as4_path),
       as_path{{as_segment{as_segment_type::as_sequence, {ctx.local_as}}}}});
  }
  if (!attrs.large_communities.empty()) {
    out.push_back({optional_transitive, code(attr_type::large_communities),
                   attrs.large_communities});
  }
  for (auto& a : out) {
    if (value_size(a, ctx) > max_short_length) {
      a.flags |= attr_flag_extended_length;
    }
  }
  return out;
}

update_message make_withdraw_update(bool ipv6) {
  update_message u;
  if (ipv6) {
    u.attributes.push_back({optional_extended, code(attr_type::mp_unreach_nlri),
                            mp_unreach{ipv6_unicast, {}}});
  }
  return u;
}

update_packer::update_packer(const peer_context& ctx, std::size_t max_size)
    : ctx_(ctx),
      max_size_(std::clamp(max_size, min_max_size, max_extended_message_size)) {
}

bool update_packer::announce(const std::vector<path_attribute>& attrs,
                             const std::vector<nlri>& routes) {
  update_message first;
  first.attributes = attrs;
  auto fixed_size = update_size(first, ctx_);
  for (const auto& n : routes) {
    if (fixed_size + nlri_size(n, ctx_.add_path(n.prefix)) > max_size_) {
      return false;
    }
  }
  if (!routes.empty()) {
    groups_.push_back({attrs, fixed_size, announced_.size(),
                       announced_.size() + routes.size()});
    announced_.insert(announced_.end(), routes.begin(), routes.end());
  }
  return true;
}

void update_packer::withdraw(const std::vector<nlri>& routes) {
  withdrawn_.insert(withdrawn_.end(), routes.begin(), routes.end());
}

std::vector<update_message> update_packer::finish() {
  nlri_vector_source announced(announced_);
  nlri_vector_source withdrawn(withdrawn_);
  update_planner plan(ctx_, max_size_, announced, withdrawn);
  for (std::uint32_t g = 0; g < groups_.size(); ++g) {
    const auto& group = groups_[g];
    plan.announce(g, group.fixed_size, group.first, group.last);
  }
  plan.withdraw();
  std::vector<update_message> out;
  out.reserve(plan.updates().size());
  static const std::vector<path_attribute> none;
  for (const auto& u : plan.updates()) {
    const auto& attrs = u.group == planned_update::no_group
                          ? none
                          : groups_[u.group].attributes;
    out.push_back(render_update(u, attrs, plan, announced, withdrawn));
  }
  groups_.clear();
  announced_.clear();
  withdrawn_.clear();
  return out;
}

} // namespace porter::bgp
