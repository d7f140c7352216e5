// The kernel adapter of the rule table (issue #9 item 3): porter's policy
// rules and local routes through rtnetlink with libnl-route-3. Reads dump
// all rules and routes and keep those carrying porter's protocol value;
// changes go out in batches (many requests per sendmsg, acknowledgements
// collected after each batch), so 10k rules cost a few dozen system calls,
// not 20k. Deletes name porter's protocol, so the kernel never removes an
// identical rule somebody else made.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "net/rule_table.hpp"

struct nl_sock;

namespace porter::net::io {

class netlink_rule_table final : public rule_table {
public:
  /// Opens a NETLINK_ROUTE socket in the caller's network namespace.
  static tl::expected<std::unique_ptr<netlink_rule_table>, std::string>
  open(std::uint8_t protocol);

  ~netlink_rule_table() override;
  netlink_rule_table(const netlink_rule_table&) = delete;
  netlink_rule_table& operator=(const netlink_rule_table&) = delete;

  tl::expected<kernel_view, std::string> read() override;
  apply_report apply(const rule_changes& c) override;

  /// The socket's netlink port id: the kernel stamps it on the
  /// notifications our own changes cause, so the monitor can skip them.
  std::uint32_t port_id() const;

private:
  netlink_rule_table(nl_sock* sock, std::uint8_t protocol);

  nl_sock* sock_;
  std::uint8_t protocol_;
  int loopback_index_;
  /// Our own sequence numbers for batched requests, far from libnl's (it
  /// counts from the time in seconds for its dumps on the same socket).
  std::uint32_t next_seq_ = 0x80000000U;
};

} // namespace porter::net::io
