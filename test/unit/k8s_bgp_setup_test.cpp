// From BgpConf/BgpPeer objects to the speaker's configuration
// (k8s/bgp_setup.hpp): the BgpConf rules, and how peers combine (sorting,
// isolation of bad peers, duplicates, the BgpConf's defaults). Per-field
// BgpPeer rules are in k8s_bgp_peer_setup_test.cpp. Rows quote OpenELB's
// field semantics (openelb.md §2.2; §1.2 for port 17900) or the RFC.
#include <functional>
#include <string>
#include <vector>

#include "test/unit/k8s_bgp_setup_helpers.hpp"
#include <gtest/gtest.h>

namespace porter::k8s {
namespace {

// ---- BgpConf ---------------------------------------------------------------

struct conf_row {
  const char* rule;
  std::function<void(bgp_conf&)> edit;
  std::optional<net::ip_address> node_ip;
  std::string problem; ///< expected reason; empty: valid
  bgp::speaker_config want{};
};

TEST(BgpSetup, BgpConfRules) {
  const auto v4 = ip("10.0.0.9");
  const std::vector<conf_row> rows = {
    {"valid: listenPort 0 means Porter's 17900 (BIRD owns 179, §1.2)",
     [](bgp_conf&) {},
     v4,
     "",
     {65000, 0x0a000001, 17900, {}}},
    {"spec.as is required (1-4294967295)", [](bgp_conf& c) { c.spec.as = 0; },
     v4, "InvalidAs"},
    {"spec.as 4294967295 is a valid 4-octet AS (RFC 6793)",
     [](bgp_conf& c) { c.spec.as = 4294967295U; },
     v4,
     "",
     {4294967295U, 0x0a000001, 17900, {}}},
    {"spec.routerId must be dotted IPv4",
     [](bgp_conf& c) { c.spec.router_id = "10.0.1"; }, v4, "InvalidRouterId"},
    {"spec.routerId cannot be IPv6",
     [](bgp_conf& c) { c.spec.router_id = "2001:db8::1"; }, v4,
     "InvalidRouterId"},
    {"RFC 6286 §2.1: the BGP Identifier is non-zero",
     [](bgp_conf& c) { c.spec.router_id = "0.0.0.0"; }, v4, "InvalidRouterId"},
    {"empty spec.routerId: the node's InternalIP (OpenELB)",
     [](bgp_conf& c) { c.spec.router_id.clear(); },
     v4,
     "",
     {65000, 0x0a000009, 17900, {}}},
    {"empty spec.routerId on an IPv6-only node: no identifier",
     [](bgp_conf& c) { c.spec.router_id.clear(); }, ip("2001:db8::9"),
     "NoRouterId"},
    {"empty spec.routerId and no node IP",
     [](bgp_conf& c) { c.spec.router_id.clear(); }, std::nullopt, "NoRouterId"},
    {"spec.listenPort 179 is kept",
     [](bgp_conf& c) { c.spec.listen_port = 179; },
     v4,
     "",
     {65000, 0x0a000001, 179, {}}},
    {"spec.listenPort -1: gobgp's do-not-listen",
     [](bgp_conf& c) { c.spec.listen_port = -1; },
     v4,
     "",
     {65000, 0x0a000001, 0, {}}},
    {"spec.listenPort above 65535",
     [](bgp_conf& c) { c.spec.listen_port = 65536; }, v4, "InvalidListenPort"},
    {"spec.listenPort below -1", [](bgp_conf& c) { c.spec.listen_port = -2; },
     v4, "InvalidListenPort"},
    {"RFC 4724 §3: Restart Time has 12 bits (at most 4095)",
     [](bgp_conf& c) {
       c.spec.graceful_restart.emplace();
       c.spec.graceful_restart->restart_time = 4096;
     },
     v4, "InvalidRestartTime"},
  };
  for (const auto& r : rows) {
    auto conf = valid_conf();
    r.edit(conf);
    auto peer = valid_peer();
    bgp_setup_input in;
    in.conf = &conf;
    in.peers = {&peer};
    in.node_ip = r.node_ip;
    auto got = make_bgp_setup(in);
    if (r.problem.empty()) {
      ASSERT_TRUE(got.speaker) << r.rule;
      EXPECT_EQ(got.speaker->local_as, r.want.local_as) << r.rule;
      EXPECT_EQ(got.speaker->router_id, r.want.router_id) << r.rule;
      EXPECT_EQ(got.speaker->listen_port, r.want.listen_port) << r.rule;
      EXPECT_EQ(got.peers.size(), 1U) << r.rule;
      EXPECT_TRUE(got.problems.empty()) << r.rule;
    } else {
      // An invalid BgpConf: no speaker, no peers, one problem on it.
      EXPECT_FALSE(got.speaker) << r.rule;
      EXPECT_TRUE(got.peers.empty()) << r.rule;
      ASSERT_EQ(got.problems.size(), 1U) << r.rule;
      EXPECT_EQ(got.problems[0].kind, "BgpConf") << r.rule;
      EXPECT_EQ(got.problems[0].name, "default") << r.rule;
      EXPECT_EQ(got.problems[0].reason, r.problem) << r.rule;
    }
  }
}

TEST(BgpSetup, NoBgpConfMeansNoBgpAndNoProblems) {
  auto peer = valid_peer();
  bgp_setup_input in;
  in.peers = {&peer};
  auto got = make_bgp_setup(in);
  EXPECT_FALSE(got.speaker);
  EXPECT_TRUE(got.peers.empty());
  EXPECT_TRUE(got.problems.empty());

  auto conf = valid_conf();
  conf.metadata.deleting = true; // being deleted: BGP stops
  in.conf = &conf;
  EXPECT_FALSE(make_bgp_setup(in).speaker);
}

TEST(BgpSetup, ProblemMessageNamesTheFieldPath) {
  auto conf = valid_conf();
  auto peer = valid_peer();
  peer.spec.conf->peer_as = 0;
  auto got = run(conf, {peer});
  ASSERT_EQ(got.problems.size(), 1U);
  EXPECT_EQ(got.problems[0],
            (object_problem{"BgpPeer", "router", "InvalidPeerAs",
                            "spec.conf.peerAs: must be 1-4294967295, got 0"}));
}
TEST(BgpSetup, BgpConfGracefulRestartIsEveryPeersDefault) {
  auto conf = valid_conf();
  conf.spec.graceful_restart = bgp_graceful_restart{};
  conf.spec.graceful_restart->enabled = true;
  conf.spec.graceful_restart->restart_time = 300;
  auto own = valid_peer("b-own", "192.0.2.2");
  own.spec.graceful_restart = bgp_graceful_restart{}; // disabled: overrides
  auto got = run(conf, {own, valid_peer("a-default")});
  ASSERT_EQ(got.peers.size(), 2U);
  EXPECT_TRUE(got.peers[0].graceful_restart);
  EXPECT_EQ(got.peers[0].restart_time, 300);
  EXPECT_FALSE(got.peers[1].graceful_restart);
  EXPECT_EQ(got.peers[1].restart_time, 120);
}

TEST(BgpSetup, BadPeerNeverAffectsOthersAndOutputIsSorted) {
  auto bad = valid_peer("b-bad", "192.0.2.2");
  bad.spec.conf->peer_as = 0;
  auto worse = valid_peer("a-worse", "192.0.2.3");
  worse.spec.conf.reset();
  auto got = run(valid_conf(), {valid_peer("d", "192.0.2.4"), bad,
                                valid_peer("c", "192.0.2.5"), worse});
  ASSERT_EQ(got.peers.size(), 2U);
  EXPECT_EQ(got.peers[0].name, "c");
  EXPECT_EQ(got.peers[1].name, "d");
  ASSERT_EQ(got.problems.size(), 2U);
  EXPECT_EQ(got.problems[0].name, "a-worse");
  EXPECT_EQ(got.problems[1].name, "b-bad");
}

TEST(BgpSetup, DuplicateNeighborIsAProblemOfTheLaterPeerByName) {
  // Same address in two spellings (RFC 5952 canonical form compared).
  auto first = valid_peer("a", "2001:db8::1");
  auto second = valid_peer("b", "2001:DB8:0::1");
  for (const auto& order :
       {std::vector{second, first}, std::vector{first, second}}) {
    auto got = run(valid_conf(), order);
    ASSERT_EQ(got.peers.size(), 1U);
    EXPECT_EQ(got.peers[0].name, "a");
    ASSERT_EQ(got.problems.size(), 1U);
    EXPECT_EQ(got.problems[0],
              (object_problem{"BgpPeer", "b", "DuplicateNeighbor",
                              "spec.conf.neighborAddress: 2001:db8::1 is "
                              "already used by BgpPeer \"a\""}));
  }
}

TEST(BgpSetup, PeerSkippedHereDoesNotClaimItsNeighbor) {
  auto down = valid_peer("a");
  down.spec.conf->admin_down = true;
  auto got = run(valid_conf(), {down, valid_peer("b")});
  ASSERT_EQ(got.peers.size(), 1U);
  EXPECT_EQ(got.peers[0].name, "b");
  EXPECT_TRUE(got.problems.empty());
}

} // namespace
} // namespace porter::k8s
