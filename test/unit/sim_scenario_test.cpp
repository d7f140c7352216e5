// Scenario files (sim/scenario/scenario.hpp; issue #10 items 3 and 6): a
// full file reads into the cluster, objects and steps; every bad file is an
// error naming the line and the field, never a crash.
#include <gtest/gtest.h>

#include "sim/scenario/scenario.hpp"

namespace porter::sim {
namespace {

const char* const good = R"(name: basic
description: two Services
cluster:
  nodes:
  - {name: node-1, ip: 10.0.0.11}
  - {name: node-2, ip: 10.0.0.12, ip6: "fd00::12", ready: false}
  replicas: 2
  leaves: 3
  gracefulRestart: true
  lease: {duration: 3s, renewDeadline: 2s, retryPeriod: 500ms}
manifests: |
  apiVersion: network.kubesphere.io/v1alpha2
  kind: Eip
  metadata: {name: pool}
  spec: {address: 10.200.0.10-10.200.0.19}
services:
- {name: web, policy: Cluster, pool: pool, endpoints: [node-1]}
- {name: api, policy: Local, endpoints: [node-1, node-2], count: 3, dualStack: true}
steps:
- expect: {all: true, within: 10s}
- expect: {service: web, ip: 10.200.0.10}
- expect: {service: web, via: [node-1], on: leaf-a, within: 500ms}
- expect: {service: api-2, noIP: true}
- endpoints: {service: web, nodes: [node-2]}
- node: {name: node-2, ready: true}
- kill: {replica: leader, signal: TERM}
- restart: {replica: manager-1}
- partition: {on: leaf-b, for: 2s}
- apiOutage: {for: 1.5s}
- wait: 250ms
- probes: {lostAtMost: 0}
- delete: {kind: Service, name: web}
- apply: |
    apiVersion: v1
    kind: Namespace
    metadata: {name: x}
)";

TEST(Scenario, AGoodFileReadsWhole) {
  auto s = parse_scenario(good);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->name, "basic");
  ASSERT_EQ(s->nodes.size(), 2U);
  EXPECT_FALSE(s->nodes[1].ready);
  EXPECT_EQ(net::to_string(*s->nodes[1].ip6), "fd00::12");
  EXPECT_FALSE(s->nodes[0].ip6);
  EXPECT_TRUE(s->services[1].dual_stack);
  EXPECT_EQ(s->lease_duration, 3.0);
  EXPECT_EQ(s->leaves, 3);
  EXPECT_EQ(s->retry_period, 0.5);
  EXPECT_NE(s->manifests.find("kind: Eip"), std::string::npos);
  ASSERT_EQ(s->services.size(), 2U);
  EXPECT_TRUE(s->services[1].local);
  EXPECT_EQ(s->services[1].count, 3);
  ASSERT_EQ(s->steps.size(), 14U);
  EXPECT_EQ(s->steps[0].line, 20);
  const auto& e = std::get<expect_step>(s->steps[2].action);
  EXPECT_EQ(e.on, "leaf-a");
  EXPECT_EQ(e.within, milliseconds{500});
  EXPECT_EQ(*e.via, std::vector<std::string>{"node-1"});
  EXPECT_EQ(std::get<kill_step>(s->steps[6].action).signal, 15);
  EXPECT_EQ(std::get<partition_step>(s->steps[8].action).duration,
            milliseconds{2000});
  EXPECT_EQ(std::get<api_outage_step>(s->steps[9].action).duration,
            milliseconds{1500});
  EXPECT_EQ(std::get<wait_step>(s->steps[10].action).duration,
            milliseconds{250});
  EXPECT_NE(std::get<apply_step>(s->steps[13].action).yaml.find("Namespace"),
            std::string::npos);
}

