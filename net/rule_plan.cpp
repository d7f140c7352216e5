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
  const std::uint64_t end
    = std::uint64_t{s.rule_priority} + std::uint64_t{s.rule_priorities};
  if (s.rule_priority == 0 || s.rule_priorities == 0 || end > 32766)
    return tl::unexpected{
      "--rule-priority " + std::to_string(s.rule_priority)
      + " --rule-priorities " + std::to_string(s.rule_priorities)
      + ": the range must lie within 1-32765 (after the local rule at 0, "
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
  rule_changes out;
  const std::uint32_t first = settings.rule_priority;
  const std::uint32_t last = first + settings.rule_priorities - 1;
  auto fits = [&](const eip_rule& r) {
    return r.table == settings.table && r.priority >= first
           && r.priority <= last;
  };
  // Keep, per EIP in use, its fitting rule of lowest priority.
  std::vector<eip_rule> present = have.rules;
  std::sort(present.begin(), present.end());
  std::set<ip_address> kept;
  std::vector<bool> taken(settings.rule_priorities, false);
  for (const auto& r : present) {
    if (eips_in_use.count(r.to) != 0 && fits(r) && kept.insert(r.to).second)
      taken[r.priority - first] = true;
    else
      out.remove_rules.push_back(r);
  }
  std::stable_sort(out.remove_rules.begin(), out.remove_rules.end(),
                   [](const eip_rule& a, const eip_rule& b) {
                     return a.priority < b.priority;
                   });
  // The missing ones, in address order, take the lowest free priorities.
  std::uint32_t slot = 0;
  bool any_v6 = false;
  for (const auto& ip : eips_in_use) {
    any_v6 = any_v6 || ip.fam == family::v6;
    if (kept.count(ip) != 0)
      continue;
    while (slot < settings.rule_priorities && taken[slot])
      ++slot;
    const std::uint32_t priority
      = slot < settings.rule_priorities ? first + slot++ : last;
    out.add_rules.push_back({ip, priority, settings.table});
  }
  std::reverse(out.add_rules.begin(), out.add_rules.end());
  std::vector<local_route> want_routes{{family::v4, settings.table}};
  if (any_v6)
    want_routes.push_back({family::v6, settings.table});
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
