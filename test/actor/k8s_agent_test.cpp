// The agent actor (issue #9 items 2 and 4) against the API server emulator,
// with the in-memory rule table (the simulation's, issue #10) in place of
// the kernel: rules follow the Services porter holds, a stale rule goes, a
// rule removed behind its back comes back on a drift notice, a refusing
// table makes it not ready and loses nothing, and before the first LIST it
// changes nothing at all. The kernel adapter has its own test on a real
// kernel (test/interop/agent_rules_test.sh).
#include "test/support/k8s_test_client.hpp"
#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "actors/agent.hpp"
#include "actors/messages.hpp"
#include "net/io/memory_rule_table.hpp"
#include "net/io/readiness.hpp"

namespace porter {
namespace {

using namespace std::chrono_literals;
using testing::call;
using testing::eventually;

const std::string services = "/api/v1/namespaces/default/services";

net::ip_address ip(const char* text) {
  return *net::parse_ip(text);
}

struct AgentTest : ::testing::Test {
  testing::emulator api;
  std::shared_ptr<net::io::io_thread> io
    = std::make_shared<net::io::io_thread>();
  std::shared_ptr<k8s::io::api_client> client
    = testing::make_client(api.config(), io);
  std::shared_ptr<net::io::memory_rule_table> table
    = std::make_shared<net::io::memory_rule_table>();
  std::shared_ptr<net::io::readiness> ready
    = std::make_shared<net::io::readiness>();
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::actor agent;

  void TearDown() override {
    if (agent)
      caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  }

  void start_agent(std::shared_ptr<k8s::io::api_client> c) {
    agent_args a;
    a.client = std::move(c);
    a.table = table;
    a.node_name = "node-1";
    a.readiness = ready;
    a.resync_period = 1h; // drift is noticed only when told, here
    a.retry = 100ms;
    agent = spawn_agent(sys, std::move(a));
  }

  void service(const std::string& name, const std::string& eip) {
    auto r = call(
      *client, "POST", services,
      R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")" + name
        + R"(","annotations":{"lb.kubesphere.io/v1alpha1":"porter"}},)"
          R"("spec":{"type":"LoadBalancer","ports":[{"port":80}]}})");
    ASSERT_TRUE(r && r->status == 201) << (r ? r->body : r.error().what);
    r = call(*client, "PATCH", services + "/" + name + "/status",
             R"({"status":{"loadBalancer":{"ingress":[{"ip":")" + eip
               + R"("}]}}})",
             "application/merge-patch+json");
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  }

  void remove(const std::string& name) {
    auto r = call(*client, "DELETE", services + "/" + name);
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  }

  bool rules_ready() {
    auto s = ready->snapshot();
    auto it = s.find("node rules");
    return it != s.end() && it->second.ok;
  }
  std::string rules_detail() {
    auto s = ready->snapshot();
    auto it = s.find("node rules");
    return it == s.end() ? "" : it->second.detail;
  }
};

TEST_F(AgentTest, RulesFollowServicesDriftIsRepairedRefusalsLoseNothing) {
  ASSERT_TRUE(client);
  const net::agent_settings s;
  table->add_foreign_rule({ip("10.0.0.7"), 50, s.table});
  // Left by an earlier agent for an EIP no longer in use.
  table->apply({{{net::family::v4, s.table}},
                {{ip("10.0.0.9"), s.rule_priority, s.table}},
                {},
                {}});
  service("a", "10.0.0.1");
  start_agent(client);
  EXPECT_TRUE(eventually([&] {
    return table->diverts(ip("10.0.0.1")) && !table->diverts(ip("10.0.0.9"));
  }))
    << "rule for 10.0.0.1 in, stale 10.0.0.9 out";
  EXPECT_TRUE(eventually([&] { return rules_ready(); })) << rules_detail();

  service("b", "10.0.0.2");
  EXPECT_TRUE(eventually([&] { return table->diverts(ip("10.0.0.2")); }));

  // Drift: a rule removed behind the agent's back, then the notice.
  auto rules = table->contents().rules;
  for (const auto& r : rules)
    if (r.to == ip("10.0.0.1"))
      table->drop_rule(r);
  ASSERT_FALSE(table->diverts(ip("10.0.0.1")));
  caf::anon_send(agent, atoms::resync_atom_v);
  EXPECT_TRUE(eventually([&] { return table->diverts(ip("10.0.0.1")); }));

  // A table that refuses: not ready with the reason, nothing lost.
  table->set_failure("Operation not permitted");
  remove("b");
  EXPECT_TRUE(eventually([&] {
    return !rules_ready()
           && rules_detail().find("Operation not permitted")
                != std::string::npos;
  }))
    << rules_detail();
  EXPECT_TRUE(table->diverts(ip("10.0.0.1")));
  // Healed: the retry finishes the job.
  table->set_failure(std::nullopt);
  EXPECT_TRUE(eventually(
    [&] { return rules_ready() && !table->diverts(ip("10.0.0.2")); }))
    << rules_detail();
  EXPECT_TRUE(table->diverts(ip("10.0.0.1")));
  EXPECT_TRUE(table->diverts(ip("10.0.0.7"))) << "the foreign rule stays";
}

TEST_F(AgentTest, ChangesNothingBeforeTheFirstList) {
  const net::agent_settings s;
  table->apply({{{net::family::v4, s.table}},
                {{ip("10.0.0.1"), s.rule_priority, s.table}},
                {},
                {}});
  const auto before = table->changes_applied();
  // An API server that is not there: the watch never syncs.
  auto cfg = api.config();
  cfg.port = "1";
  start_agent(testing::make_client(cfg, io));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(table->changes_applied(), before);
  EXPECT_TRUE(table->diverts(ip("10.0.0.1")));
  EXPECT_FALSE(rules_ready());
  EXPECT_EQ(ready->snapshot().at("watch services").ok, false);
}

} // namespace
} // namespace porter
