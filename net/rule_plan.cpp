#include "net/rule_plan.hpp"

#include <algorithm>
#include <iterator>

namespace porter::net {

namespace {

/// Sorted a - b and b - a of two lists (duplicates in `have` count: the
/// second copy of a rule is extra and goes).
template <class T>
void diff(std::vector<T> want, std::vector<T> have, std::vector<T>& add,
          std::vector<T>& remove) {
  std::sort(want.begin(), want.end());
  std::sort(have.begin(), have.end());
  std::set_difference(want.begin(), want.end(), have.begin(), have.end(),
                      std::back_inserter(add));
  std::set_difference(have.begin(), have.end(), want.begin(), want.end(),
                      std::back_inserter(remove));
}

} // namespace

tl::expected<void, std::string> validate(const agent_settings& s) {
  if (s.table == 0 || (s.table >= 253 && s.table <= 255))
    return tl::unexpected{"--table " + std::to_string(s.table)
                          + ": reserved (0 unspec, 253 default, 254 main, "
                            "255 local); use 1-252 or 256 and up"};
  if (s.rule_priority == 0 || s.rule_priority >= 32766)
    return tl::unexpected{"--rule-priority " + std::to_string(s.rule_priority)
                          + ": must be 1-32765 (after the local rule at 0, "
                            "before main at 32766)"};
  return {};
}

std::string to_string(const eip_rule& r) {
  return "rule to " + to_string(r.to) + " lookup " + std::to_string(r.table)
         + " priority " + std::to_string(r.priority);
}

std::string to_string(const local_route& r) {
  return std::string{r.fam == family::v4 ? "IPv4" : "IPv6"}
         + " route local default dev lo table " + std::to_string(r.table);
}

rule_changes plan_rule_changes(const std::set<ip_address>& eips_in_use,
                               const kernel_view& have,
                               const agent_settings& settings) {
  std::vector<eip_rule> want_rules;
  bool any_v6 = false;
  for (const auto& ip : eips_in_use) {
    want_rules.push_back({ip, settings.rule_priority, settings.table});
    any_v6 = any_v6 || ip.fam == family::v6;
  }
  std::vector<local_route> want_routes{{family::v4, settings.table}};
  if (any_v6)
    want_routes.push_back({family::v6, settings.table});
  rule_changes out;
  diff(std::move(want_rules), have.rules, out.add_rules, out.remove_rules);
  diff(std::move(want_routes), have.routes, out.add_routes, out.remove_routes);
  return out;
}

rule_changes plan_cleanup(const kernel_view& have) {
  rule_changes out;
  out.remove_rules = have.rules;
  out.remove_routes = have.routes;
  std::sort(out.remove_rules.begin(), out.remove_rules.end());
  std::sort(out.remove_routes.begin(), out.remove_routes.end());
  return out;
}

} // namespace porter::net