TEST(Scenario, BadFilesNameTheLineAndTheField) {
  struct row {
    const char* yaml;
    const char* error;
  };
  const std::string head = "name: x\ncluster:\n  nodes:\n"
                           "  - {name: node-1, ip: 10.0.0.11}\n";
  const row rows[] = {
    {"name: x\nsteps: []\n", "line 1: scenario: missing field cluster"},
    {"name: x\ncluster: {nodes: []}\nsteps: []\n",
     "line 2: scenario.cluster.nodes: needs at least one node"},
    {"name: x\ncluster:\n  nodes:\n  - {name: n, ip: 10.0.0.300}\nsteps: []\n",
     "line 4: scenario.cluster.nodes[0].ip: \"10.0.0.300\" is not an IP "
     "address"},
    {"name: x\ncluster:\n  nodse: []\nsteps: []\n",
     "line 3: scenario.cluster.nodse: unknown field (known: nodes, replicas, "
     "leaves, gracefulRestart, lease)"},
    {"steps:\n- expect: {service: web, within: soon}\n",
     "line 6: scenario.steps[0].expect.within: \"soon\" is not a duration "
     "(500ms, 2s)"},
    {"steps:\n- expect: {service: web}\n",
     "line 6: scenario.steps[0].expect: needs ip, via or noIP"},
    {"steps:\n- jump: {}\n",
     "line 6: scenario.steps[0].jump: unknown step (expect, apply, delete, "
     "endpoints, node, kill, restart, partition, apiOutage, wait, probes)"},
    {"steps:\n- kill: {replica: leader, signal: HUP}\n",
     "line 6: scenario.steps[0].kill.signal: \"HUP\" is not KILL or TERM"},
    {"services:\n- {name: web, endpoints: [node-9]}\nsteps: []\n",
     "line 6: scenario.services[0].endpoints: no node named node-9"},
    {"services:\n- {name: web, policy: Sometimes}\nsteps: []\n",
     "line 6: scenario.services[0].policy: \"Sometimes\" is not Local or "
     "Cluster"},
    {"steps:\n- delete: {kind: Pod, name: p}\n",
     "line 6: scenario.steps[0].delete.kind: \"Pod\" is not Service, "
     "EndpointSlice, Eip, BgpPeer or BgpConf"},
    {"steps:\n- {wait: 1s, probes: {lostAtMost: 0}}\n",
     "line 6: scenario.steps[0]: must be a mapping with exactly one step "
     "kind"},
    {"name: x\ncluster:\n  nodes:\n  - {name: n, ip: 10.0.0.1, ip6: 10.0.0.2}\n"
     "steps: []\n",
     "line 4: scenario.cluster.nodes[0].ip6: must be an IPv6 address"},
    {"steps:\n- probes: {lostAtMost: -1}\n",
     "line 6: scenario.steps[0].probes.lostAtMost: \"-1\" is not a whole "
     "number from 0 to 1000000000"},
    {"steps:\n- expect: {service: [web], ip: 10.0.0.1}\n",
     "line 6: scenario.steps[0].expect.service: must be a single value"},
    {"steps: [\n", "line 6: end of sequence flow not found"},
    {"name: x\n# nothing else\n", "line 1: scenario: missing field cluster"},
  };
  for (const auto& r : rows) {
    std::string text = r.yaml;
    if (text.rfind("name:", 0) != 0)
      text = head + text;
    auto s = parse_scenario(text);
    ASSERT_FALSE(s) << text;
    EXPECT_EQ(s.error(), r.error) << text;
  }
}

TEST(Scenario, AnEmptyFileSaysSo) {
  auto s = parse_scenario("# just a comment\n");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), "line 1: scenario: the file is empty (a scenario "
                       "needs name, cluster and steps)");
}

TEST(Scenario, Durations) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds{500});
  EXPECT_EQ(parse_duration("2s"), milliseconds{2000});
  EXPECT_EQ(parse_duration("1.5s"), milliseconds{1500});
  EXPECT_EQ(parse_duration("250"), milliseconds{250});
  EXPECT_FALSE(parse_duration("soon"));
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_FALSE(parse_duration("2 s"));
  EXPECT_FALSE(parse_duration(""));
}

} // namespace
} // namespace porter::sim
