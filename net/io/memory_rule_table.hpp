// The in-memory rule table: the kernel's policy-rule and local-route
// semantics reduced to what the agent and the simulated data plane need
// (issue #10 item 1: virtual nodes without root). Thread-safe: the
// simulation's probes read it while the agent writes.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

#include "net/rule_table.hpp"

namespace porter::net::io {

class memory_rule_table final : public rule_table {
public:
  tl::expected<kernel_view, std::string> read() override;
  apply_report apply(const rule_changes& c) override;

  /// A rule someone else made (no porter protocol): never read, never
  /// changed, but it diverts traffic like any rule.
  void add_foreign_rule(const eip_rule& r);
  /// Removes one of porter's rules behind the agent's back (drift).
  void drop_rule(const eip_rule& r);
  /// While set, every read and apply fails with `why` (e.g. a missing
  /// CAP_NET_ADMIN); nullopt heals it.
  void set_failure(std::optional<std::string> why);

  /// Whether a packet to `dst` is delivered locally: some rule sends it to
  /// a table that holds the local route of dst's family.
  bool diverts(const ip_address& dst) const;
  /// Porter's rules and routes, and how many changes were applied so far.
  kernel_view contents() const;
  std::size_t changes_applied() const;

private:
  mutable std::mutex mutex_;
  kernel_view porters_;
  std::vector<eip_rule> foreign_;
  std::optional<std::string> failure_;
  std::size_t changes_applied_ = 0;
};

} // namespace porter::net::io
