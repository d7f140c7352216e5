// The agent's rule and route changes (net/rule_plan.hpp; issue #9 items 2
// and 4; Porter v0.1.0's agent, openelb.md §1.3).
#include <gtest/gtest.h>

#include "net/rule_plan.hpp"

namespace porter::net {
namespace {

ip_address ip(const char* text) {
  return *parse_ip(text);
}

const agent_settings settings{}; // table 101, priority 90

eip_rule rule(const char* to, std::uint32_t priority = 90,
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
    {"fresh node: the IPv4 local route, then a rule per EIP",
     {ip("10.0.0.1"), ip("10.0.0.2")},
     {},
     {{v4}, {rule("10.0.0.1"), rule("10.0.0.2")}, {}, {}}},
    {"restart with everything in place: no change (item 4)",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1")}, {v4}},
     {}},
    {"released EIP: its rule goes, the route stays",
     {},
     {{rule("10.0.0.1")}, {v4}},
     {{}, {}, {rule("10.0.0.1")}, {}}},
    {"an IPv6 EIP brings the IPv6 local route",
     {ip("10.0.0.1"), ip("fd00::1")},
     {{rule("10.0.0.1")}, {v4}},
     {{v6}, {rule("fd00::1")}, {}, {}}},
    {"the last IPv6 EIP gone: its route goes too",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1"), rule("fd00::1")}, {v4, v6}},
     {{}, {}, {rule("fd00::1")}, {v6}}},
    {"--rule-priority changed: re-added at the new one",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1", 80)}, {v4}},
     {{}, {rule("10.0.0.1")}, {rule("10.0.0.1", 80)}, {}}},
    {"--table changed: new route and rule, the old ones go",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1", 90, 100)}, {{family::v4, 100}}},
     {{v4},
      {rule("10.0.0.1")},
      {rule("10.0.0.1", 90, 100)},
      {{family::v4, 100}}}},
    {"a duplicate rule (left by a crash) goes, one stays",
     {ip("10.0.0.1")},
     {{rule("10.0.0.1"), rule("10.0.0.1")}, {v4}},
     {{}, {}, {rule("10.0.0.1")}, {}}},
    {"drift: a rule deleted by hand comes back (item 4)",
     {ip("10.0.0.1"), ip("10.0.0.2")},
     {{rule("10.0.0.2")}, {v4}},
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

TEST(RulePlan, NoEipsStillKeepsTheIpv4Route) {
  // The route alone diverts nothing (no rule points at the table), and
  // keeping it spares a remove/add when the first EIP arrives.
  auto got = plan_rule_changes({}, {}, settings);
  EXPECT_EQ(got.add_routes, std::vector<local_route>{v4});
  EXPECT_TRUE(got.add_rules.empty());
}

TEST(RulePlan, SettingsAvoidTheReservedTablesAndPriorities) {
  struct row {
    std::uint32_t table, priority;
    bool ok;
  };
  // rtnetlink.h rt_class_t: 0 unspec, 253 default, 254 main, 255 local; the
  // default rules sit at 0 (local), 32766 (main), 32767 (default).
  const row rows[] = {
    {101, 90, true}, {1, 1, true},        {252, 32765, true},  {256, 90, true},
    {0, 90, false},  {253, 90, false},    {254, 90, false},    {255, 90, false},
    {101, 0, false}, {101, 32766, false}, {101, 40000, false},
  };
  for (const auto& r : rows) {
    agent_settings s;
    s.table = r.table;
    s.rule_priority = r.priority;
    EXPECT_EQ(validate(s).has_value(), r.ok)
      << "table " << r.table << " priority " << r.priority;
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
