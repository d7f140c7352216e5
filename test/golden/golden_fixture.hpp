// Helpers for bgp_golden_test.cpp: loading captured BGP messages, decoding
// them with porter's codec and checking the byte-exact re-encoding (STYLE.md
// §5.2), plus GoogleTest printers for the message types. Fixtures live in
// PORTER_GOLDEN_DIR (a compile definition).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bgp/codec.hpp"
#include "bgp/message.hpp"
#include "net/ip_address.hpp"

#ifndef PORTER_GOLDEN_DIR
#  error "PORTER_GOLDEN_DIR must name the fixture directory"
#endif

namespace porter::net {
inline void PrintTo(const ip_address& a, std::ostream* os) {
  *os << to_string(a);
}
inline void PrintTo(const prefix& p, std::ostream* os) {
  *os << to_string(p);
}
} // namespace porter::net

namespace porter::bgp {
inline void PrintTo(const afi_safi& f, std::ostream* os) {
  *os << "afi " << f.afi << "/safi " << int{f.safi};
}
inline void PrintTo(const nlri& n, std::ostream* os) {
  *os << to_string(n.prefix) << " path_id " << n.path_id;
}
inline void PrintTo(const add_path_entry& e, std::ostream* os) {
  PrintTo(e.family, os);
  *os << " direction " << int{static_cast<std::uint8_t>(e.direction)};
}
inline void PrintTo(const large_community& c, std::ostream* os) {
  *os << c.global_admin << ':' << c.local_data1 << ':' << c.local_data2;
}
inline void PrintTo(const graceful_restart_capability& g, std::ostream* os) {
  *os << "R " << g.restarting << " N " << g.notification << " time "
      << g.restart_time << " families [";
  for (const auto& f : g.families) {
    PrintTo(f.family, os);
    *os << " F " << f.forwarding_preserved << "; ";
  }
  *os << "]";
}
inline void PrintTo(const capability& c, std::ostream* os) {
  *os << "capability " << int{c.code} << " "
      << ::testing::PrintToString(c.value);
}
inline void PrintTo(const as_segment& s, std::ostream* os) {
  *os << "segment type " << int{static_cast<std::uint8_t>(s.type)} << " "
      << ::testing::PrintToString(s.asns);
}

namespace golden {

inline std::string hex(const bytes& b) {
  std::string s;
  char buf[4];
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::snprintf(buf, sizeof buf, i == 0 ? "%02x" : " %02x", b[i]);
    s += buf;
  }
  return s;
}

inline std::string fixture_path(const std::string& name) {
  return std::string(PORTER_GOLDEN_DIR) + "/" + name;
}

inline ::testing::AssertionResult read_fixture(const std::string& name,
                                               bytes& out) {
  std::ifstream in(fixture_path(name), std::ios::binary);
  if (!in)
    return ::testing::AssertionFailure()
           << "missing fixture " << fixture_path(name)
           << " (re-run test/golden/capture.sh and update this test)";
  out.assign(std::istreambuf_iterator<char>(in),
             std::istreambuf_iterator<char>());
  return ::testing::AssertionSuccess();
}

/// The re-encoding must equal the captured bytes; on a mismatch the message
/// names the first differing offset.
inline ::testing::AssertionResult same_bytes(const bytes& encoded,
                                             const bytes& wire) {
  if (encoded == wire)
    return ::testing::AssertionSuccess();
  auto diff
    = std::mismatch(encoded.begin(), encoded.end(), wire.begin(), wire.end());
  return ::testing::AssertionFailure()
         << "re-encoding differs first at offset "
         << (diff.first - encoded.begin()) << " (encoded " << encoded.size()
         << " bytes, captured " << wire.size()
         << ")\n  encoded:  " << hex(encoded) << "\n  captured: " << hex(wire);
}

/// Decodes one fixture, expects a clean decode (no RFC 7606 action) and a
/// byte-exact re-encoding. nullopt (after a recorded failure) otherwise.
inline std::optional<message> decode_fixture(const std::string& name,
                                             const wire_options& opts) {
  bytes wire;
  auto loaded = read_fixture(name, wire);
  if (!loaded) {
    ADD_FAILURE() << loaded.message();
    return std::nullopt;
  }
  auto decoded = decode_message(wire.data(), wire.size(), opts);
  if (!decoded) {
    ADD_FAILURE() << name << ": decode failed with NOTIFICATION "
                  << describe(decoded.error())
                  << ", data: " << hex(decoded.error().data);
    return std::nullopt;
  }
  EXPECT_EQ(decoded->action, update_error_action::none)
    << name << ": " << (decoded->cause ? describe(*decoded->cause) : "");
  EXPECT_TRUE(same_bytes(encode_message(decoded->msg, opts), wire)) << name;
  return std::move(decoded->msg);
}

template <class T>
const T* get(const std::optional<message>& m) {
  return m ? std::get_if<T>(&*m) : nullptr;
}

inline net::ip_address ip(const char* text) {
  return net::parse_ip(text).value();
}
inline net::prefix pfx(const char* text) {
  return net::parse_prefix(text).value();
}

inline const path_attribute* find_attr(const update_message& u, attr_type t) {
  auto it = std::find_if(u.attributes.begin(), u.attributes.end(),
                         [t](const path_attribute& a) {
                           return a.type == static_cast<std::uint8_t>(t);
                         });
  return it == u.attributes.end() ? nullptr : &*it;
}

template <class T>
const T* attr_value(const update_message& u, attr_type t) {
  const auto* a = find_attr(u, t);
  return a ? std::get_if<T>(&a->value) : nullptr;
}

/// (flags, type code) of every attribute, in wire order.
inline std::vector<std::pair<int, int>> attr_layout(const update_message& u) {
  std::vector<std::pair<int, int>> out;
  for (const auto& a : u.attributes)
    out.emplace_back(a.flags, a.type);
  return out;
}

inline std::vector<int> codes(const std::vector<capability>& caps) {
  std::vector<int> out;
  for (const auto& c : caps)
    out.push_back(c.code);
  return out;
}

inline std::vector<int> codes(const open_message& o) {
  std::vector<int> out;
  for (const auto& p : o.parameters) {
    EXPECT_EQ(p.type, 2) << "RFC 5492 §4: Capabilities Optional Parameter";
    auto c = codes(p.capabilities);
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

} // namespace golden
} // namespace porter::bgp
