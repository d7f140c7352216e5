// Shared by the bad-input tables: a row is one malformed (or borderline)
// message with the outcome RFC 4271 §6 / RFC 7606 prescribes, and the two
// checks every row gets: the outcome itself, and that whatever was decoded
// re-encodes and decodes again.
#pragma once

#include <ostream>

#include "test/unit/bgp_wire_builders.hpp"
#include <gtest/gtest.h>

#include "bgp/codec.hpp"

namespace porter::bgp {

using namespace wire;

enum class outcome {
  session_reset,     // decode fails with the NOTIFICATION to send
  treat_as_withdraw, // RFC 7606 §2
  attribute_discard, // RFC 7606 §2
  accepted,          // not an error at all
};

struct bad_input {
  /// A row that checks the outcome, and code/subcode when given.
  bad_input(const char* name, const char* rule, bytes wire, outcome expect,
            std::uint8_t code = 0, std::uint8_t subcode = 0)
      : name(name),
        rule(rule),
        wire(std::move(wire)),
        expect(expect),
        code(code),
        subcode(subcode) {}
  /// A row that also checks the NOTIFICATION Data.
  bad_input(const char* name, const char* rule, bytes wire, outcome expect,
            std::uint8_t code, std::uint8_t subcode, bytes data,
            wire_options opts = {})
      : name(name),
        rule(rule),
        wire(std::move(wire)),
        expect(expect),
        code(code),
        subcode(subcode),
        check_data(true),
        data(std::move(data)),
        opts(std::move(opts)) {}
  const char* name;
  const char* rule;
  bytes wire;
  outcome expect;
  std::uint8_t code;
  std::uint8_t subcode;
  bool check_data = false;
  bytes data;
  wire_options opts;
};

inline std::ostream& operator<<(std::ostream& os, const bad_input& b) {
  return os << b.name << " — " << b.rule;
}

inline bytes with_marker_byte(bytes m, std::size_t at, std::uint8_t v) {
  m[at] = v;
  return m;
}

/// An UPDATE carrying `extra` after ORIGIN, AS_PATH, NEXT_HOP and one NLRI.
inline bytes route_with(const bytes& extra) {
  return update({}, cat({origin_igp, as_path_65001, next_hop_192_0_2_1, extra}),
                nlri_10_8);
}

/// An UPDATE whose well-known attributes are `attrs`, with one NLRI.
inline bytes route(const bytes& attrs) {
  return update({}, attrs, nlri_10_8);
}

inline wire_options four_octet() {
  wire_options o;
  o.four_octet_as = true;
  return o;
}

inline wire_options add_path_v4() {
  wire_options o;
  o.add_path = {ipv4_unicast};
  return o;
}

inline const bytes open_caps = param(2, cap(1, hex("0001 00 01")));
inline const bytes mp_v6
  = hex("0002 01 10 20010db8000000000000000000000001 00 30 "
        "20010db80001");

class BgpBadInput : public ::testing::TestWithParam<bad_input> {};

inline void expect_notification(const notification& n, const bad_input& row) {
  EXPECT_EQ(n.code, row.code) << describe(n);
  EXPECT_EQ(n.subcode, row.subcode) << describe(n);
  if (row.check_data) {
    EXPECT_EQ(n.data, row.data);
  }
}

TEST_P(BgpBadInput, DecodesToTheRfcOutcome) {
  const auto& row = GetParam();
  auto r = decode_message(row.wire.data(), row.wire.size(), row.opts);
  switch (row.expect) {
    case outcome::session_reset:
      ASSERT_FALSE(r) << "decoded although malformed";
      expect_notification(r.error(), row);
      return;
    case outcome::accepted:
      ASSERT_TRUE(r) << describe(r.error());
      EXPECT_EQ(r->action, update_error_action::none);
      return;
    case outcome::treat_as_withdraw:
    case outcome::attribute_discard:
      ASSERT_TRUE(r) << describe(r.error());
      EXPECT_EQ(r->action, row.expect == outcome::treat_as_withdraw
                             ? update_error_action::treat_as_withdraw
                             : update_error_action::attribute_discard);
      ASSERT_TRUE(r->cause);
      expect_notification(*r->cause, row);
  }
}

TEST_P(BgpBadInput, WhatWasDecodedReencodesAndDecodesAgain) {
  const auto& row = GetParam();
  auto r = decode_message(row.wire.data(), row.wire.size(), row.opts);
  if (!r)
    return;
  auto once = encode_message(r->msg, row.opts);
  auto again = decode_message(once.data(), once.size(), row.opts);
  ASSERT_TRUE(again) << describe(again.error());
  EXPECT_EQ(encode_message(again->msg, row.opts), once);
  if (row.expect == outcome::attribute_discard) { // RFC 7606 §2: removed
    EXPECT_EQ(again->action, update_error_action::none);
  }
}

} // namespace porter::bgp
