#include "bgp/received_routes.hpp"

#include <optional>

#include "bgp/codec.hpp"

namespace porter::bgp {

namespace {

std::uint32_t path_length(const as_path& p) {
  std::uint32_t n = 0;
  for (const auto& s : p.segments) {
    if (s.type == as_segment_type::as_sequence)
      n += static_cast<std::uint32_t>(s.asns.size());
    else if (s.type == as_segment_type::as_set)
      ++n;
    // Confederation segments do not count (RFC 5065 §5.3).
  }
  return n;
}

} // namespace

received_changes changes_of(const update_message& u, bool treat_as_withdraw) {
  received_changes out;
  out.end_of_rib = end_of_rib_family(u);
  out.withdrawn = u.withdrawn;
  std::optional<net::ip_address> next_hop;
  std::uint32_t length = 0;
  const mp_reach* reach = nullptr;
  for (const auto& a : u.attributes) {
    const auto type = static_cast<attr_type>(a.type);
    if (type == attr_type::next_hop)
      if (const auto* ip = std::get_if<net::ip_address>(&a.value))
        next_hop = *ip;
    if (type == attr_type::as_path)
      if (const auto* p = std::get_if<as_path>(&a.value))
        length = path_length(*p);
    if (const auto* r = std::get_if<mp_reach>(&a.value))
      reach = r;
    if (const auto* un = std::get_if<mp_unreach>(&a.value))
      out.withdrawn.insert(out.withdrawn.end(), un->withdrawn.begin(),
                           un->withdrawn.end());
  }
  if (next_hop)
    for (const auto& n : u.announced)
      out.announced.push_back({n, *next_hop, length});
  if (reach != nullptr)
    for (const auto& n : reach->announced)
      out.announced.push_back({n, reach->next_hop, length});
  if (treat_as_withdraw) {
    for (const auto& p : out.announced)
      out.withdrawn.push_back(p.route);
    out.announced.clear();
  }
  return out;
}

} // namespace porter::bgp
