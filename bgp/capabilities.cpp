// Typed capabilities (RFC 5492 §4): multiprotocol (RFC 4760 §8), route
// refresh (RFC 2918 §2), extended message (RFC 8654 §3), graceful restart
// (RFC 4724 §3), 4-octet AS (RFC 6793 §3), ADD-PATH (RFC 7911 §4), enhanced
// route refresh (RFC 7313 §3); others are kept raw. Also our OPEN.
#include <algorithm>

#include "bgp/codec.hpp"
#include "bgp/detail/wire.hpp"

namespace porter::bgp {

namespace {

using detail::byte_reader;

constexpr std::uint16_t gr_restarting = 0x8000;   // RFC 4724 §3: R bit
constexpr std::uint16_t gr_notification = 0x4000; // RFC 8538 §2: N bit
constexpr std::uint16_t gr_time_mask = 0x0fff;    // 12-bit Restart Time
constexpr std::uint8_t gr_forwarding = 0x80;      // per-family F bit

template <class T>
void add_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end())
    v.push_back(x);
}

bool decode_graceful_restart(byte_reader r, capabilities& caps) {
  std::uint16_t head = 0;
  // RFC 4724 §3: 2 octets of flags and time, then 4 octets per family.
  if (!r.u16(head) || r.remaining() % 4 != 0)
    return false;
  if (caps.graceful_restart)
    return true; // the first instance counts
  graceful_restart_capability gr;
  gr.restarting = (head & gr_restarting) != 0;
  gr.notification = (head & gr_notification) != 0;
  gr.restart_time = head & gr_time_mask;
  graceful_restart_entry e;
  std::uint8_t flags = 0;
  while (r.u16(e.family.afi) && r.u8(e.family.safi) && r.u8(flags)) {
    e.forwarding_preserved = (flags & gr_forwarding) != 0;
    gr.families.push_back(e);
  }
  caps.graceful_restart = std::move(gr);
  return true;
}

bool decode_add_path(byte_reader r, capabilities& caps) {
  // RFC 7911 §4: one or more <AFI, SAFI, Send/Receive> tuples of 4 octets.
  if (r.empty() || r.remaining() % 4 != 0)
    return false;
  add_path_entry e;
  std::uint8_t direction = 0;
  while (r.u16(e.family.afi) && r.u8(e.family.safi) && r.u8(direction)) {
    // RFC 7911 §4: Send/Receive is 1, 2 or 3; other values are ignored.
    if (direction < 1 || direction > 3)
      continue;
    e.direction = static_cast<add_path_direction>(direction);
    bool known = std::any_of(
      caps.add_path.begin(), caps.add_path.end(),
      [&](const add_path_entry& x) { return x.family == e.family; });
    if (!known)
      caps.add_path.push_back(e);
  }
  return true;
}

bool decode_multiprotocol(byte_reader r, capabilities& caps) {
  afi_safi f;
  std::uint8_t reserved = 0;
  // RFC 4760 §8: AFI (2), Reserved (1), SAFI (1).
  if (r.remaining() != 4 || !r.u16(f.afi) || !r.u8(reserved) || !r.u8(f.safi))
    return false;
  add_unique(caps.multiprotocol, f);
  return true;
}

bool decode_four_octet_as(byte_reader r, capabilities& caps) {
  std::uint32_t asn = 0;
  // RFC 6793 §3: the value is the 4-octet AS number.
  if (r.remaining() != 4 || !r.u32(asn))
    return false;
  if (!caps.four_octet_as)
    caps.four_octet_as = asn;
  return true;
}

bool decode_one(const capability& c, capabilities& caps) {
  byte_reader r{c.value.data(), c.value.size()};
  switch (static_cast<capability_code>(c.code)) {
    case capability_code::multiprotocol:
      return decode_multiprotocol(r, caps);
    case capability_code::four_octet_as:
      return decode_four_octet_as(r, caps);
    case capability_code::graceful_restart:
      return decode_graceful_restart(r, caps);
    case capability_code::add_path:
      return decode_add_path(r, caps);
    // RFC 2918 §2, RFC 7313 §3, RFC 8654 §3: Capability Length is 0.
    case capability_code::route_refresh:
      caps.route_refresh = true;
      return r.empty();
    case capability_code::enhanced_route_refresh:
      caps.enhanced_route_refresh = true;
      return r.empty();
    case capability_code::extended_message:
      caps.extended_message = true;
      return r.empty();
  }
  caps.unknown.push_back(c);
  return true;
}

