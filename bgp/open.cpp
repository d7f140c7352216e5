// OPEN message body (RFC 4271 §4.2) with its optional parameters and the
// capability TLVs inside parameter type 2 (RFC 5492 §4), kept in their
// received order and grouping; field checks of RFC 4271 §6.2.
#include "bgp/detail/wire.hpp"

namespace porter::bgp::detail {

namespace {

constexpr std::uint8_t capabilities_parameter = 2; // RFC 5492 §4

/// RFC 4271 §6.2 prescribes no subcode for a structurally broken OPEN, so
/// RFC 4271 §4.5 "Unspecific" (0) is used.
tl::unexpected<notification> malformed_open() {
  return tl::unexpected<notification>(open_error(0));
}

bool decode_capability_tlvs(byte_reader r, std::vector<capability>& out) {
  while (!r.empty()) {
    capability c;
    std::uint8_t length = 0;
    if (!r.u8(c.code) || !r.u8(length) || !r.copy(length, c.value))
      return false;
    out.push_back(std::move(c));
  }
  return true;
}

bool decode_parameters(byte_reader r, std::vector<optional_parameter>& out) {
  while (!r.empty()) {
    optional_parameter p;
    std::uint8_t length = 0;
    byte_reader value;
    if (!r.u8(p.type) || !r.u8(length) || !r.take(length, value))
      return false;
    if (p.type == capabilities_parameter) {
      if (!decode_capability_tlvs(value, p.capabilities))
        return false;
    } else {
      p.raw = value.rest(); // `negotiate` decides whether it is acceptable
    }
    out.push_back(std::move(p));
  }
  return true;
}

} // namespace

std::optional<notification> check_open_fields(const open_message& o) {
  // RFC 4271 §6.2: unsupported version; Data is the 2-octet version we
  // support closest to the bid, which is always 4.
  if (o.version != 4)
    return open_error(open_subcode::unsupported_version, u16_bytes(4));
  // RFC 4271 §6.2: Hold Time MUST be zero or at least three seconds.
  if (o.hold_time == 1 || o.hold_time == 2)
    return open_error(open_subcode::unacceptable_hold_time);
  // RFC 6286 §2.2: the BGP Identifier is a non-zero 4-octet value.
  if (o.bgp_identifier == 0)
    return open_error(open_subcode::bad_bgp_identifier);
  return std::nullopt;
}

tl::expected<open_message, notification> decode_open(byte_reader body) {
  open_message o;
  std::uint8_t parameters_length = 0;
  // The header check guarantees the 10 fixed octets (RFC 4271 §6.1).
  if (!body.u8(o.version) || !body.u16(o.my_as) || !body.u16(o.hold_time)
      || !body.u32(o.bgp_identifier) || !body.u8(parameters_length))
    return malformed_open();
  if (auto bad = check_open_fields(o))
    return tl::unexpected(std::move(*bad));
  byte_reader parameters;
  // RFC 4271 §4.2: Optional Parameters Length covers exactly the rest.
  if (!body.take(parameters_length, parameters) || !body.empty())
    return malformed_open();
  if (!decode_parameters(parameters, o.parameters))
    return malformed_open();
  return o;
}

void encode_open(const open_message& o, bytes& out) {
  put_u8(out, o.version);
  put_u16(out, o.my_as);
  put_u16(out, o.hold_time);
  put_u32(out, o.bgp_identifier);
  auto all_at = out.size();
  put_u8(out, 0);
  for (const auto& p : o.parameters) {
    put_u8(out, p.type);
    auto at = out.size();
    put_u8(out, 0);
    if (p.type == capabilities_parameter) {
      for (const auto& c : p.capabilities) {
        put_u8(out, c.code);
        put_u8(out, static_cast<std::uint8_t>(c.value.size()));
        put_bytes(out, c.value);
      }
    } else {
      put_bytes(out, p.raw);
    }
    out[at] = static_cast<std::uint8_t>(out.size() - at - 1);
  }
  out[all_at] = static_cast<std::uint8_t>(out.size() - all_at - 1);
}

} // namespace porter::bgp::detail
