// Private to bgp/: the pieces of the wire codec shared between its source
// files — NLRI prefixes (RFC 4271 §4.3, RFC 7911 §3), MP_REACH/MP_UNREACH
// (RFC 4760 §3-4), path attributes (RFC 4271 §5, RFC 7606 §7), UPDATE and
// OPEN bodies — plus the RFC 7606 §2 severity ladder used to combine errors.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <tl/expected.hpp>

#include "bgp/codec.hpp"
#include "bgp/detail/byte_reader.hpp"
#include "bgp/message.hpp"

namespace porter::bgp::detail {

/// RFC 7606 §2 error handling approaches, least to most severe.
enum class severity : std::uint8_t {
  none,
  attribute_discard,
  treat_as_withdraw,
  session_reset,
};

/// The most severe approach an UPDATE needs and the first error that asked
/// for it.
struct update_errors {
  severity level = severity::none;
  std::optional<notification> cause;

  void add(severity s, notification n) {
    if (s > level) {
      level = s;
      cause = std::move(n);
    }
  }
};

inline notification make_error(error_code code, std::uint8_t subcode,
                               bytes data = {}) {
  return notification{static_cast<std::uint8_t>(code), subcode,
                      std::move(data)};
}

inline notification update_error(std::uint8_t subcode, bytes data = {}) {
  return make_error(error_code::update_message, subcode, std::move(data));
}

inline notification open_error(std::uint8_t subcode, bytes data = {}) {
  return make_error(error_code::open_message, subcode, std::move(data));
}

// --- nlri.cpp ---------------------------------------------------------------

/// Parses a sequence of (path id,) length, prefix. False on a syntax error
/// (RFC 7606 §5.3: length beyond the family, or overrunning the field).
bool decode_prefixes(byte_reader r, afi_safi family, bool add_path,
                     std::vector<nlri>& out);
void encode_prefixes(const std::vector<nlri>& prefixes, bool add_path,
                     bytes& out);

/// MP_REACH_NLRI / MP_UNREACH_NLRI values. Unknown AFI/SAFI are kept raw;
/// a malformed value is an error (the caller resets the session).
std::optional<attribute_value> decode_mp_reach(byte_reader value,
                                               const wire_options& opts);
std::optional<attribute_value> decode_mp_unreach(byte_reader value,
                                                 const wire_options& opts);
void encode_mp_reach(const mp_reach& mp, const wire_options& opts, bytes& out);
void encode_mp_unreach(const mp_unreach& mp, const wire_options& opts,
                       bytes& out);

// --- attributes.cpp
// -----------------------------------------------------------

struct attribute_error {
  severity level = severity::session_reset;
  notification cause;
};

/// Decodes one attribute. `whole` views the attribute exactly as received
/// (flags, type, length, value), the Data of most UPDATE NOTIFICATIONs.
tl::expected<path_attribute, attribute_error>
decode_attribute(std::uint8_t flags, std::uint8_t type, byte_reader value,
                 byte_reader whole, const wire_options& opts);
void encode_attribute(const path_attribute& attr, const wire_options& opts,
                      bytes& out);

// --- update.cpp
// ---------------------------------------------------------------

tl::expected<decode_result, notification>
decode_update(byte_reader body, const wire_options& opts);
void encode_update(const update_message& u, const wire_options& opts,
                   bytes& out);

// --- open.cpp
// -----------------------------------------------------------------

tl::expected<open_message, notification> decode_open(byte_reader body);
void encode_open(const open_message& o, bytes& out);
/// The RFC 4271 §6.2 checks that need no configuration: version, hold time,
/// BGP identifier. Shared by `decode_open` and `negotiate`.
std::optional<notification> check_open_fields(const open_message& o);

} // namespace porter::bgp::detail
