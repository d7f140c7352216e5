#include "net/ip_address.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace porter::net {

namespace {

tl::unexpected<parse_error> fail(std::string what) {
  return tl::unexpected<parse_error>(parse_error{std::move(what)});
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (is_digit(c))
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

tl::expected<std::array<std::uint8_t, 4>, parse_error>
parse_v4_bytes(std::string_view text) {
  std::array<std::uint8_t, 4> out{};
  std::size_t pos = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i > 0) {
      if (pos >= text.size() || text[pos] != '.')
        return fail("expected 4 dot-separated octets");
      ++pos;
    }
    std::size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && is_digit(text[pos]) && pos - start < 3)
      value = value * 10 + static_cast<unsigned>(text[pos++] - '0');
    if (pos == start)
      return fail("empty IPv4 octet");
    if (pos - start > 1 && text[start] == '0')
      return fail("IPv4 octet with a leading zero");
    if (value > 255)
      return fail("IPv4 octet above 255");
    out[i] = static_cast<std::uint8_t>(value);
  }
  if (pos != text.size())
    return fail("trailing characters after IPv4 address");
  return out;
}

// Splits "a:b::c" into the groups before and after "::".
struct v6_groups {
  std::vector<std::string_view> head;
  std::vector<std::string_view> tail;
  bool compressed = false;
};

std::vector<std::string_view> split_colons(std::string_view s) {
  std::vector<std::string_view> parts;
  if (s.empty())
    return parts;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(':', start);
    parts.push_back(s.substr(start, pos - start));
    if (pos == std::string_view::npos)
      break;
    start = pos + 1;
  }
  return parts;
}

tl::expected<std::array<std::uint8_t, 16>, parse_error>
parse_v6_bytes(std::string_view text) {
  v6_groups g;
  auto dc = text.find("::");
  if (dc != std::string_view::npos) {
    if (text.find("::", dc + 1) != std::string_view::npos)
      return fail("more than one '::'");
    g.compressed = true;
    g.head = split_colons(text.substr(0, dc));
    g.tail = split_colons(text.substr(dc + 2));
  } else {
    g.head = split_colons(text);
  }
  std::vector<std::uint8_t> bytes_head;
  std::vector<std::uint8_t> bytes_tail;
  auto emit
    = [](std::vector<std::string_view>& groups, std::vector<std::uint8_t>& out,
         bool may_end_v4) -> tl::expected<void, parse_error> {
    for (std::size_t i = 0; i < groups.size(); ++i) {
      auto grp = groups[i];
      bool last = i + 1 == groups.size();
      if (last && may_end_v4 && grp.find('.') != std::string_view::npos) {
        auto v4 = parse_v4_bytes(grp);
        if (!v4)
          return tl::unexpected(v4.error());
        out.insert(out.end(), v4->begin(), v4->end());
        continue;
      }
      if (grp.empty() || grp.size() > 4)
        return fail("IPv6 group must have 1 to 4 hex digits");
      unsigned v = 0;
      for (char c : grp) {
        int h = hex_value(c);
        if (h < 0)
          return fail("invalid hex digit in IPv6 address");
        v = v * 16 + static_cast<unsigned>(h);
      }
      out.push_back(static_cast<std::uint8_t>(v >> 8));
      out.push_back(static_cast<std::uint8_t>(v & 0xff));
    }
    return {};
  };
  if (auto r = emit(g.head, bytes_head, !g.compressed); !r)
    return tl::unexpected(r.error());
  if (auto r = emit(g.tail, bytes_tail, true); !r)
    return tl::unexpected(r.error());
  auto total = bytes_head.size() + bytes_tail.size();
  if (g.compressed ? total > 14 : total != 16)
    return fail("IPv6 address must have 8 groups");
  std::array<std::uint8_t, 16> out{};
  std::copy(bytes_head.begin(), bytes_head.end(), out.begin());
  std::copy(bytes_tail.begin(), bytes_tail.end(),
            out.end() - static_cast<std::ptrdiff_t>(bytes_tail.size()));
  return out;
}

} // namespace

