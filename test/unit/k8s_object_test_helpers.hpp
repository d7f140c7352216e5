// Shared by the k8s object tests (k8s_objects_test.cpp,
// k8s_core_objects_test.cpp, k8s_crds_test.cpp, k8s_crd_encode_test.cpp):
// decode-or-fail, round-trip and error-table helpers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "k8s/objects.hpp"

namespace porter::k8s::test_support {

template <class T>
T decode_ok(std::string_view text) {
  auto r = decode_json<T>(text);
  EXPECT_TRUE(r) << (r ? "" : to_string(r.error()));
  return r ? std::move(*r) : T{};
}

inline std::string value_of(const string_pairs& pairs, std::string_view key) {
  const std::string* v = find_value(pairs, key);
  return v == nullptr ? "<none>" : *v;
}

/// decode(encode(x)) == x, and encode is a fixed point.
template <class T>
void expect_round_trip(const T& x) {
  const std::string json = encode(x);
  auto back = decode_json<T>(json);
  ASSERT_TRUE(back) << to_string(back.error()) << "\n" << json;
  EXPECT_TRUE(*back == x) << json;
  EXPECT_EQ(encode(*back), json);
}

/// One row of an error table: the API rule, the JSON, where and what.
struct bad_case {
  const char* rule;
  const char* json;
  const char* path;
  const char* what; ///< prefix of decode_error::what
};

template <class T>
void expect_errors(const std::vector<bad_case>& cases) {
  for (const auto& c : cases) {
    auto r = decode_json<T>(c.json);
    ASSERT_FALSE(r) << c.rule;
    EXPECT_EQ(r.error().path, c.path) << c.rule;
    EXPECT_EQ(r.error().what.rfind(c.what, 0), 0u)
      << c.rule << ": " << r.error().what;
  }
}

} // namespace porter::k8s::test_support
