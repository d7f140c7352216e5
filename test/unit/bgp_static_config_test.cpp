// The seed's gobgp-style config.toml (bgp/static_config.hpp). One row per
// key rule: the seed's shape (openelb.md §1.2), gobgp's conventions (port
// -1, zero timers keep defaults) and the RFC limits each check enforces.
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bgp/static_config.hpp"

namespace porter::bgp {
namespace {

using namespace std::chrono_literals;

const std::string global = R"(
[global.config]
as = 65000
router-id = "192.0.2.100"
)";

/// The global section, one neighbour, and `extra` after its config keys.
std::string one_neighbor(const std::string& extra = "") {
  return global + R"(
[[neighbors]]
[neighbors.config]
neighbor-address = "192.0.2.1"
peer-as = 65001
)" + extra;
}

TEST(StaticConfig, SeedShape) {
  auto got = parse_static_config(global + R"(
port = 17900
[global.use-multiple-paths.config]
enabled = true
[[neighbors]]
[neighbors.config]
neighbor-address = "192.0.2.1"
peer-as = 65001
[neighbors.add-paths.config]
send-max = 8
)");
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->speaker.local_as, 65000U);
  EXPECT_EQ(got->speaker.router_id, 0xc0000264U);
  EXPECT_EQ(got->speaker.listen_port, 17900);
  ASSERT_EQ(got->peers.size(), 1U);
  peer_config want;
  want.name = "192.0.2.1";
  want.address = net::parse_ip("192.0.2.1").value();
  want.peer_as = 65001;
  want.add_path = true; // send-max 8 > 1
  EXPECT_TRUE(got->peers[0] == want);
}

struct row {
  const char* rule;
  std::string toml;
  std::string error; ///< exact error; empty: parses
  std::function<void(const static_config&)> check = [](const auto&) {};
};

