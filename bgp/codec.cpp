// Message header checks (RFC 4271 §4.1, §6.1), dispatch by type, and the
// small bodies: NOTIFICATION (§4.5), KEEPALIVE (§4.4), ROUTE-REFRESH
// (RFC 2918 §3, RFC 7313 §3/§5); End-of-RIB markers (RFC 4724 §2).
#include "bgp/codec.hpp"

#include <algorithm>

#include "bgp/detail/wire.hpp"

namespace porter::bgp {

bool wire_options::has_add_path(afi_safi f) const {
  return std::find(add_path.begin(), add_path.end(), f) != add_path.end();
}

namespace {

using detail::byte_reader;

constexpr std::size_t open_min_size = 29;         // RFC 4271 §4.2
constexpr std::size_t update_min_size = 23;       // RFC 4271 §4.3
constexpr std::size_t notification_min_size = 21; // RFC 4271 §4.5
constexpr std::size_t route_refresh_size = 23;    // RFC 2918 §3

tl::unexpected<notification> bad_length(std::size_t length) {
  auto clamped
    = static_cast<std::uint16_t>(std::min<std::size_t>(length, 0xffff));
  // RFC 4271 §6.1: Bad Message Length carries the erroneous Length field.
  return tl::unexpected<notification>(detail::make_error(
    error_code::message_header, header_subcode::bad_message_length,
    detail::u16_bytes(clamped)));
}

/// RFC 7313 §5: a ROUTE-REFRESH of subtype 1 or 2 with a body other than 4
/// octets is a ROUTE-REFRESH Message Error carrying the whole message.
tl::unexpected<notification> bad_route_refresh(const std::uint8_t* data,
                                               std::size_t length) {
  bool enhanced = length > 21 && (data[21] == 1 || data[21] == 2);
  if (!enhanced)
    return bad_length(length);
  return tl::unexpected<notification>(detail::make_error(
    error_code::route_refresh, route_refresh_subcode::invalid_message_length,
    bytes(data, data + length)));
}

/// RFC 4271 §6.1: per-type length rules; unknown types.
tl::expected<message_type, notification> check_type(const std::uint8_t* data,
                                                    std::size_t length) {
  auto type = data[18];
  switch (static_cast<message_type>(type)) {
    case message_type::open:
      // RFC 8654 §4: OPEN stays within 4096 octets.
      if (length < open_min_size || length > max_message_size)
        return bad_length(length);
      return message_type::open;
    case message_type::update:
      if (length < update_min_size)
        return bad_length(length);
      return message_type::update;
    case message_type::notification:
      if (length < notification_min_size)
        return bad_length(length);
      return message_type::notification;
    case message_type::keepalive:
      if (length != header_size)
        return bad_length(length);
      return message_type::keepalive;
    case message_type::route_refresh:
      if (length != route_refresh_size)
        return bad_route_refresh(data, length);
      return message_type::route_refresh;
  }
  // RFC 4271 §6.1: Bad Message Type carries the type octet.
  return tl::unexpected<notification>(detail::make_error(
    error_code::message_header, header_subcode::bad_message_type, {type}));
}

tl::expected<message_type, notification>
check_header(const std::uint8_t* data, std::size_t size,
             const wire_options& opts) {
  if (data == nullptr || size < header_size)
    return bad_length(size);
  // RFC 4271 §6.1: a Marker that is not all ones means Connection Not
  // Synchronized.
  if (!std::all_of(data, data + 16, [](std::uint8_t b) { return b == 0xff; }))
    return tl::unexpected<notification>(detail::make_error(
      error_code::message_header, header_subcode::connection_not_synchronized));
  std::size_t length = (std::size_t{data[16]} << 8) | data[17];
  // RFC 4271 §6.1: Length below 19 or above 4096 (RFC 8654: 65535 once
  // negotiated); it must also describe the bytes we were given.
  if (length < header_size || length > opts.max_size() || length != size)
    return bad_length(length);
  return check_type(data, length);
}

notification decode_notification(byte_reader body) {
  notification n;
  body.u8(n.code);
  body.u8(n.subcode);
  n.data = body.rest();
  return n;
}

route_refresh_message decode_route_refresh(byte_reader body) {
  route_refresh_message m;
  body.u16(m.family.afi);
  body.u8(m.subtype); // RFC 7313 §3: Message Subtype, ex-Reserved
  body.u8(m.family.safi);
  return m;
}

/// The bodies other than UPDATE; fills `out` or returns the error.
std::optional<notification> decode_body(message_type type, byte_reader body,
                                        message& out) {
  switch (type) {
    case message_type::open: {
      auto o = detail::decode_open(body);
      if (!o)
        return std::move(o.error());
      out.emplace<open_message>(std::move(*o));
      return std::nullopt;
    }
    case message_type::notification:
      out.emplace<notification>(decode_notification(body));
      return std::nullopt;
    case message_type::route_refresh:
      out.emplace<route_refresh_message>(decode_route_refresh(body));
      return std::nullopt;
    default:
      out.emplace<keepalive_message>();
      return std::nullopt;
  }
}

struct body_encoder {
  const wire_options& opts;
  bytes& out;

