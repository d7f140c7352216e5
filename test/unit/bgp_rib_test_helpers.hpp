// Helpers shared by the Adj-RIB-Out and UPDATE packer tests: readable
// addresses, peer contexts, and views of a list of UPDATEs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "bgp/adj_rib_out.hpp"
#include "bgp/codec.hpp"
#include "bgp/path_id.hpp"

namespace porter::bgp::test {

inline net::ip_address ip(const char* text) {
  return net::parse_ip(text).value();
}

inline net::prefix pfx(const char* text) {
  return net::parse_prefix(text).value();
}

/// The path porter sends for `prefix` via `hop` with ADD-PATH.
inline nlri path(const char* prefix, const char* hop) {
  return nlri{path_id_hash(ip(hop)), pfx(prefix)};
}

inline peer_context ibgp_peer(bool add_path) {
  peer_context ctx;
  ctx.local_as = 64512;
  ctx.ibgp = true;
  ctx.four_octet_as = true;
  ctx.ipv4 = true;
  ctx.ipv6 = true;
  ctx.add_path_v4 = add_path;
  ctx.add_path_v6 = add_path;
  return ctx;
}

/// `count` consecutive /32 from 10.0.0.0 (or /128 from 2001:db8::).
inline std::vector<net::prefix> host_prefixes(std::size_t count,
                                              bool v6 = false) {
  std::vector<net::prefix> out;
  for (std::size_t i = 0; i < count; ++i) {
    auto n = static_cast<std::uint32_t>(i);
    if (!v6) {
      out.push_back(net::prefix::host(net::ip_address::v4(0x0a000000u + n)));
      continue;
    }
    std::array<std::uint8_t, 16> b{0x20, 0x01, 0x0d, 0xb8};
    b[13] = static_cast<std::uint8_t>(n >> 16);
    b[14] = static_cast<std::uint8_t>(n >> 8);
    b[15] = static_cast<std::uint8_t>(n);
    out.push_back(net::prefix::host(net::ip_address::v6(b)));
  }
  return out;
}

inline const path_attribute* find_attribute(const update_message& u,
                                            attr_type type) {
  for (const auto& a : u.attributes)
    if (a.type == static_cast<std::uint8_t>(type))
      return &a;
  return nullptr;
}

/// Every NLRI announced (IPv4 field and MP_REACH_NLRI), in message order.
inline std::vector<nlri> announced(const std::vector<update_message>& us) {
  std::vector<nlri> out;
  for (const auto& u : us) {
    out.insert(out.end(), u.announced.begin(), u.announced.end());
    for (const auto& a : u.attributes)
      if (const auto* r = std::get_if<mp_reach>(&a.value))
        out.insert(out.end(), r->announced.begin(), r->announced.end());
  }
  return out;
}

/// Every NLRI withdrawn (IPv4 field and MP_UNREACH_NLRI), in message order.
inline std::vector<nlri> withdrawn(const std::vector<update_message>& us) {
  std::vector<nlri> out;
  for (const auto& u : us) {
    out.insert(out.end(), u.withdrawn.begin(), u.withdrawn.end());
    for (const auto& a : u.attributes)
      if (const auto* r = std::get_if<mp_unreach>(&a.value))
        out.insert(out.end(), r->withdrawn.begin(), r->withdrawn.end());
  }
  return out;
}

/// The codec options matching `ctx` (what the session would encode with).
inline wire_options wire(const peer_context& ctx, bool extended) {
  wire_options w;
  w.four_octet_as = ctx.four_octet_as;
  w.extended_message = extended;
  if (ctx.add_path_v4)
    w.add_path.push_back(ipv4_unicast);
  if (ctx.add_path_v6)
    w.add_path.push_back(ipv6_unicast);
  return w;
}

inline bool same(const update_message& a, const update_message& b) {
  return a.withdrawn == b.withdrawn && a.attributes == b.attributes
         && a.announced == b.announced;
}

inline std::string show(const std::vector<nlri>& routes) {
  std::string out;
  for (const auto& n : routes)
    out += net::to_string(n.prefix) + "#" + std::to_string(n.path_id) + " ";
  return out;
}

} // namespace porter::bgp::test
