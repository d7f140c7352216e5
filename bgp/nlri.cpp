// NLRI prefixes (RFC 4271 §4.3), ADD-PATH path identifiers (RFC 7911 §3) and
// the MP_REACH_NLRI / MP_UNREACH_NLRI attribute values (RFC 4760 §3-4,
// IPv6 next hops per RFC 2545 §3, IPv6 next hops for IPv4 per RFC 8950).
#include <algorithm>
#include <array>

#include "bgp/detail/wire.hpp"

namespace porter::bgp::detail {

namespace {

bool is_known_family(afi_safi f) {
  return f == ipv4_unicast || f == ipv6_unicast;
}

bool decode_prefix(byte_reader& r, afi_safi family, bool add_path, nlri& out) {
  std::uint32_t path_id = 0;
  // RFC 7911 §3: a 4-octet Path Identifier precedes each prefix.
  if (add_path && !r.u32(path_id))
    return false;
  std::uint8_t length = 0;
  if (!r.u8(length))
    return false;
  bool v6 = family.afi == static_cast<std::uint16_t>(afi::ipv6);
  // RFC 7606 §5.3: a prefix longer than the family allows is a syntax error.
  if (length > (v6 ? 128 : 32))
    return false;
  std::size_t octets = (std::size_t{length} + 7) / 8;
  byte_reader field;
  // RFC 7606 §5.3: a prefix overrunning the field is a syntax error.
  if (!r.take(octets, field))
    return false;
  std::array<std::uint8_t, 16> raw{};
  for (std::size_t i = 0; i < octets; ++i)
    field.u8(raw[i]);
  // RFC 4271 §4.3: "the value of trailing bits is irrelevant" — zero them so
  // equal routes compare equal.
  if (length % 8 != 0)
    raw[octets - 1] &= static_cast<std::uint8_t>(0xff << (8 - length % 8));
  auto addr = v6 ? net::ip_address::v6(raw)
                 : net::ip_address::v4({raw[0], raw[1], raw[2], raw[3]});
  out = nlri{path_id, net::prefix{addr, length}};
  return true;
}

bool decode_next_hop(byte_reader r, afi_safi family, mp_reach& out) {
  std::array<std::uint8_t, 16> global{};
  std::array<std::uint8_t, 16> local{};
  switch (r.remaining()) {
    case 4: {
      // RFC 7606 §7.11: the next hop length must fit the AFI.
      if (!(family == ipv4_unicast))
        return false;
      std::uint32_t v4 = 0;
      r.u32(v4);
      out.next_hop = net::ip_address::v4(v4);
      return true;
    }
    case 32: // RFC 2545 §3: global address followed by link-local
      for (auto& b : global)
        r.u8(b);
      for (auto& b : local)
        r.u8(b);
      out.next_hop = net::ip_address::v6(global);
      out.link_local_next_hop = net::ip_address::v6(local);
      return true;
    case 16:
      for (auto& b : global)
        r.u8(b);
      out.next_hop = net::ip_address::v6(global);
      return true;
    default:
      return false;
  }
}

bool decode_family(byte_reader& r, afi_safi& out) {
  return r.u16(out.afi) && r.u8(out.safi);
}

void encode_address(const net::ip_address& a, bytes& out) {
  out.insert(out.end(), a.bytes.begin(),
             a.bytes.begin() + static_cast<std::ptrdiff_t>(a.size()));
}

} // namespace

bool decode_prefixes(byte_reader r, afi_safi family, bool add_path,
                     std::vector<nlri>& out) {
  while (!r.empty()) {
    nlri n;
    if (!decode_prefix(r, family, add_path, n))
      return false;
    out.push_back(n);
  }
  return true;
}

void encode_prefixes(const std::vector<nlri>& prefixes, bool add_path,
                     bytes& out) {
  for (const auto& n : prefixes) {
    if (add_path)
      put_u32(out, n.path_id);
    put_u8(out, n.prefix.length);
    std::size_t octets = (std::size_t{n.prefix.length} + 7) / 8;
    octets = std::min(octets, n.prefix.addr.size());
    out.insert(out.end(), n.prefix.addr.bytes.begin(),
               n.prefix.addr.bytes.begin()
                 + static_cast<std::ptrdiff_t>(octets));
  }
}

std::optional<attribute_value> decode_mp_reach(byte_reader value,
                                               const wire_options& opts) {
  byte_reader all = value;
  mp_reach mp;
  if (!decode_family(value, mp.family))
    return std::nullopt;
  if (!is_known_family(mp.family))
    return raw_attribute{all.rest()}; // not negotiable here: kept as is
  std::uint8_t nh_length = 0;
  byte_reader nh;
  std::uint8_t reserved = 0;
  // RFC 4760 §3: Next Hop length, Next Hop, one reserved octet, NLRI.
  if (!value.u8(nh_length) || !value.take(nh_length, nh) || !value.u8(reserved))
    return std::nullopt;
  if (!decode_next_hop(nh, mp.family, mp))
    return std::nullopt;
  if (!decode_prefixes(value, mp.family, opts.has_add_path(mp.family),
                       mp.announced))
    return std::nullopt;
  return mp;
}

std::optional<attribute_value> decode_mp_unreach(byte_reader value,
                                                 const wire_options& opts) {
  byte_reader all = value;
  mp_unreach mp;
  if (!decode_family(value, mp.family))
    return std::nullopt;
  if (!is_known_family(mp.family))
    return raw_attribute{all.rest()};
  if (!decode_prefixes(value, mp.family, opts.has_add_path(mp.family),
                       mp.withdrawn))
    return std::nullopt;
  return mp;
}

void encode_mp_reach(const mp_reach& mp, const wire_options& opts, bytes& out) {
  put_u16(out, mp.family.afi);
  put_u8(out, mp.family.safi);
  auto nh_length
    = mp.next_hop.size()
      + (mp.link_local_next_hop ? mp.link_local_next_hop->size() : 0);
  put_u8(out, static_cast<std::uint8_t>(nh_length));
  encode_address(mp.next_hop, out);
  if (mp.link_local_next_hop)
    encode_address(*mp.link_local_next_hop, out);
  put_u8(out, 0); // RFC 4760 §3: Reserved, MUST be 0
  encode_prefixes(mp.announced, opts.has_add_path(mp.family), out);
}

void encode_mp_unreach(const mp_unreach& mp, const wire_options& opts,
                       bytes& out) {
  put_u16(out, mp.family.afi);
  put_u8(out, mp.family.safi);
  encode_prefixes(mp.withdrawn, opts.has_add_path(mp.family), out);
}

} // namespace porter::bgp::detail