optional_parameter one(capability_code code, bytes value) {
  optional_parameter p;
  p.capabilities.push_back(
    capability{static_cast<std::uint8_t>(code), std::move(value)});
  return p;
}

bytes encode_graceful_restart(const graceful_restart_capability& gr) {
  bytes v;
  auto head = static_cast<std::uint16_t>(gr.restart_time & gr_time_mask);
  head |= gr.restarting ? gr_restarting : 0;
  head |= gr.notification ? gr_notification : 0;
  detail::put_u16(v, head);
  for (const auto& e : gr.families) {
    detail::put_u16(v, e.family.afi);
    detail::put_u8(v, e.family.safi);
    detail::put_u8(v, e.forwarding_preserved ? gr_forwarding : 0);
  }
  return v;
}

bytes encode_add_path(const std::vector<add_path_entry>& entries) {
  bytes v;
  for (const auto& e : entries) {
    detail::put_u16(v, e.family.afi);
    detail::put_u8(v, e.family.safi);
    detail::put_u8(v, static_cast<std::uint8_t>(e.direction));
  }
  return v;
}

} // namespace

tl::expected<capabilities, notification>
decode_capabilities(const open_message& open) {
  capabilities caps;
  for (const auto& p : open.parameters) {
    for (const auto& c : p.capabilities) {
      // A malformed known capability: no subcode is defined for it, so it
      // is OPEN Message Error / Unspecific (RFC 4271 §4.5) with the TLV.
      if (!decode_one(c, caps)) {
        bytes tlv{c.code, static_cast<std::uint8_t>(c.value.size())};
        detail::put_bytes(tlv, c.value);
        return tl::unexpected(detail::open_error(0, std::move(tlv)));
      }
    }
  }
  return caps;
}

std::vector<optional_parameter> encode_capabilities(const capabilities& caps) {
  std::vector<optional_parameter> out;
  for (auto f : caps.multiprotocol) {
    bytes v;
    detail::put_u16(v, f.afi);
    detail::put_u8(v, 0);
    detail::put_u8(v, f.safi);
    out.push_back(one(capability_code::multiprotocol, std::move(v)));
  }
  if (caps.route_refresh)
    out.push_back(one(capability_code::route_refresh, {}));
  if (caps.enhanced_route_refresh)
    out.push_back(one(capability_code::enhanced_route_refresh, {}));
  if (caps.extended_message)
    out.push_back(one(capability_code::extended_message, {}));
  if (caps.graceful_restart)
    out.push_back(one(capability_code::graceful_restart,
                      encode_graceful_restart(*caps.graceful_restart)));
  if (caps.four_octet_as)
    out.push_back(one(capability_code::four_octet_as,
                      detail::u32_bytes(*caps.four_octet_as)));
  if (!caps.add_path.empty())
    out.push_back(
      one(capability_code::add_path, encode_add_path(caps.add_path)));
  for (const auto& c : caps.unknown)
    out.push_back(one(static_cast<capability_code>(c.code), c.value));
  return out;
}

open_message make_open(std::uint32_t local_as, std::uint16_t hold_time,
                       std::uint32_t bgp_identifier, const capabilities& caps) {
  open_message o;
  // RFC 6793 §4.1: My AS carries AS_TRANS when the ASN needs 4 octets, and
  // the capability always carries the real ASN.
  o.my_as = local_as > 0xffff ? as_trans : static_cast<std::uint16_t>(local_as);
  o.hold_time = hold_time;
  o.bgp_identifier = bgp_identifier;
  auto ours = caps;
  if (ours.four_octet_as || local_as > 0xffff)
    ours.four_octet_as = local_as;
  o.parameters = encode_capabilities(ours);
  return o;
}

} // namespace porter::bgp
