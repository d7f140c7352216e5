// Private to bgp/: bounds-checked big-endian reading and writing of the
// fixed-width fields used throughout the BGP wire format (RFC 4271 §4: all
// multi-octet fields are in network byte order). Every read either succeeds
// or leaves the reader untouched and returns false; nothing reads past `end`.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bgp/message.hpp"

namespace porter::bgp::detail {

class byte_reader {
public:
  byte_reader() = default;
  byte_reader(const std::uint8_t* data, std::size_t size)
      : pos_(data), end_(data + size) {}

  std::size_t remaining() const {
    return static_cast<std::size_t>(end_ - pos_);
  }
  bool empty() const { return pos_ == end_; }
  const std::uint8_t* position() const { return pos_; }

  bool u8(std::uint8_t& out) {
    if (remaining() < 1)
      return false;
    out = *pos_++;
    return true;
  }

  bool u16(std::uint16_t& out) {
    if (remaining() < 2)
      return false;
    out = static_cast<std::uint16_t>((pos_[0] << 8) | pos_[1]);
    pos_ += 2;
    return true;
  }

  bool u32(std::uint32_t& out) {
    if (remaining() < 4)
      return false;
    out = (std::uint32_t{pos_[0]} << 24) | (std::uint32_t{pos_[1]} << 16)
          | (std::uint32_t{pos_[2]} << 8) | std::uint32_t{pos_[3]};
    pos_ += 4;
    return true;
  }

  /// Splits off the next `n` bytes as their own reader.
  bool take(std::size_t n, byte_reader& out) {
    if (remaining() < n)
      return false;
    out = byte_reader{pos_, n};
    pos_ += n;
    return true;
  }

  bool copy(std::size_t n, bytes& out) {
    if (remaining() < n)
      return false;
    out.assign(pos_, pos_ + n);
    pos_ += n;
    return true;
  }

  /// Everything left, consuming it.
  bytes rest() {
    bytes out(pos_, end_);
    pos_ = end_;
    return out;
  }

private:
  const std::uint8_t* pos_ = nullptr;
  const std::uint8_t* end_ = nullptr;
};

inline void put_u8(bytes& out, std::uint8_t v) {
  out.push_back(v);
}

inline void put_u16(bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

inline void put_u32(bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

inline void put_bytes(bytes& out, const bytes& v) {
  out.insert(out.end(), v.begin(), v.end());
}

/// Overwrites a 2-octet length placeholder written earlier at `at`.
inline void patch_u16(bytes& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v >> 8);
  out[at + 1] = static_cast<std::uint8_t>(v);
}

inline bytes u16_bytes(std::uint16_t v) {
  bytes out;
  put_u16(out, v);
  return out;
}

inline bytes u32_bytes(std::uint32_t v) {
  bytes out;
  put_u32(out, v);
  return out;
}

} // namespace porter::bgp::detail