  message_type operator()(const open_message& o) {
    detail::encode_open(o, out);
    return message_type::open;
  }
  message_type operator()(const update_message& u) {
    detail::encode_update(u, opts, out);
    return message_type::update;
  }
  message_type operator()(const notification& n) {
    detail::put_u8(out, n.code);
    detail::put_u8(out, n.subcode);
    detail::put_bytes(out, n.data);
    return message_type::notification;
  }
  message_type operator()(const keepalive_message&) {
    return message_type::keepalive;
  }
  message_type operator()(const route_refresh_message& m) {
    detail::put_u16(out, m.family.afi);
    detail::put_u8(out, m.subtype);
    detail::put_u8(out, m.family.safi);
    return message_type::route_refresh;
  }
};

} // namespace

tl::expected<decode_result, notification>
decode_message(const std::uint8_t* data, std::size_t size,
               const wire_options& opts) {
  auto type = check_header(data, size, opts);
  if (!type)
    return tl::unexpected(std::move(type.error()));
  byte_reader body{data + header_size, size - header_size};
  if (*type == message_type::update)
    return detail::decode_update(body, opts);
  decode_result result;
  if (auto bad = decode_body(*type, body, result.msg))
    return tl::unexpected(std::move(*bad));
  return result;
}

bytes encode_message(const message& msg, const wire_options& opts) {
  bytes out(16, 0xff); // RFC 4271 §4.1: Marker, all ones
  detail::put_u16(out, 0);
  detail::put_u8(out, 0);
  auto type = std::visit(body_encoder{opts, out}, msg);
  out[18] = static_cast<std::uint8_t>(type);
  detail::patch_u16(out, 16, static_cast<std::uint16_t>(out.size()));
  return out;
}

update_message make_end_of_rib(afi_safi family) {
  update_message u;
  // RFC 4724 §2: for IPv4 unicast the marker is an UPDATE with nothing in
  // it; other families send an empty MP_UNREACH_NLRI.
  if (!(family == ipv4_unicast))
    u.attributes.push_back(path_attribute{
      attr_flag_optional, static_cast<std::uint8_t>(attr_type::mp_unreach_nlri),
      mp_unreach{family, {}}});
  return u;
}

std::optional<afi_safi> end_of_rib_family(const update_message& u) {
  if (!u.withdrawn.empty() || !u.announced.empty())
    return std::nullopt;
  if (u.attributes.empty())
    return ipv4_unicast;
  if (u.attributes.size() != 1)
    return std::nullopt;
  const auto* mp = std::get_if<mp_unreach>(&u.attributes.front().value);
  if (mp == nullptr || !mp->withdrawn.empty())
    return std::nullopt;
  return mp->family;
}

} // namespace porter::bgp
