// Wire codec for BGP-4 messages (RFC 4271 §4) and the extensions in
// message.hpp. `decode_*` never throw and never read out of bounds: every
// failure is the NOTIFICATION that RFC 4271 §6 (or RFC 7606 for UPDATE)
// prescribes. Encoding is the exact inverse of decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "bgp/message.hpp"

namespace porter::bgp {

/// What the session negotiated, for one direction of traffic: it decides the
/// wire format of AS numbers, NLRI path identifiers and the size limit.
struct wire_options {
  bool four_octet_as = false;    // RFC 6793: both sides advertised it
  bool extended_message = false; // RFC 8654: both sides advertised it
  /// Families whose NLRI carry a path identifier in this direction
  /// (RFC 7911 §3: we send path ids where we negotiated "send", and expect
  /// them where we negotiated "receive").
  std::vector<afi_safi> add_path;

  bool has_add_path(afi_safi f) const;
  std::size_t max_size() const {
    return extended_message ? max_extended_message_size : max_message_size;
  }
};

/// RFC 7606 §2 error handling approaches for a malformed UPDATE that does not
/// need a session reset. A session reset is the `unexpected` notification.
enum class update_error_action : std::uint8_t {
  none,
  attribute_discard, // the bad attribute was removed from `msg`
  treat_as_withdraw, // every NLRI in `msg` must be handled as withdrawn
};

struct decode_result {
  message msg;
  update_error_action action = update_error_action::none;
  /// What was wrong, when action != none (for logs and counters only; the
  /// session stays up).
  std::optional<notification> cause;
};

/// Decodes one complete message (header included) as delivered by `framer`.
tl::expected<decode_result, notification>
decode_message(const std::uint8_t* data, std::size_t size,
               const wire_options& opts);

/// Encodes one message, header included.
bytes encode_message(const message& msg, const wire_options& opts);

/// Splits a TCP byte stream into messages (RFC 4271 §4.1). Checks the marker
/// and the length field; anything else is left to `decode_message`.
class framer {
public:
  explicit framer(std::size_t max_size = max_message_size)
      : max_size_(max_size) {}
  /// RFC 8654: raised to 65535 once extended messages are negotiated.
  void set_max_size(std::size_t max_size) { max_size_ = max_size; }
  void feed(const std::uint8_t* data, std::size_t size);
  /// The next complete message, nullopt when more bytes are needed, or the
  /// header-error NOTIFICATION (after which the stream is unusable).
  tl::expected<std::optional<bytes>, notification> next();
  std::size_t buffered() const { return buffer_.size() - consumed_; }

private:
  std::size_t max_size_;
  bytes buffer_;
  std::size_t consumed_ = 0;
  std::optional<notification> error_; // sticky once the stream is broken
};

// --- capabilities (RFC 5492) ----------------------------------------------

/// Interprets every capability of an OPEN. Malformed known capabilities are
/// an OPEN error (RFC 5492 §3 / the RFC of the capability).
tl::expected<capabilities, notification>
decode_capabilities(const open_message& open);

/// Encodes typed capabilities into optional parameters, one capability per
/// parameter (the most widely accepted layout), in a fixed order.
std::vector<optional_parameter> encode_capabilities(const capabilities& caps);

/// Builds our OPEN: AS_TRANS in My AS when `local_as` needs 4 octets. The
/// 4-octet AS capability (added when `local_as` needs it) carries `local_as`.
open_message make_open(std::uint32_t local_as, std::uint16_t hold_time,
                       std::uint32_t bgp_identifier, const capabilities& caps);

// --- NOTIFICATION helpers ------------------------------------------------

/// RFC 8203 / RFC 9003: Cease with an administrative shutdown or reset
/// subcode carrying a UTF-8 message (truncated to 255 octets).
notification make_shutdown_notification(std::uint8_t subcode,
                                        std::string_view message);
/// The shutdown communication of a received Cease, if it carries a valid one.
std::optional<std::string> shutdown_communication(const notification& n);

/// Human-readable "code/subcode" names for logs and inspection.
std::string describe(const notification& n);

/// End-of-RIB marker (RFC 4724 §2): an empty UPDATE for IPv4 unicast, an
/// UPDATE with an empty MP_UNREACH_NLRI otherwise.
update_message make_end_of_rib(afi_safi family);
std::optional<afi_safi> end_of_rib_family(const update_message& u);

} // namespace porter::bgp
