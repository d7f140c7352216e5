// Test helpers: build BGP wire bytes by hand, field by field, following the
// layouts of RFC 4271 §4 (header, OPEN, UPDATE, path attributes) and
// RFC 5492 §4 (capabilities in optional parameters). Lengths are computed,
// every other octet is written explicitly by the test.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "bgp/message.hpp"

namespace porter::bgp::wire {

/// "ff 00 1d" -> {0xff, 0x00, 0x1d}; spaces are ignored.
inline bytes hex(std::string_view text) {
  auto nibble
    = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  bytes out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ')
      continue;
    out.push_back(
      static_cast<std::uint8_t>(nibble(text[i]) * 16 + nibble(text[i + 1])));
    ++i;
  }
  return out;
}

inline bytes cat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline bytes u16(std::size_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

/// RFC 4271 §4.1: Marker, Length, Type, then the body.
inline bytes frame(std::uint8_t type, const bytes& body) {
  bytes out(16, 0xff);
  auto length = u16(header_size + body.size());
  out.insert(out.end(), length.begin(), length.end());
  out.push_back(type);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

inline bytes keepalive() {
  return frame(4, {});
}

/// RFC 4271 §4.3: flags, type, 1- or 2-octet length (by the flag), value.
inline bytes attr(std::uint8_t flags, std::uint8_t type, const bytes& value) {
  bytes out{flags, type};
  if ((flags & attr_flag_extended_length) != 0) {
    auto l = u16(value.size());
    out.insert(out.end(), l.begin(), l.end());
  } else {
    out.push_back(static_cast<std::uint8_t>(value.size()));
  }
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

/// RFC 4271 §4.3: Withdrawn Routes Length, Withdrawn Routes, Total Path
/// Attribute Length, Path Attributes, NLRI.
inline bytes update(const bytes& withdrawn, const bytes& attributes,
                    const bytes& nlri) {
  return frame(2, cat({u16(withdrawn.size()), withdrawn, u16(attributes.size()),
                       attributes, nlri}));
}

/// RFC 5492 §4: one capability TLV.
inline bytes cap(std::uint8_t code, const bytes& value) {
  return cat({{code, static_cast<std::uint8_t>(value.size())}, value});
}

/// RFC 4271 §4.2: one optional parameter.
inline bytes param(std::uint8_t type, const bytes& value) {
  return cat({{type, static_cast<std::uint8_t>(value.size())}, value});
}

/// RFC 4271 §4.2: Version, My AS, Hold Time, BGP Identifier, Opt Parm Len,
/// Optional Parameters.
inline bytes open(std::uint8_t version, std::uint16_t my_as,
                  std::uint16_t hold_time, std::uint32_t id,
                  const bytes& parameters) {
  bytes id_bytes{
    static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
    static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)};
  return frame(1, cat({{version},
                       u16(my_as),
                       u16(hold_time),
                       id_bytes,
                       {static_cast<std::uint8_t>(parameters.size())},
                       parameters}));
}

// Well-formed attributes most UPDATE tests need (RFC 4271 §5.1.1-§5.1.3).
inline const bytes origin_igp = hex("40 01 01 00");
inline const bytes as_path_65001 = hex("40 02 04 02 01 fd e9");
inline const bytes next_hop_192_0_2_1 = hex("40 03 04 c0 00 02 01");
inline const bytes nlri_10_8 = hex("08 0a");

} // namespace porter::bgp::wire
