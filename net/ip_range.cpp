#include "net/ip_range.hpp"

#include <algorithm>
#include <limits>

namespace porter::net {

namespace {

__extension__ typedef unsigned __int128 u128;

tl::unexpected<range_error> fail(std::string what) {
  return tl::unexpected<range_error>(range_error{std::move(what)});
}

u128 to_u128(const ip_address& a) {
  u128 v = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    v = (v << 8) | a.bytes[i];
  return v;
}

// last - first + 1 as 128 bits; 0 means 2^128 (the whole IPv6 space).
u128 count(const ip_range& r) {
  return to_u128(r.last) - to_u128(r.first) + 1;
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

tl::expected<ip_range, range_error> parse_single(std::string_view text) {
  auto ip = parse_ip(text);
  if (!ip)
    return fail(quoted(text) + " is not an IP address, CIDR or range "
                + "\"first-last\": " + ip.error().what);
  return ip_range{*ip, *ip};
}

// Go net.ParseCIDR: "<ip>/<decimal length>"; host bits are cleared.
tl::expected<ip_range, range_error> parse_cidr(std::string_view text) {
  auto slash = text.find('/');
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip)
    return fail("cidr " + std::string(text) + ": " + ip.error().what);
  auto len = text.substr(slash + 1);
  // A decimal length only: the mask form "/255.255.255.0" is refused by
  // OpenELB's GetSize (openelb.md §2.2). Leading zeros are fine, as in Go's
  // ParseCIDR (dtoi).
  if (len.empty() || !std::all_of(len.begin(), len.end(), is_digit))
    return fail("cidr " + std::string(text)
                + ": prefix length must be a decimal number");
  unsigned n = 0;
  for (char c : len)
    n = std::min(n * 10 + static_cast<unsigned>(c - '0'), 1000U);
  auto p = make_prefix(*ip, n);
  if (!p)
    return fail("cidr " + std::string(text) + ": " + p.error().what);
  return range_of(*p);
}

tl::expected<ip_range, range_error> parse_dash(std::string_view text) {
  auto dash = text.find('-');
  auto head = text.substr(0, dash);
  auto tail = text.substr(dash + 1);
  auto where = "range " + std::string(text) + ": ";
  // OpenELB splits on the first '-' and then fails on "b-c" (§2.8: "has
  // three components").
  if (tail.find('-') != std::string_view::npos)
    return fail(where + "more than two addresses (expected \"first-last\")");
  auto first = parse_ip(head);
  if (!first)
    return fail(where + "bad first address " + quoted(head) + ": "
                + first.error().what);
  auto last = parse_ip(tail);
  if (!last)
    return fail(where + "bad last address " + quoted(tail) + ": "
                + last.error().what);
  auto r = make_range(*first, *last);
  if (!r)
    return fail(where + r.error().what);
  return r;
}

} // namespace

std::uint64_t ip_range::size() const {
  auto n = count(*this);
  if (n == 0 || n > std::numeric_limits<std::uint64_t>::max())
    return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(n);
}

bool ip_range::size_is_exact() const {
  auto n = count(*this);
  return n != 0 && n <= std::numeric_limits<std::uint64_t>::max();
}

tl::expected<ip_range, range_error> make_range(const ip_address& first,
                                               const ip_address& last) {
  if (first.fam != last.fam)
    return fail("first and last address mix IPv4 and IPv6");
  // OpenELB GetSize: `last - first < 0` → "invalid eip address format".
  if (last < first)
    return fail("first address is after the last");
  return ip_range{first, last};
}

ip_range range_of(const prefix& p) {
  ip_range r{p.addr, p.addr};
  for (std::size_t i = 0; i < p.addr.size(); ++i) {
    auto bit = i * 8;
    if (bit >= p.length)
      r.last.bytes[i] = 0xff;
    else if (bit + 8 > p.length)
      r.last.bytes[i] |= static_cast<std::uint8_t>(0xff >> (p.length - bit));
  }
  return r;
}

tl::expected<ip_range, range_error> parse_eip_address(std::string_view text) {
  if (text.empty())
    return fail("eip address is empty");
  if (text.find('-') != std::string_view::npos)
    return parse_dash(text);
  if (text.find('/') != std::string_view::npos)
    return parse_cidr(text);
  return parse_single(text);
}

std::string to_string(const ip_range& r) {
  if (r.first == r.last)
    return to_string(r.first);
  return to_string(r.first) + "-" + to_string(r.last);
}

std::optional<ip_address> next_address(const ip_address& a) {
  ip_address out = a;
  for (auto i = a.size(); i-- > 0;) {
    if (++out.bytes[i] != 0)
      return out;
  }
  return std::nullopt;
}

std::optional<ip_address> prev_address(const ip_address& a) {
  ip_address out = a;
  for (auto i = a.size(); i-- > 0;) {
    if (out.bytes[i]-- != 0)
      return out;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> offset_in(const ip_range& r, const ip_address& a) {
  if (!r.contains(a))
    return std::nullopt;
  auto d = to_u128(a) - to_u128(r.first);
  if (d > std::numeric_limits<std::uint64_t>::max())
    return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(d);
}

} // namespace porter::net
