// The names and numbers porter's BGP metrics use (bgp/peer_stats.hpp).
#include <gtest/gtest.h>

#include "bgp/peer_stats.hpp"

namespace porter::bgp {
namespace {

// RFC 4273 §4, bgpPeerState: the FSM states of RFC 4271 §8.2.2 numbered
// from 1 in that order; anything else is 0 (never a real state).
TEST(PeerStats, MibStateNumbers) {
  const std::pair<const char*, int> table[] = {
    {"Idle", 1},        {"Connect", 2},     {"Active", 3},      {"OpenSent", 4},
    {"OpenConfirm", 5}, {"Established", 6}, {"established", 0}, {"", 0},
  };
  for (const auto& [name, number] : table)
    EXPECT_EQ(mib_state_number(name), number) << name;
}

// RFC 4271 §4.1 types 1-4 and RFC 2918 §3 type 5, as metric label values.
TEST(PeerStats, MessageTypeLabels) {
  const std::pair<message_type, const char*> table[] = {
    {message_type::open, "open"},
    {message_type::update, "update"},
    {message_type::notification, "notification"},
    {message_type::keepalive, "keepalive"},
    {message_type::route_refresh, "route_refresh"},
    {static_cast<message_type>(9), "unknown"},
  };
  for (const auto& [type, label] : table)
    EXPECT_STREQ(metric_name(type), label);
}

} // namespace
} // namespace porter::bgp
