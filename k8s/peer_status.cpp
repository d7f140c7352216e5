#include "k8s/peer_status.hpp"

#include <cctype>

#include "k8s/lease.hpp"
#include "k8s/patch.hpp"

namespace porter::k8s {

namespace {

peer_message_counters counters(const std::array<std::uint64_t, 6>& by_type) {
  auto at = [&](bgp::message_type t) {
    return std::to_string(by_type[static_cast<std::size_t>(t)]);
  };
  std::uint64_t total = 0;
  for (auto n : by_type)
    total += n;
  peer_message_counters c;
  c.open = at(bgp::message_type::open);
  c.update = at(bgp::message_type::update);
  c.notification = at(bgp::message_type::notification);
  c.keepalive = at(bgp::message_type::keepalive);
  c.refresh = at(bgp::message_type::route_refresh);
  c.total = std::to_string(total);
  return c;
}

/// "Established" → "ESTABLISHED", as gobgp (and so OpenELB) shows it.
std::string upper(std::string_view s) {
  std::string out;
  for (char c : s)
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string dotted(std::uint32_t id) {
  return std::to_string(id >> 24) + "." + std::to_string((id >> 16) & 255) + "."
         + std::to_string((id >> 8) & 255) + "." + std::to_string(id & 255);
}

} // namespace

node_peer_status make_peer_status(const bgp::peer_stats& stats,
                                  const bgp::peer_config& peer,
                                  const bgp::speaker_config& speaker,
                                  std::chrono::system_clock::time_point now) {
  node_peer_status out;
  auto& p = out.peer_state;
  p.neighbor_address = net::to_string(peer.address);
  p.peer_as = peer.peer_as;
  p.local_as = speaker.local_as;
  p.router_id = dotted(speaker.router_id);
  p.session_state = upper(stats.state);
  p.admin_state = "UP";
  p.messages.received = counters(stats.messages_in);
  p.messages.sent = counters(stats.messages_out);
  p.flops = static_cast<std::uint32_t>(
    stats.established_count > 0 ? stats.established_count - 1 : 0);
  p.last_error = stats.last_error;
  p.advertised_paths = static_cast<std::int64_t>(stats.advertised_paths);
  auto& t = out.timers_state;
  t.hold_time = std::to_string(peer.hold_time);
  t.connect_retry = std::to_string(
    std::chrono::duration_cast<std::chrono::seconds>(peer.connect_retry)
      .count());
  if (stats.state == "Established") {
    t.negotiated_hold_time = std::to_string(stats.hold_time);
    t.keepalive_interval = std::to_string(stats.hold_time / 3);
    t.uptime = format_time(now - std::chrono::milliseconds{stats.uptime_ms});
  }
  return out;
}

std::string encode_validity_patch(bool valid, std::string_view reason,
                                  std::string_view message,
                                  std::chrono::system_clock::time_point now) {
  // conditions is a list-map keyed by type: a merge patch replaces the
  // whole list, which holds only this one condition.
  return R"({"status":{"conditions":[{"type":"Valid","status":)"
         + json_quote(valid ? "True" : "False") + R"(,"reason":)"
         + json_quote(valid ? "Accepted" : std::string{reason})
         + R"(,"message":)" + json_quote(std::string{message})
         + R"(,"lastTransitionTime":)" + json_quote(format_time(now)) + "}]}}";
}

} // namespace porter::k8s
