// Where the agent's rules and routes live, behind one interface with two
// adapters: the node's kernel through rtnetlink (net/io/netlink_rule_table)
// and an in-memory table for the simulation (net/io/memory_rule_table), so the
// same programmer (actors/agent) runs against both (issues #9 and #10).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "net/rule_plan.hpp"

namespace porter::net {

/// What became of one rule_changes.
struct apply_report {
  std::size_t applied = 0;
  /// One line per change the table refused, e.g. "add rule to 10.0.0.1
  /// lookup 101 priority 90: Operation not permitted".
  std::vector<std::string> errors;

  bool ok() const { return errors.empty(); }
};

class rule_table {
public:
  virtual ~rule_table() = default;

  /// Porter's rules and routes (those with its protocol value), nothing
  /// else; the error says why the table could not be read.
  virtual tl::expected<kernel_view, std::string> read() = 0;

  /// Applies `c` in its order (routes added, rules added, rules removed,
  /// routes removed). Removing what is already gone is no error; a refused
  /// change does not stop the others.
  virtual apply_report apply(const rule_changes& c) = 0;
};

} // namespace porter::net