ip_address ip_address::v4(std::uint32_t host_order) {
  return v4({static_cast<std::uint8_t>(host_order >> 24),
             static_cast<std::uint8_t>(host_order >> 16),
             static_cast<std::uint8_t>(host_order >> 8),
             static_cast<std::uint8_t>(host_order)});
}

ip_address ip_address::v4(std::array<std::uint8_t, 4> b) {
  ip_address a;
  a.fam = family::v4;
  std::copy(b.begin(), b.end(), a.bytes.begin());
  return a;
}

ip_address ip_address::v6(const std::array<std::uint8_t, 16>& b) {
  ip_address a;
  a.fam = family::v6;
  a.bytes = b;
  return a;
}

std::uint32_t ip_address::v4_host_order() const {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16)
         | (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

bool ip_address::is_unspecified() const {
  return std::all_of(bytes.begin(), bytes.begin() + size(),
                     [](std::uint8_t b) { return b == 0; });
}

bool ip_address::is_link_local_v6() const {
  return fam == family::v6 && bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
}

tl::expected<ip_address, parse_error> parse_ip(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    auto b = parse_v6_bytes(text);
    if (!b)
      return tl::unexpected(b.error());
    return ip_address::v6(*b);
  }
  auto b = parse_v4_bytes(text);
  if (!b)
    return tl::unexpected(b.error());
  return ip_address::v4(*b);
}

std::string to_string(const ip_address& a) {
  char buf[64];
  if (a.is_v4()) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a.bytes[0], a.bytes[1],
                  a.bytes[2], a.bytes[3]);
    return buf;
  }
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i)
    groups[i] = (unsigned{a.bytes[2 * i]} << 8) | a.bytes[2 * i + 1];
  // RFC 5952 §4.2: compress the longest run of two or more zero groups,
  // the first one on a tie.
  int best_start = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    if (groups[static_cast<std::size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[static_cast<std::size_t>(j)] == 0)
      ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':')
      out += ':';
    std::snprintf(buf, sizeof buf, "%x", groups[static_cast<std::size_t>(i)]);
    out += buf;
  }
  return out;
}

prefix prefix::host(const ip_address& a) {
  return prefix{a, static_cast<std::uint8_t>(a.is_v4() ? 32 : 128)};
}

namespace {

ip_address mask_host_bits(ip_address a, unsigned length) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto bit = i * 8;
    if (bit >= length)
      a.bytes[i] = 0;
    else if (bit + 8 > length)
      a.bytes[i] &= static_cast<std::uint8_t>(0xff << (8 - (length - bit)));
  }
  return a;
}

} // namespace

bool prefix::contains(const ip_address& a) const {
  return a.fam == addr.fam && mask_host_bits(a, length) == addr;
}

tl::expected<prefix, parse_error> make_prefix(const ip_address& a,
                                              unsigned length) {
  if (length > (a.is_v4() ? 32U : 128U))
    return fail("prefix length exceeds the address family");
  return prefix{mask_host_bits(a, length), static_cast<std::uint8_t>(length)};
}

tl::expected<prefix, parse_error> parse_prefix(std::string_view text) {
  auto slash = text.find('/');
  auto addr = parse_ip(text.substr(0, slash));
  if (!addr)
    return tl::unexpected(addr.error());
  if (slash == std::string_view::npos)
    return prefix::host(*addr);
  auto len_text = text.substr(slash + 1);
  if (len_text.empty() || len_text.size() > 3
      || !std::all_of(len_text.begin(), len_text.end(), is_digit))
    return fail("prefix length must be a decimal number");
  unsigned length = 0;
  for (char c : len_text)
    length = length * 10 + static_cast<unsigned>(c - '0');
  auto p = make_prefix(*addr, length);
  if (p && p->addr != *addr)
    return fail("address has bits set beyond the prefix length");
  return p;
}

std::string to_string(const prefix& p) {
  return to_string(p.addr) + "/" + std::to_string(p.length);
}

} // namespace porter::net
