// Drift detection for the agent (issue #9 item 4): a netlink socket joined
// to the kernel's rule and route notification groups. When a rule or route
// carrying porter's protocol value is added, changed or deleted by anyone
// but the agent itself, or when notifications were lost (the socket
// overflowed), it calls `on_drift`, so a rule removed by hand comes back at
// once rather than at the next periodic check.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <tl/expected.hpp>

namespace porter::net::io {

class io_thread;

class netlink_monitor {
public:
  /// `own_port`: the agent's netlink port id (notifications caused by its
  /// own requests carry it). `on_drift` runs on the I/O thread.
  static tl::expected<std::unique_ptr<netlink_monitor>, std::string>
  start(io_thread& io, std::uint8_t protocol, std::uint32_t own_port,
        std::function<void()> on_drift);

  ~netlink_monitor();
  netlink_monitor(const netlink_monitor&) = delete;
  netlink_monitor& operator=(const netlink_monitor&) = delete;

  struct impl;

private:
  explicit netlink_monitor(std::shared_ptr<impl> p);
  std::shared_ptr<impl> impl_;
};

} // namespace porter::net::io
