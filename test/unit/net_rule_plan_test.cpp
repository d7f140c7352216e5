// The agent's rule and route changes (net/rule_plan.hpp; issue #9 items 2
// and 4; Porter v0.1.0's agent, openelb.md §1.3).
#include <gtest/gtest.h>

#include "net/rule_plan.hpp"

namespace porter::net {
namespace {

ip_address ip(const char* text) {
  return *parse_ip(text);
}

const agent_settings settings{}; // table 101, priorities 10000-29999
constexpr std::uint32_t first = 10'000;

eip_rule rule(const char* to, std::uint32_t priority = first,
              std::uint32_t table = 101) {
  return {ip(to), priority, table};
}

const local_route v4{family::v4, 101};
const local_route v6{family::v6, 101};

TEST(RulePlan, Table) {
  struct row {
    const char* name;
    std::set<ip_address> in_use;
    kernel_view have;
    rule_changes want;
  };
  const row rows[] = {
    {"fresh node: the IPv4 local route, then a rule per EIP, each at its "
     "own priority, highest first (one short kernel list walk each)",
     {ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")},
     {},
     {{v4},
      {rule("10.0.0.3", first + 2), rule("10.0.0.2", first + 1),
       rule("10.0.0.1")},
      {},
      {}}},
    {"restart with everything in place: no change (item 4)",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1")}, {v4}},
     {}},
    {"a rule anywhere in the range is kept as it is (restart after churn)",
     {ip("10.0.0.1"), ip("10.0.0.2")},
     {{rule("10.0.0.1", 20'000), rule("10.0.0.2", 29'999)}, {v4}},
     {}},
    {"a new EIP takes the lowest free priority",
     {ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")},
     {{rule("10.0.0.1"), rule("10.0.0.3", first + 2)}, {v4}},
     {{}, {rule("10.0.0.2", first + 1)}, {}, {}}},
    {"released EIP: its rule goes, the route stays",
     {},
     {{rule("10.0.0.1")}, {v4}},
     {{}, {}, {rule("10.0.0.1")}, {}}},
    {"removals go lowest priority first (each found at the list's front)",
     {},
     {{rule("10.0.0.1", first + 5), rule("10.0.0.2", first + 1)}, {v4}},
     {{}, {}, {rule("10.0.0.2", first + 1), rule("10.0.0.1", first + 5)}, {}}},
    {"an IPv6 EIP brings the IPv6 local route",
     {ip("10.0.0.1"), ip("fd00::1")},
     {{rule("10.0.0.1")}, {v4}},
     {{v6}, {rule("fd00::1", first + 1)}, {}, {}}},
    {"the last IPv6 EIP gone: its route goes too",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1"), rule("fd00::1", first + 1)}, {v4, v6}},
     {{}, {}, {rule("fd00::1", first + 1)}, {v6}}},
    {"--rule-priority changed: a rule outside the range is re-added inside",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1", 80)}, {v4}},
     {{}, {rule("10.0.0.1")}, {rule("10.0.0.1", 80)}, {}}},
    {"--table changed: new route and rule, the old ones go",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1", first, 100)}, {{family::v4, 100}}},
     {{v4},
      {rule("10.0.0.1")},
      {rule("10.0.0.1", first, 100)},
      {{family::v4, 100}}}},
    {"a duplicate rule (left by a crash) goes, the lowest priority stays",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1", first + 3), rule("10.0.0.1")}, {v4}},
     {{}, {}, {rule("10.0.0.1", first + 3)}, {}}},
    {"drift: a rule deleted by hand comes back (item 4)",
     {ip("10.0.0.1"), ip("10.0.0.2")},
     {{rule("10.0.0.2", first + 1)}, {v4}},
     {{}, {rule("10.0.0.1")}, {}, {}}},
  };
  for (const auto& r : rows) {
    auto got = plan_rule_changes(r.in_use, r.have, settings);
    EXPECT_EQ(got.add_routes, r.want.add_routes) << r.name;
    EXPECT_EQ(got.add_rules, r.want.add_rules) << r.name;
    EXPECT_EQ(got.remove_rules, r.want.remove_rules) << r.name;
    EXPECT_EQ(got.remove_routes, r.want.remove_routes) << r.name;
  }
}

TEST(RulePlan, AFullRangeSharesItsLastPriority) {
  agent_settings small;
  small.rule_priorities = 2;
  auto got = plan_rule_changes(
    {ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3"), ip("10.0.0.4")},
    {{rule("10.0.0.1")}, {v4}}, small);
  EXPECT_EQ(got.add_rules,
            (std::vector<eip_rule>{rule("10.0.0.4", first + 1),
                                   rule("10.0.0.3", first + 1),
                                   rule("10.0.0.2", first + 1)}));
  // ... and a second pass keeps them all (no churn).
  kernel_view now{{rule("10.0.0.1")}, {v4}};
  for (const auto& r : got.add_rules)
    now.rules.push_back(r);
  EXPECT_TRUE(plan_rule_changes({ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3"),
                                 ip("10.0.0.4")},
                                now, small)
                .empty());
}

TEST(RulePlan, TenThousandFromScratchDescendWithoutGaps) {
  std::set<ip_address> many;
  for (std::uint32_t i = 0; i < 10'000; ++i)
    many.insert(ip_address::v4(0x0AC80000U + i));
  auto got = plan_rule_changes(many, {}, settings);
  ASSERT_EQ(got.add_rules.size(), 10'000U);
  for (std::size_t i = 0; i < got.add_rules.size(); ++i)
    EXPECT_EQ(got.add_rules[i].priority, first + 9'999 - i);
}

TEST(RulePlan, NoEipsStillKeepsTheIpv4Route) {
  // The route alone diverts nothing (no rule points at the table), and
  // keeping it spares a remove/add when the first EIP arrives.
  auto got = plan_rule_changes({}, {}, settings);
  EXPECT_EQ(got.add_routes, std::vector<local_route>{v4});
  EXPECT_TRUE(got.add_rules.empty());
}

TEST(RulePlan, SettingsAvoidTheReservedTablesAndPriorities) {
  struct row {
    std::uint32_t table, priority, size;
    bool ok;
  };
  // rtnetlink.h rt_class_t: 0 unspec, 253 default, 254 main, 255 local; the
  // default rules sit at 0 (local), 32766 (main), 32767 (default).
  const row rows[] = {
    {101, 10'000, 20'000, true},
    {1, 1, 1, true},
    {252, 32'765, 1, true},
    {256, 90, 100, true},
    {0, 90, 100, false},
    {253, 90, 100, false},
    {254, 90, 100, false},
    {255, 90, 100, false},
    {101, 0, 100, false},
    {101, 90, 0, false},
    {101, 32'766, 1, false},
    {101, 30'000, 2'767, false},
    {101, 4'000'000'000, 4'000'000'000, false},
  };
  for (const auto& r : rows) {
    agent_settings s;
    s.table = r.table;
    s.rule_priority = r.priority;
    s.rule_priorities = r.size;
    EXPECT_EQ(validate(s).has_value(), r.ok)
      << "table " << r.table << " priority " << r.priority << "+" << r.size;
  }
  agent_settings bad;
  bad.table = 254;
  EXPECT_NE(validate(bad).error().find("--table 254"), std::string::npos);
}

TEST(RulePlan, CleanupRemovesAllOfPortersAndOnlyThat) {
  // The uninstall path (issue #9 item 1): rules at an old priority or table
  // are porter's too (the adapter reads by porter's protocol value).
  kernel_view have{{rule("10.0.0.2"), rule("10.0.0.1", 80), rule("fd00::1")},
                   {v6, {family::v4, 100}, v4}};
  auto got = plan_cleanup(have);
  EXPECT_TRUE(got.add_routes.empty());
  EXPECT_TRUE(got.add_rules.empty());
  EXPECT_EQ(got.remove_rules,
            (std::vector<eip_rule>{rule("10.0.0.1", 80), rule("10.0.0.2"),
                                   rule("fd00::1")}));
  EXPECT_EQ(got.remove_routes,
            (std::vector<local_route>{{family::v4, 100}, v4, v6}));
  EXPECT_TRUE(plan_cleanup({}).empty());
}

} // namespace
} // namespace porter::net
