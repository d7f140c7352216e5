// A virtual switch of `porter sim` (issue #10 item 1), built on porter's
// own BGP library: it accepts sessions from anyone who connects (porter's
// manager replicas, or leaves), offers ADD-PATH receive, keeps each
// session's paths (sim/fabric/switch_rib), computes its ECMP forwarding
// table and publishes it on the fabric board. A leaf also re-advertises
// every prefix it can forward to its spine, with itself as the next hop.
// As a graceful-restart helper (RFC 4724 §4.2) it keeps a crashed peer's
// paths, stale, until the peer's End-of-RIB or its restart time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <caf/fwd.hpp>

#include "net/ip_address.hpp"
#include "sim/fabric/switch_rib.hpp"

namespace porter::net::io {
class io_thread;
}

namespace porter {

/// What the switches publish, read by the demo and the data plane from
/// other threads.
class fabric_board {
public:
  struct switch_view {
    std::uint16_t port = 0; ///< where it listens
    sim::forwarding_table fib;
    std::size_t sessions = 0;    ///< established
    std::uint64_t changes = 0;   ///< how often fib changed
    std::size_t paths = 0;       ///< from current sessions
    std::size_t stale_paths = 0; ///< kept for restarting peers (RFC 4724)
  };

  void set_port(const std::string& sw, std::uint16_t port);
  void publish(const std::string& sw, sim::forwarding_table fib,
               std::size_t paths, std::size_t stale_paths);
  void set_sessions(const std::string& sw, std::size_t n);
  std::optional<switch_view> view(const std::string& sw) const;

private:
  mutable std::mutex mutex_;
  std::map<std::string, switch_view> switches_;
};

struct sim_switch_args {
  std::string name; ///< "leaf-a", "spine"
  std::shared_ptr<net::io::io_thread> io;
  std::shared_ptr<fabric_board> board;
  std::uint32_t as = 0;
  std::uint32_t router_id = 0;
  /// Where it listens, port chosen by the kernel (on the board). Each
  /// switch its own loopback address (127.0.1.x: Linux routes all of
  /// 127/8 to lo), so porter's BgpPeers name distinct neighbours.
  net::ip_address address;
  /// A leaf's uplink: the spine's address, port and AS, and the addresses
  /// the leaf puts as next hop (one per family).
  std::optional<std::pair<net::ip_address, std::uint16_t>> uplink;
  std::uint32_t uplink_as = 0;
  net::ip_address self_v4;
  net::ip_address self_v6;
};

/// Listens at `address`; the port appears on the board.
caf::actor spawn_sim_switch(caf::actor_system& sys, sim_switch_args args);

} // namespace porter
