// Shared fixtures of the BgpConf/BgpPeer mapping tests
// (k8s/bgp_setup.hpp): a valid BgpConf and BgpPeer, what that peer maps to,
// a fake Secret store, and one call of make_bgp_setup on this node.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/bgp_setup.hpp"

namespace porter::k8s {

inline net::ip_address ip(std::string_view text) {
  return net::parse_ip(text).value();
}

inline bgp_conf valid_conf() {
  bgp_conf c;
  c.metadata.name = "default";
  c.spec.as = 65000;
  c.spec.router_id = "10.0.0.1";
  return c;
}

inline bgp_peer valid_peer(std::string name = "router",
                           std::string address = "192.0.2.1") {
  bgp_peer p;
  p.metadata.name = std::move(name);
  p.spec.conf.emplace();
  p.spec.conf->neighbor_address = std::move(address);
  p.spec.conf->peer_as = 65001;
  return p;
}

/// What valid_peer() maps to: porter's peer_config defaults.
inline bgp::peer_config expected_peer() {
  bgp::peer_config p;
  p.name = "router";
  p.address = ip("192.0.2.1");
  p.peer_as = 65001;
  return p;
}

inline std::optional<std::string> test_secret(std::string_view name,
                                              std::string_view key) {
  if (name == "bgp-auth" && key == "password")
    return "s3cret";
  return std::nullopt;
}

inline bgp_setup run(const bgp_conf& conf, const std::vector<bgp_peer>& peers) {
  bgp_setup_input in;
  in.conf = &conf;
  for (const auto& p : peers)
    in.peers.push_back(&p);
  in.node_labels = {{"rack", "r1"}};
  in.node_ip = ip("10.0.0.9");
  in.secret = test_secret;
  return make_bgp_setup(in);
}

} // namespace porter::k8s