TEST(StaticConfig, KeyRules) {
  using S = const static_config&;
  const std::vector<row> rows = {
    {"port defaults to 17900 (BIRD owns 179)", global, "",
     [](S c) { EXPECT_EQ(c.speaker.listen_port, 17900); }},
    {"port -1: gobgp's do-not-listen", global + "port = -1\n", "",
     [](S c) { EXPECT_EQ(c.speaker.listen_port, 0); }},
    {"port 0 is neither", global + "port = 0\n",
     "global.config.port: must be -1 or 1-65535, got 0"},
    {"port above 65535", global + "port = 65536\n",
     "global.config.port: must be -1 or 1-65535, got 65536"},
    {"port of the wrong type", global + "port = \"179\"\n",
     "global.config.port: must be an integer"},
    {"as is required", "[global.config]\nrouter-id = \"192.0.2.100\"\n",
     "global.config.as: required"},
    {"as 0 is not an AS", "[global.config]\nas = 0\n",
     "global.config.as: must be 1-4294967295, got 0"},
    {"as above 32 bits (RFC 6793)", "[global.config]\nas = 4294967296\n",
     "global.config.as: must be 1-4294967295, got 4294967296"},
    {"RFC 6286 §2.1: router-id is a non-zero IPv4",
     "[global.config]\nas = 1\nrouter-id = \"0.0.0.0\"\n",
     "global.config.router-id: must be a non-zero dotted IPv4 address, got "
     "\"0.0.0.0\""},
    {"router-id is required", "[global.config]\nas = 1\n",
     "global.config.router-id: required"},
    {"use-multiple-paths.enabled type-checked",
     global + "[global.use-multiple-paths.config]\nenabled = 1\n",
     "global.use-multiple-paths.config.enabled: must be true or false"},
    {"unknown gobgp keys are ignored",
     global + "[zebra.config]\nenabled = true\n" + "[[neighbors]]\n"
       + "[neighbors.config]\nneighbor-address = \"192.0.2.1\"\n"
       + "peer-as = 65001\nlocal-as = 7\n",
     ""},
    {"neighbour defaults: hold 90, retry 5 s, port 179, no ADD-PATH, both "
     "families",
     one_neighbor(), "",
     [](S c) {
       const auto& p = c.peers.at(0);
       EXPECT_EQ(p.hold_time, 90);
       EXPECT_EQ(p.connect_retry, 5s);
       EXPECT_EQ(p.port, 179);
       EXPECT_FALSE(p.add_path);
       EXPECT_TRUE(p.ipv6);
     }},
    {"neighbor-address required",
     global + "[[neighbors]]\n[neighbors.config]\npeer-as = 1\n",
     "neighbors[0].config.neighbor-address: required"},
    {"neighbor-address must be an IP",
     global
       + "[[neighbors]]\n[neighbors.config]\nneighbor-address = \"tor1\"\n",
     "neighbors[0].config.neighbor-address: not an IP address: \"tor1\""},
    {"peer-as 0 in the second neighbour",
     one_neighbor() + "[[neighbors]]\n[neighbors.config]\n"
       + "neighbor-address = \"192.0.2.2\"\npeer-as = 0\n",
     "neighbors[1].config.peer-as: must be 1-4294967295, got 0"},
    {"the same neighbour twice",
     one_neighbor() + one_neighbor().substr(global.size()),
     "neighbors[1].config.neighbor-address: same neighbour as neighbors[0]"},
    {"RFC 2385 key: Linux takes at most 80 bytes",
     one_neighbor("auth-password = \"" + std::string(81, 'k') + "\"\n"),
     "neighbors[0].config.auth-password: at most 80 characters, got 81"},
    {"auth-password and description",
     one_neighbor("auth-password = \"pw\"\n"
                  "description = \"tor\"\n"),
     "", [](S c) { EXPECT_EQ(c.peers.at(0).md5_password, "pw"); }},
    {"hold-time and connect-retry in seconds (gobgp floats allowed)",
     one_neighbor("[neighbors.timers.config]\nhold-time = 30.0\n"
                  "connect-retry = 10\n"),
     "",
     [](S c) {
       EXPECT_EQ(c.peers.at(0).hold_time, 30);
       EXPECT_EQ(c.peers.at(0).connect_retry, 10s);
     }},
    {"RFC 4271 §4.2: hold time 1 or 2 is invalid",
     one_neighbor("[neighbors.timers.config]\nhold-time = 2\n"),
     "neighbors[0].timers.config.hold-time: must be 0 or 3-65535 "
     "(RFC 4271 §4.2), got 2"},
    {"hold-time of the wrong type",
     one_neighbor("[neighbors.timers.config]\nhold-time = \"90\"\n"),
     "neighbors[0].timers.config.hold-time: must be a whole number of "
     "seconds"},
    {"passive-mode, remote-port, local-address",
     one_neighbor("[neighbors.transport.config]\npassive-mode = true\n"
                  "remote-port = 1790\nlocal-address = \"192.0.2.100\"\n"),
     "",
     [](S c) {
       EXPECT_TRUE(c.peers.at(0).passive);
       EXPECT_EQ(c.peers.at(0).port, 1790);
       EXPECT_EQ(c.peers.at(0).local_address,
                 net::parse_ip("192.0.2.100").value());
     }},
    {"passive-mode of the wrong type",
     one_neighbor("[neighbors.transport.config]\npassive-mode = \"yes\"\n"),
     "neighbors[0].transport.config.passive-mode: must be true or false"},
    {"ebgp-multihop enabled without TTL: 255",
     one_neighbor("[neighbors.ebgp-multihop.config]\nenabled = true\n"), "",
     [](S c) { EXPECT_EQ(c.peers.at(0).ebgp_multihop, 255); }},
    {"ebgp-multihop disabled ignores the TTL",
     one_neighbor("[neighbors.ebgp-multihop.config]\nmultihop-ttl = 3\n"), "",
     [](S c) { EXPECT_EQ(c.peers.at(0).ebgp_multihop, 0); }},
    {"send-max 1 is not ADD-PATH (seed doc: must be > 1)",
     one_neighbor("[neighbors.add-paths.config]\nsend-max = 1\n"), "",
     [](S c) { EXPECT_FALSE(c.peers.at(0).add_path); }},
    {"RFC 4724 §3: restart-time has 12 bits",
     one_neighbor("[neighbors.graceful-restart.config]\nenabled = true\n"
                  "restart-time = 4096\n"),
     "neighbors[0].graceful-restart.config.restart-time: must be 0-4095 "
     "(RFC 4724), got 4096"},
    {"graceful restart enabled",
     one_neighbor("[neighbors.graceful-restart.config]\nenabled = true\n"
                  "restart-time = 300\n"),
     "",
     [](S c) {
       EXPECT_TRUE(c.peers.at(0).graceful_restart);
       EXPECT_EQ(c.peers.at(0).restart_time, 300);
     }},
    {"afi-safis ipv4-unicast only: no IPv6; ADD-PATH per family",
     one_neighbor("[[neighbors.afi-safis]]\n[neighbors.afi-safis.config]\n"
                  "afi-safi-name = \"ipv4-unicast\"\n"
                  "[neighbors.afi-safis.add-paths.config]\nsend-max = 8\n"),
     "",
     [](S c) {
       EXPECT_FALSE(c.peers.at(0).ipv6);
       EXPECT_TRUE(c.peers.at(0).add_path);
     }},
    {"afi-safis family porter does not speak",
     one_neighbor("[[neighbors.afi-safis]]\n[neighbors.afi-safis.config]\n"
                  "afi-safi-name = \"l3vpn-ipv4-unicast\"\n"),
     "neighbors[0].afi-safis[0].config.afi-safi-name: porter speaks "
     "ipv4-unicast and ipv6-unicast, got \"l3vpn-ipv4-unicast\""},
    {"neighbors must be an array of tables", "neighbors = 1\n" + global,
     "neighbors: must be an array of tables ([[neighbors]])"},
    {"TOML syntax error names line and column", "[global.config\n",
     "line 1, column 15: "},
  };
  for (const auto& r : rows) {
    auto got = parse_static_config(r.toml);
    if (r.error.empty()) {
      ASSERT_TRUE(got) << r.rule << ": " << got.error();
      r.check(*got);
    } else {
      ASSERT_FALSE(got) << r.rule;
      // Syntax errors end with toml++'s own words: compare the prefix.
      EXPECT_EQ(got.error().substr(0, r.error.size()), r.error) << r.rule;
    }
  }
}

TEST(StaticConfig, SampleFileInTheRepositoryParses) {
  std::string here = __FILE__; // <root>/test/unit/bgp_static_config_test.cpp
  auto root = here.substr(0, here.rfind("test/unit/"));
  std::ifstream file(root + "config/bgp/config.toml");
  ASSERT_TRUE(file) << root;
  std::stringstream text;
  text << file.rdbuf();
  auto got = parse_static_config(text.str());
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->speaker.local_as, 65000U);
  EXPECT_EQ(got->speaker.listen_port, 17900);
  ASSERT_EQ(got->peers.size(), 1U);
  EXPECT_TRUE(got->peers[0].add_path);
  EXPECT_TRUE(got->peers[0].ipv6);
  EXPECT_TRUE(got->peers[0].graceful_restart);
}

} // namespace
} // namespace porter::bgp
