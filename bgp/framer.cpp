// Splitting a TCP byte stream into BGP messages (RFC 4271 §4.1): every
// message starts with a 16-octet all-ones Marker and a 2-octet Length of
// 19..4096 (65535 after RFC 8654 §3 extended messages). Header errors are the
// RFC 4271 §6.1 NOTIFICATIONs; after one the stream is unusable.
#include <algorithm>

#include "bgp/codec.hpp"
#include "bgp/detail/wire.hpp"

namespace porter::bgp {

void framer::feed(const std::uint8_t* data, std::size_t size) {
  if (error_ || data == nullptr || size == 0)
    return;
  if (consumed_ > 0) { // drop what has already been handed out
    buffer_.erase(buffer_.begin(),
                  buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
    consumed_ = 0;
  }
  buffer_.insert(buffer_.end(), data, data + size);
}

tl::expected<std::optional<bytes>, notification> framer::next() {
  if (error_)
    return tl::unexpected(*error_);
  if (buffered() < header_size)
    return std::nullopt;
  const std::uint8_t* head = buffer_.data() + consumed_;
  // RFC 4271 §6.1: a Marker that is not all ones means Connection Not
  // Synchronized.
  if (!std::all_of(head, head + 16, [](std::uint8_t b) { return b == 0xff; }))
    error_ = detail::make_error(error_code::message_header,
                                header_subcode::connection_not_synchronized);
  std::size_t length = (std::size_t{head[16]} << 8) | head[17];
  // RFC 4271 §6.1: Length below 19 or above the maximum is Bad Message
  // Length; Data is the erroneous Length field.
  if (!error_ && (length < header_size || length > max_size_))
    error_ = detail::make_error(error_code::message_header,
                                header_subcode::bad_message_length,
                                bytes{head + 16, head + 18});
  if (error_)
    return tl::unexpected(*error_);
  if (buffered() < length)
    return std::nullopt;
  bytes out(head, head + length);
  consumed_ += length;
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  }
  return out;
}

} // namespace porter::bgp
