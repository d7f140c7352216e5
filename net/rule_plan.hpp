// What the agent (issue #9) wants the node's kernel to hold and what to
// change to get there: one policy rule "to <EIP> lookup <table>" per EIP in
// use and the local default route in that table (Porter v0.1.0's agent,
// openelb.md §1.3: `ip route replace local 0/0 dev lo table 101`, `ip rule
// add to <EIP>/32 lookup 101`). Only porter's own rules and routes (its
// protocol value) are ever given here or changed. Pure.
//
// Why a priority range and not one priority: the kernel keeps policy rules
// in one list ordered by priority and inserts a new rule after every rule
// of lower or equal priority (net/core/fib_rules.c, fib_newrule), so 10k
// rules at one priority cost 50M list steps (340 ms here). Each EIP's rule
// gets its own priority in porter's range instead, and new rules are sent
// highest priority first: each lands at the front and the walk is short.
// The rules' destinations are disjoint, so their order never matters.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <tl/expected.hpp>

#include "net/ip_address.hpp"

namespace porter::net {

struct agent_settings {
  std::uint32_t table = 101; ///< --table
  /// --rule-priority: the first priority of porter's range. After the
  /// rules CNIs and VPN clients install low (Cilium ≤ 111, Calico 99-100,
  /// AWS VPC CNI 512-1536, Tailscale 5210-5270), before wg-quick's 32764
  /// and main's 32766.
  std::uint32_t rule_priority = 10'000;
  /// --rule-priorities: the range's size. More EIPs than that share its
  /// last priority: still correct, only slower to program.
  std::uint32_t rule_priorities = 20'000;
  /// The rtnetlink protocol porter stamps on its rules and routes, so they
  /// can be told apart from everyone else's (RTPROT_* values ≥ 5 are free
  /// for daemons; 0xc8 is unassigned in iproute2's rt_protos).
  std::uint8_t protocol = 0xc8;
};

/// The table must be one of the free ids (not 0 unspec, 253 default, 254
/// main, 255 local: rtnetlink.h rt_class_t); the priority range must lie
/// after the local table's rule (0) and before main's (32766), or the
/// rules never match first.
tl::expected<void, std::string> validate(const agent_settings& s);

/// A policy rule "to <to>/<max> lookup <table>" at <priority>.
struct eip_rule {
  ip_address to;
  std::uint32_t priority = 0;
  std::uint32_t table = 0;

  friend bool operator==(const eip_rule& a, const eip_rule& b) {
    return a.to == b.to && a.priority == b.priority && a.table == b.table;
  }
  friend bool operator<(const eip_rule& a, const eip_rule& b) {
    return std::tie(a.to, a.priority, a.table)
           < std::tie(b.to, b.priority, b.table);
  }
};

/// "rule to 10.0.0.1 lookup 101 priority 90", for logs and errors.
std::string to_string(const eip_rule& r);

/// The route "local default dev lo table <table>" of one family.
struct local_route {
  family fam = family::v4;
  std::uint32_t table = 0;

  friend bool operator==(const local_route& a, const local_route& b) {
    return a.fam == b.fam && a.table == b.table;
  }
  friend bool operator<(const local_route& a, const local_route& b) {
    return std::tie(a.fam, a.table) < std::tie(b.fam, b.table);
  }
};

/// "IPv4 route local default dev lo table 101".
std::string to_string(const local_route& r);

/// Porter's rules and routes as the kernel has them (the adapter keeps
/// only those with porter's protocol value).
struct kernel_view {
  std::vector<eip_rule> rules;
  std::vector<local_route> routes;
};

/// The changes in the order to apply them: routes are added before rules (a
/// rule must never point at an empty table) and removed after them; rules
/// are added highest priority first and removed lowest first (each at the
/// front of the kernel's list, see above).
struct rule_changes {
  std::vector<local_route> add_routes;
  std::vector<eip_rule> add_rules;
  std::vector<eip_rule> remove_rules;
  std::vector<local_route> remove_routes;

  bool empty() const {
    return add_routes.empty() && add_rules.empty() && remove_rules.empty()
           && remove_routes.empty();
  }
};

/// Rules: one per EIP in the configured table at a priority in the range; a
/// rule already there stays whatever its priority in the range, a missing
/// one takes the lowest free priority. Anything else of porter's (an EIP
/// no longer in use, a priority or table outside the flags after a change,
/// a duplicate) goes. Routes: the IPv4 local route always, the IPv6 one
/// while an IPv6 EIP is in use. What is already right is left alone, so an
/// agent restart changes nothing for EIPs still in use.
rule_changes plan_rule_changes(const std::set<ip_address>& eips_in_use,
                               const kernel_view& have,
                               const agent_settings& settings);

/// `porter agent --cleanup`: every rule and route of porter's goes, whatever
/// its table or priority (a flag may have changed since it was made);
/// nothing else is in `have`, so nothing else is touched.
rule_changes plan_cleanup(const kernel_view& have);

} // namespace porter::net
