// Each BgpPeer field's rule (k8s/bgp_setup.hpp), one table row per rule,
// quoting OpenELB's semantics (openelb.md §2.2 BgpPeer) or the RFC limit.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "test/unit/k8s_bgp_setup_helpers.hpp"
#include <gtest/gtest.h>

namespace porter::k8s {
namespace {

using namespace std::chrono_literals;

// ---- BgpPeer ---------------------------------------------------------------

afi_safi family(std::string afi, std::uint32_t send_max, bool enabled = true) {
  afi_safi a;
  a.config
    = afi_safi_config{afi_safi_family{std::move(afi), "SAFI_UNICAST"}, enabled};
  a.add_paths = add_paths_config{false, send_max};
  return a;
}

const char* const skipped = "(skipped)";

struct peer_row {
  const char* rule;
  std::function<void(bgp_peer&)> edit;
  /// Expected problem reason, `skipped`, or empty: mapped to
  /// expected_peer() after `want`.
  std::string problem;
  std::function<void(bgp::peer_config&)> want = [](bgp::peer_config&) {};
};

TEST(BgpSetup, BgpPeerRules) {
  using P = bgp_peer&;
  using C = bgp::peer_config&;
  const std::string pw80(80, 'k');
  const std::vector<peer_row> rows = {
    {"valid: porter's defaults (hold 90, retry 5 s, ADD-PATH, IPv6)", [](P) {},
     ""},
    {"spec.conf is required", [](P p) { p.spec.conf.reset(); }, "MissingConf"},
    {"neighborAddress must be an IP",
     [](P p) { p.spec.conf->neighbor_address = "router.example"; },
     "InvalidNeighborAddress"},
    {"neighborAddress may be IPv6",
     [](P p) { p.spec.conf->neighbor_address = "2001:db8::1"; }, "",
     [](C c) { c.address = ip("2001:db8::1"); }},
    {"peerAs 0 is not an AS", [](P p) { p.spec.conf->peer_as = 0; },
     "InvalidPeerAs"},
    {"RFC 2385 key: Linux takes at most 80 bytes",
     [&](P p) { p.spec.conf->auth_password = pw80; }, "",
     [&](C c) { c.md5_password = pw80; }},
    {"RFC 2385 key: 81 bytes is too long",
     [&](P p) { p.spec.conf->auth_password = pw80 + "k"; },
     "AuthPasswordTooLong"},
    {"password from the Secret named by the porter annotation",
     [](P p) {
       p.metadata.annotations = {
         {std::string(auth_password_secret_annotation), "bgp-auth/password"}};
     },
     "", [](C c) { c.md5_password = "s3cret"; }},
    {"Secret or key missing",
     [](P p) {
       p.metadata.annotations
         = {{std::string(auth_password_secret_annotation), "bgp-auth/other"}};
     },
     "AuthPasswordSecretNotFound"},
    {"annotation is not <name>/<key>",
     [](P p) {
       p.metadata.annotations
         = {{std::string(auth_password_secret_annotation), "bgp-auth"}};
     },
     "InvalidAuthPasswordSecret"},
    {"annotation and authPassword together are ambiguous",
     [](P p) {
       p.spec.conf->auth_password = "x";
       p.metadata.annotations = {
         {std::string(auth_password_secret_annotation), "bgp-auth/password"}};
     },
     "AmbiguousAuthPassword"},
    {"holdTime in seconds, Go-style \"s\" suffix accepted",
     [](P p) {
       p.spec.timers = peer_timers{"", "30s", "", ""};
     },
     "", [](C c) { c.hold_time = 30; }},
    {"RFC 4271 §4.2: Hold Time zero (no keepalives) is allowed",
     [](P p) {
       p.spec.timers = peer_timers{"", "0", "", ""};
     },
     "", [](C c) { c.hold_time = 0; }},
    {"RFC 4271 §4.2: Hold Time 3 is the minimum",
     [](P p) {
       p.spec.timers = peer_timers{"", "3", "", ""};
     },
     "", [](C c) { c.hold_time = 3; }},
    {"RFC 4271 §4.2: Hold Time 1 or 2 is invalid",
     [](P p) {
       p.spec.timers = peer_timers{"", "2", "", ""};
     },
     "InvalidHoldTime"},
    {"RFC 4271 §4.2: Hold Time is a 16-bit field",
     [](P p) {
       p.spec.timers = peer_timers{"", "65536", "", ""};
     },
     "InvalidHoldTime"},
    {"holdTime must be a number of seconds",
     [](P p) {
       p.spec.timers = peer_timers{"", "1m30s", "", ""};
     },
     "InvalidHoldTime"},
    {"connectRetry in seconds",
     [](P p) {
       p.spec.timers = peer_timers{"30", "", "", ""};
     },
     "", [](C c) { c.connect_retry = 30s; }},
    {"connectRetry 0 keeps the default (gobgp's zero)",
     [](P p) {
       p.spec.timers = peer_timers{"0", "", "", ""};
     },
     ""},
    {"connectRetry must be a number",
     [](P p) {
       p.spec.timers = peer_timers{"-1", "", "", ""};
     },
     "InvalidConnectRetry"},
    {"ebgpMultihop.multihopTtl is our TTL",
     [](P p) {
       p.spec.ebgp_multihop = peer_ebgp_multihop{true, 2};
     },
     "", [](C c) { c.ebgp_multihop = 2; }},
    {"ebgpMultihop enabled without TTL: 255",
     [](P p) {
       p.spec.ebgp_multihop = peer_ebgp_multihop{true, 0};
     },
     "", [](C c) { c.ebgp_multihop = 255; }},
    {"ebgpMultihop disabled: TTL ignored",
     [](P p) {
       p.spec.ebgp_multihop = peer_ebgp_multihop{false, 5};
     },
     ""},
    {"IP TTL has 8 bits",
     [](P p) {
       p.spec.ebgp_multihop = peer_ebgp_multihop{true, 256};
     },
     "InvalidMultihopTtl"},
    {"transport.passiveMode: wait for the router to connect",
     [](P p) {
       p.spec.transport = peer_transport{false, true, "", 0, 0};
     },
     "", [](C c) { c.passive = true; }},
    {"transport.remotePort",
     [](P p) {
       p.spec.transport = peer_transport{false, false, "", 1790, 0};
     },
     "", [](C c) { c.port = 1790; }},
    {"transport.remotePort above 65535",
     [](P p) {
       p.spec.transport = peer_transport{false, false, "", 65536, 0};
     },
     "InvalidRemotePort"},
    {"gracefulRestart on the peer; restartTime 0 keeps 120 s",
     [](P p) {
       p.spec.graceful_restart.emplace();
       p.spec.graceful_restart->enabled = true;
     },
     "", [](C c) { c.graceful_restart = true; }},
    {"RFC 4724 §3: peer restartTime at most 4095",
     [](P p) {
       p.spec.graceful_restart.emplace();
       p.spec.graceful_restart->restart_time = 4096;
     },
     "InvalidRestartTime"},
    {"afiSafis IPv4 with sendMax 1: no ADD-PATH (doc: must be > 1), no IPv6",
     [](P p) { p.spec.afi_safis = {family("AFI_IP", 1)}; }, "",
     [](C c) { c.add_path = c.ipv6 = false; }},
    {"afiSafis IPv4 sendMax 8 + IPv6 enabled",
     [](P p) {
       p.spec.afi_safis = {family("AFI_IP", 8), family("AFI_IP6", 0)};
     },
     ""},
    {"afiSafis IPv6 disabled is not offered",
     [](P p) {
       p.spec.afi_safis = {family("AFI_IP", 8), family("AFI_IP6", 0, false)};
     },
     "", [](C c) { c.ipv6 = false; }},
    {"afiSafi without config: the neighbour's family (OpenELB 9dc50eab)",
     [](P p) {
       p.spec.conf->neighbor_address = "2001:db8::1";
       p.spec.afi_safis = {afi_safi{}};
     },
     "",
     [](C c) {
       c.address = ip("2001:db8::1");
       c.add_path = false;
     }},
    {"conf.adminDown: skipped, not a problem",
     [](P p) { p.spec.conf->admin_down = true; }, skipped},
    {"being deleted: skipped", [](P p) { p.metadata.deleting = true; },
     skipped},
    {"nodeSelector not matching this node: skipped",
     [](P p) {
       p.spec.node_selector = label_selector{{{"rack", "r2"}}, {}};
     },
     skipped},
    {"nodeSelector matching this node",
     [](P p) {
       p.spec.node_selector = label_selector{{{"rack", "r1"}}, {}};
     },
     ""},
  };
  const auto conf = valid_conf();
  for (const auto& r : rows) {
    auto peer = valid_peer();
    r.edit(peer);
    auto got = run(conf, {peer});
    if (r.problem.empty()) {
      auto want = expected_peer();
      r.want(want);
      ASSERT_EQ(got.peers.size(), 1U) << r.rule;
      EXPECT_TRUE(got.peers[0] == want) << r.rule;
      EXPECT_TRUE(got.problems.empty()) << r.rule;
    } else if (r.problem == skipped) {
      EXPECT_TRUE(got.peers.empty()) << r.rule;
      EXPECT_TRUE(got.problems.empty()) << r.rule;
    } else {
      EXPECT_TRUE(got.peers.empty()) << r.rule;
      ASSERT_EQ(got.problems.size(), 1U) << r.rule;
      EXPECT_EQ(got.problems[0].reason, r.problem) << r.rule;
    }
  }
}

} // namespace
} // namespace porter::k8s
