// Inclusive address ranges and the text of an OpenELB Eip `spec.address`.
// Accepts exactly the forms of OpenELB's `Eip.GetSize()` (openelb.md §2.2,
// webhook §2.8): one IP, a CIDR `a.b.c.d/n` / `x::/n`, or a range `a-b`, IPv4
// or IPv6. A CIDR covers all 2^(bits-n) addresses, network and broadcast
// included (openelb.md §2.2, commit 355f0f4f; §2.4 "including the network
// address of a CIDR"). Pure: no sockets, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "net/ip_address.hpp"

namespace porter::net {

/// Addresses `first` … `last`, both included; same family, first <= last.
struct ip_range {
  ip_address first;
  ip_address last;

  family fam() const { return first.fam; }
  bool is_v4() const { return first.is_v4(); }
  bool contains(const ip_address& a) const {
    return a.fam == first.fam && !(a < first) && !(last < a);
  }
  /// True when both ranges share at least one address (same family only).
  bool overlaps(const ip_range& o) const {
    return o.fam() == fam() && !(last < o.first) && !(o.last < first);
  }
  /// Number of addresses, saturated at UINT64_MAX (a /64 has 2^64; a wider
  /// IPv6 range more). OpenELB's `GetSize()` computes `1 << (bits - n)` in a
  /// Go int, which is 0 for a /64 and negative for /1../63 (openelb.md §2.2);
  /// porter saturates instead.
  std::uint64_t size() const;
  /// True when `size()` is exact (the range has at most 2^64 - 1 addresses).
  bool size_is_exact() const;

  friend bool operator==(const ip_range& a, const ip_range& b) {
    return a.first == b.first && a.last == b.last;
  }
  friend bool operator!=(const ip_range& a, const ip_range& b) {
    return !(a == b);
  }
  friend bool operator<(const ip_range& a, const ip_range& b) {
    return a.first != b.first ? a.first < b.first : a.last < b.last;
  }
};

/// A one-line reason why a text or a pair of addresses is not a range.
struct range_error {
  std::string what;
};

/// Builds a range; fails when the families differ or first > last.
tl::expected<ip_range, range_error> make_range(const ip_address& first,
                                               const ip_address& last);

/// The range of a prefix: all its addresses, network and broadcast included.
ip_range range_of(const prefix& p);

/// Parses an Eip `spec.address` (see the header comment). Like Go's
/// `net.ParseCIDR`, host bits set in a CIDR are allowed and cleared
/// ("192.168.0.1/24" is 192.168.0.0-192.168.0.255, OpenELB types_test.go).
/// Rejected, as OpenELB's webhook does (§2.8): unparsable text, a reversed
/// range, three components, the `/255.255.255.0` mask form. Rejected as well
/// (OpenELB accepts them by accident): a range mixing IPv4 and IPv6.
tl::expected<ip_range, range_error> parse_eip_address(std::string_view text);

/// "a" for a single address, else "a-b" (RFC 5952 text for IPv6).
std::string to_string(const ip_range& r);

/// The address after `a`, or nullopt after 255.255.255.255 / ffff:…:ffff.
std::optional<ip_address> next_address(const ip_address& a);
/// The address before `a`, or nullopt before 0.0.0.0 / ::.
std::optional<ip_address> prev_address(const ip_address& a);
/// Offset of `a` from `r.first` (saturated at UINT64_MAX), or nullopt when
/// `a` is outside `r` — OpenELB's `IPToOrdinal` (types_test.go).
std::optional<std::uint64_t> offset_in(const ip_range& r, const ip_address& a);

} // namespace porter::net
