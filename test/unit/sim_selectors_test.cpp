#include <gtest/gtest.h>

#include "sim/apiserver/selectors.hpp"

namespace porter::sim {
namespace {

struct label_case {
  const char* rule;
  const char* selector;
  bool matches; // against {app=web, tier=front, rev=3}
};

class SimLabelSelectorRows : public ::testing::TestWithParam<label_case> {};

TEST_P(SimLabelSelectorRows, MatchesLikeApimachinery) {
  const auto& c = GetParam();
  label_map labels{{"app", "web"}, {"tier", "front"}, {"rev", "3"}};
  auto sel = label_selector::parse(c.selector);
  ASSERT_TRUE(sel) << c.rule << ": " << sel.error();
  EXPECT_EQ(sel->matches(labels), c.matches) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  SimSelectorGrammar, SimLabelSelectorRows,
  ::testing::Values(
    label_case{"empty selects everything", "", true},
    label_case{"= equality", "app=web", true},
    label_case{"== equality", "app==web", true},
    label_case{"!= on a present key", "app!=web", false},
    label_case{"!= on a missing key matches", "zone!=a", true},
    label_case{"in", "tier in (front, back)", true},
    label_case{"in without the value", "tier in (back)", false},
    label_case{"notin on a missing key matches", "zone notin (a)", true},
    label_case{"notin", "tier notin (front)", false},
    label_case{"exists", "app", true}, label_case{"!exists", "!app", false},
    label_case{"!exists on a missing key", "!zone", true},
    label_case{"AND of requirements", "app=web,tier=back", false},
    label_case{"spaces are tolerated", " app = web , tier in (front) ", true},
    label_case{"gt", "rev>2", true}, label_case{"lt", "rev<2", false},
    label_case{"empty value", "app=", false}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(SimLabelSelector, RejectsMalformedText) {
  for (const char* bad : {"app in web", "in (a)", "!", "app=web,", "a b"})
    EXPECT_FALSE(label_selector::parse(bad)) << bad;
}

TEST(SimFieldSelector, EqualityAndInequality) {
  auto sel = field_selector::parse("metadata.name=web,metadata.namespace!=x");
  ASSERT_TRUE(sel);
  auto get = [](std::string_view f) -> std::optional<std::string> {
    if (f == "metadata.name")
      return "web";
    return "default";
  };
  EXPECT_TRUE(sel->matches(get));
  EXPECT_EQ(sel->exact("metadata.name").value_or(""), "web");
  auto other = field_selector::parse("metadata.name==db");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->matches(get));
  EXPECT_FALSE(field_selector::parse("metadata.name"));
}

} // namespace
} // namespace porter::sim
