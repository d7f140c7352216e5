// --node-selector text → label_selector (k8s/selector_text.hpp), checked
// through matches() so each row states what the selector selects.
#include <gtest/gtest.h>

#include "k8s/pool_choice.hpp"
#include "k8s/selector_text.hpp"

namespace porter::k8s {
namespace {

TEST(SelectorText, Table) {
  const string_pairs edge = {{"role", "edge"}, {"zone", "a"}};
  const string_pairs core = {{"role", "core"}};
  struct row {
    const char* text;
    bool edge, core; // whether each node is selected
  };
  const row rows[] = {
    {"", true, true}, // selects everything
    {"role=edge", true, false},
    {"role==edge", true, false},
    {"role = edge", true, false},
    {"role!=edge", false, true},
    {"zone", true, false},
    {"!zone", false, true},
    {"role=edge,zone=a", true, false},
    {"role=edge,zone=b", false, false},
  };
  for (const auto& r : rows) {
    auto sel = parse_label_selector(r.text);
    ASSERT_TRUE(sel) << r.text << ": " << sel.error();
    EXPECT_EQ(matches(*sel, edge), r.edge) << r.text;
    EXPECT_EQ(matches(*sel, core), r.core) << r.text;
  }
}

TEST(SelectorText, Errors) {
  for (const char* text :
       {"role=edge,", ",role", "=edge", "role in (a,b)", "ro le=x", "a!=b c"}) {
    auto sel = parse_label_selector(text);
    EXPECT_FALSE(sel) << text;
  }
}

} // namespace
} // namespace porter::k8s
