// IPv4 and IPv6 addresses and prefixes as plain values.
// Text forms follow RFC 4291 §2.2 (input) and RFC 5952 §4 (canonical output);
// bytes are in network order as they appear in BGP NLRI (RFC 4271 §4.3) and in
// netlink attributes. Pure: no sockets, no libc resolver.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace porter::net {

enum class family : std::uint8_t { v4, v6 };

/// An IPv4 or IPv6 address. IPv4 uses the first four bytes of `bytes`.
struct ip_address {
  family fam = family::v4;
  std::array<std::uint8_t, 16> bytes{};

  static ip_address v4(std::uint32_t host_order);
  static ip_address v4(std::array<std::uint8_t, 4> b);
  static ip_address v6(const std::array<std::uint8_t, 16>& b);

  /// Number of meaningful bytes: 4 or 16.
  std::size_t size() const { return fam == family::v4 ? 4 : 16; }
  std::uint32_t v4_host_order() const;
  bool is_v4() const { return fam == family::v4; }
  bool is_unspecified() const;
  /// fe80::/10 (RFC 4291 §2.5.6).
  bool is_link_local_v6() const;

  friend bool operator==(const ip_address& a, const ip_address& b) {
    return a.fam == b.fam && a.bytes == b.bytes;
  }
  friend bool operator!=(const ip_address& a, const ip_address& b) {
    return !(a == b);
  }
  /// Orders IPv4 before IPv6, then numerically.
  friend bool operator<(const ip_address& a, const ip_address& b) {
    return a.fam != b.fam ? a.fam < b.fam : a.bytes < b.bytes;
  }
};

struct parse_error {
  std::string what;
};

/// Parses dotted-quad IPv4 or any RFC 4291 §2.2 IPv6 text (incl. `::` and an
/// embedded IPv4 tail). No leading zeros in IPv4 octets (ambiguous: octal?).
tl::expected<ip_address, parse_error> parse_ip(std::string_view text);

/// RFC 5952 canonical text (lower case, longest zero run compressed).
std::string to_string(const ip_address& a);

/// An address with a prefix length; host bits are zero after `make_prefix`.
struct prefix {
  ip_address addr;
  std::uint8_t length = 0;

  /// A /32 or /128 — what porter announces for one EIP.
  static prefix host(const ip_address& a);
  std::uint8_t max_length() const { return addr.is_v4() ? 32 : 128; }
  bool contains(const ip_address& a) const;

  friend bool operator==(const prefix& a, const prefix& b) {
    return a.length == b.length && a.addr == b.addr;
  }
  friend bool operator!=(const prefix& a, const prefix& b) { return !(a == b); }
  friend bool operator<(const prefix& a, const prefix& b) {
    return a.addr != b.addr ? a.addr < b.addr : a.length < b.length;
  }
};

/// Builds a prefix, zeroing host bits; fails when length exceeds the family.
tl::expected<prefix, parse_error> make_prefix(const ip_address& a,
                                              unsigned length);

/// Parses "a.b.c.d/n", "x::y/n"; a bare address yields a host prefix.
/// Host bits set in the text are an error (an operator typo, not a wish).
tl::expected<prefix, parse_error> parse_prefix(std::string_view text);

std::string to_string(const prefix& p);

} // namespace porter::net
