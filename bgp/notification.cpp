// NOTIFICATION helpers: the shutdown communication of RFC 8203 / RFC 9003
// (Cease subcodes 2 and 4, Data = 1 length octet + up to 255 octets of UTF-8)
// and readable names for the codes and subcodes of RFC 4271 §4.5 and §6,
// RFC 4486, RFC 6608, RFC 7313, RFC 5492, RFC 8538 and RFC 9234.
#include <array>

#include "bgp/codec.hpp"

namespace porter::bgp {

namespace {

constexpr std::size_t max_shutdown_length = 255; // RFC 9003 §2

bool is_continuation(std::uint8_t b) {
  return (b & 0xc0) == 0x80;
}

/// Length of the UTF-8 sequence starting at s[i], 0 when invalid
/// (RFC 3629 §4: no overlong forms, no surrogates, at most U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto b = static_cast<std::uint8_t>(s[i]);
  std::size_t n = b < 0x80           ? 1
                  : (b >> 5) == 0x6  ? 2
                  : (b >> 4) == 0xe  ? 3
                  : (b >> 3) == 0x1e ? 4
                                     : 0;
  if (n == 0 || i + n > s.size())
    return 0;
  std::uint32_t cp = n == 1 ? b : b & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<std::uint8_t>(s[i + k]);
    if (!is_continuation(c))
      return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  static constexpr std::array<std::uint32_t, 5> min_cp{0, 0, 0x80, 0x800,
                                                       0x10000};
  if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n;
}

bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto n = utf8_sequence(s, i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

const char* code_name(std::uint8_t code) {
  static constexpr std::array<const char*, 8> names{
    "Unknown",
    "Message Header Error",
    "OPEN Message Error",
    "UPDATE Message Error",
    "Hold Timer Expired",
    "Finite State Machine Error",
    "Cease",
    "ROUTE-REFRESH Message Error"};
  return code < names.size() ? names[code] : "Unknown";
}

template <std::size_t N>
const char* pick(const std::array<const char*, N>& names, std::uint8_t i) {
  return i < N && names[i] != nullptr ? names[i] : "Unknown";
}

// Subcode names per code; nullptr marks deprecated or unassigned values.
constexpr std::array<const char*, 4> header_names{
  "Unspecific", "Connection Not Synchronized", "Bad Message Length",
  "Bad Message Type"};
constexpr std::array<const char*, 12> open_names{
  "Unspecific",
  "Unsupported Version Number",
  "Bad Peer AS",
  "Bad BGP Identifier",
  "Unsupported Optional Parameter",
  nullptr,
  "Unacceptable Hold Time",
  "Unsupported Capability",
  nullptr,
  nullptr,
  nullptr,
  "Role Mismatch"};
constexpr std::array<const char*, 12> update_names{
  "Unspecific",
  "Malformed Attribute List",
  "Unrecognized Well-known Attribute",
  "Missing Well-known Attribute",
  "Attribute Flags Error",
  "Attribute Length Error",
  "Invalid ORIGIN Attribute",
  nullptr,
  "Invalid NEXT_HOP Attribute",
  "Optional Attribute Error",
  "Invalid Network Field",
  "Malformed AS_PATH"};
constexpr std::array<const char*, 4> fsm_names{
  "Unspecified Error", "Unexpected Message in OpenSent",
  "Unexpected Message in OpenConfirm", "Unexpected Message in Established"};
constexpr std::array<const char*, 10> cease_names{
  "Unspecific",
  "Maximum Number of Prefixes Reached",
  "Administrative Shutdown",
  "Peer De-configured",
  "Administrative Reset",
  "Connection Rejected",
  "Other Configuration Change",
  "Connection Collision Resolution",
  "Out of Resources",
  "Hard Reset"};
constexpr std::array<const char*, 2> refresh_names{"Reserved",
                                                   "Invalid Message Length"};

const char* subcode_name(std::uint8_t code, std::uint8_t subcode) {
  switch (static_cast<error_code>(code)) {
    case error_code::message_header:
      return pick(header_names, subcode);
    case error_code::open_message:
      return pick(open_names, subcode);
    case error_code::update_message:
      return pick(update_names, subcode);
    case error_code::hold_timer_expired:
      return subcode == 0 ? "Unspecific" : "Unknown";
    case error_code::fsm:
      return pick(fsm_names, subcode);
    case error_code::cease:
      return pick(cease_names, subcode);
    case error_code::route_refresh:
      return pick(refresh_names, subcode);
  }
  return "Unknown";
}

} // namespace

notification make_shutdown_notification(std::uint8_t subcode,
                                        std::string_view message) {
  // RFC 9003 §2: at most 255 octets; cut on a character boundary so the
  // truncated text stays valid UTF-8.
  std::size_t length = std::min(message.size(), max_shutdown_length);
  while (length > 0 && length < message.size()
         && is_continuation(static_cast<std::uint8_t>(message[length])))
    --length;
  notification n{static_cast<std::uint8_t>(error_code::cease), subcode, {}};
  n.data.push_back(static_cast<std::uint8_t>(length));
  n.data.insert(n.data.end(), message.begin(),
                message.begin() + static_cast<std::ptrdiff_t>(length));
  return n;
}

std::optional<std::string> shutdown_communication(const notification& n) {
  // RFC 9003 §2: only Cease / Administrative Shutdown or Reset carry one.
  if (n.code != static_cast<std::uint8_t>(error_code::cease)
      || (n.subcode != cease_subcode::administrative_shutdown
          && n.subcode != cease_subcode::administrative_reset)
      || n.data.empty())
    return std::nullopt;
  std::size_t length = n.data[0];
  // RFC 9003 §3: a length beyond the Data, or invalid UTF-8, is not a valid
  // communication (the NOTIFICATION itself is still processed).
  if (length > n.data.size() - 1)
    return std::nullopt;
  std::string text(n.data.begin() + 1,
                   n.data.begin() + 1 + static_cast<std::ptrdiff_t>(length));
  if (!is_utf8(text))
    return std::nullopt;
  return text;
}

std::string describe(const notification& n) {
  std::string out = code_name(n.code);
  out += " (";
  out += std::to_string(n.code);
  out += ") / ";
  out += subcode_name(n.code, n.subcode);
  out += " (";
  out += std::to_string(n.subcode);
  out += ")";
  if (auto text = shutdown_communication(n))
    out += ": \"" + *text + "\"";
  return out;
}

} // namespace porter::bgp
