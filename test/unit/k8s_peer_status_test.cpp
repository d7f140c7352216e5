// BgpPeer status.nodesPeerStatus[replica] from a session's counters
// (k8s/peer_status.hpp; issue #8 item 2; OpenELB/gobgp field shapes).
#include <gtest/gtest.h>

#include "k8s/lease.hpp"
#include "k8s/objects.hpp"
#include "k8s/peer_status.hpp"

namespace porter::k8s {
namespace {

const auto now
  = std::chrono::system_clock::time_point{std::chrono::seconds{1795730400}};

TEST(PeerStatus, EstablishedSessionShowsStateUptimeCountersAndPaths) {
  bgp::peer_stats s;
  s.state = "Established";
  s.messages_out[2] = 7; // UPDATE
  s.messages_out[4] = 3; // KEEPALIVE
  s.messages_in[1] = 1;  // OPEN
  s.advertised_paths = 12;
  s.established_count = 2;
  s.uptime_ms = 90'000;
  s.hold_time = 9;
  s.last_error = "Hold Timer Expired";
  bgp::peer_config p;
  p.address = *net::parse_ip("10.0.0.1");
  p.peer_as = 65000;
  p.hold_time = 90;
  bgp::speaker_config sp;
  sp.local_as = 65100;
  sp.router_id = 0x0a000002;
  auto st = make_peer_status(s, p, sp, now);
  EXPECT_EQ(st.peer_state.session_state, "ESTABLISHED"); // gobgp's spelling
  EXPECT_EQ(st.peer_state.neighbor_address, "10.0.0.1");
  EXPECT_EQ(st.peer_state.router_id, "10.0.0.2");
  EXPECT_EQ(st.peer_state.messages.sent.update, "7");
  EXPECT_EQ(st.peer_state.messages.sent.total, "10");
  EXPECT_EQ(st.peer_state.messages.received.open, "1");
  EXPECT_EQ(st.peer_state.advertised_paths, 12);
  EXPECT_EQ(st.peer_state.flops, 1u); // came up twice: went down once
  EXPECT_EQ(st.peer_state.last_error, "Hold Timer Expired");
  EXPECT_EQ(st.timers_state.negotiated_hold_time, "9");
  EXPECT_EQ(st.timers_state.hold_time, "90");
  EXPECT_EQ(st.timers_state.uptime,
            format_time(now - std::chrono::seconds{90}));
  // The replica's entry is one key of the map; others are kept by the
  // merge patch.
  auto body = encode_bgp_peer_status_patch("manager-0", st);
  EXPECT_NE(body.find(R"("nodesPeerStatus":{"manager-0":{)"), std::string::npos)
    << body;
  EXPECT_NE(body.find(R"("lastError":"Hold Timer Expired")"),
            std::string::npos);
}

TEST(PeerStatus, SessionThatIsDownHasNoUptime) {
  bgp::peer_stats s;
  s.state = "Active";
  auto st = make_peer_status(s, {}, {}, now);
  EXPECT_EQ(st.peer_state.session_state, "ACTIVE");
  EXPECT_TRUE(st.timers_state.uptime.empty());
  EXPECT_TRUE(st.timers_state.negotiated_hold_time.empty());
}

TEST(PeerStatus, ValidityConditionPatch) {
  // Issue #8 item 2: an invalid BgpPeer/BgpConf gets a status condition.
  EXPECT_EQ(encode_validity_patch(false, "InvalidHoldTime",
                                  "spec.timers.config.holdTime: \"soon\"", now),
            R"({"status":{"conditions":[{"type":"Valid","status":"False",)"
            R"("reason":"InvalidHoldTime","message":)"
            R"("spec.timers.config.holdTime: \"soon\"",)"
            R"("lastTransitionTime":")"
              + format_time(now) + R"("}]}})");
  EXPECT_NE(encode_validity_patch(true, "", "", now)
              .find(R"("status":"True","reason":"Accepted")"),
            std::string::npos);
}

} // namespace
} // namespace porter::k8s
