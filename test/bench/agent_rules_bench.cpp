// bench.agent (issue #9 item 6): 10k EIP rules programmed from scratch and
// removed through porter's netlink adapter, as the agent does it (read the
// kernel, plan, apply in batches), and the same 10k through libnl one
// request at a time, waiting for each answer (what netlink libraries that
// send one message per change do, e.g. vishvananda/netlink under OpenELB
// and MetalLB). Run inside a fresh network namespace (agent_bench.sh);
// `ip -batch` is measured there too. Prints `bench <name> <value> <unit>`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>
#include <vector>

#include <linux/fib_rules.h>
#include <netlink/netlink.h>
#include <netlink/route/rule.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include "net/io/netlink_rule_table.hpp"
#include "net/rule_plan.hpp"

namespace {

using porter::net::ip_address;

constexpr int eip_count = 10'000;

std::set<ip_address> eips() {
  std::set<ip_address> out;
  for (int i = 0; i < eip_count; ++i) // 10.200.0.0 upwards
    out.insert(ip_address::v4(0x0AC80000U + static_cast<std::uint32_t>(i)));
  return out;
}

double ms_of(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(
           std::chrono::steady_clock::now() - t0)
    .count();
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "agent_rules_bench: %s\n", what.c_str());
  std::exit(1);
}

/// One pass of the agent: read what the kernel has, plan, apply.
void converge(porter::net::rule_table& table, const std::set<ip_address>& want,
              const porter::net::agent_settings& s) {
  auto have = table.read();
  if (!have)
    die(have.error());
  auto result = table.apply(porter::net::plan_rule_changes(want, *have, s));
  if (!result.ok())
    die(result.errors.front());
}

std::size_t porter_rules(porter::net::rule_table& table) {
  auto have = table.read();
  if (!have)
    die(have.error());
  return have->rules.size();
}

/// Each rule added or deleted by its own request and acknowledgement.
void one_by_one(const std::vector<porter::net::eip_rule>& rules, bool add,
                std::uint8_t protocol) {
  nl_sock* sock = nl_socket_alloc();
  if (nl_connect(sock, NETLINK_ROUTE) < 0)
    die("netlink connect");
  for (const auto& rule : rules) {
    rtnl_rule* r = rtnl_rule_alloc();
    rtnl_rule_set_family(r, AF_INET);
    nl_addr* dst = nl_addr_build(AF_INET, rule.to.bytes.data(), 4);
    nl_addr_set_prefixlen(dst, 32);
    rtnl_rule_set_dst(r, dst);
    nl_addr_put(dst);
    rtnl_rule_set_table(r, rule.table);
    rtnl_rule_set_prio(r, rule.priority);
    rtnl_rule_set_action(r, FR_ACT_TO_TBL);
    rtnl_rule_set_protocol(r, protocol);
    int err = add ? rtnl_rule_add(sock, r, NLM_F_CREATE)
                  : rtnl_rule_delete(sock, r, 0);
    rtnl_rule_put(r);
    if (err < 0)
      die(std::string{"one by one: "} + nl_geterror(err));
  }
  nl_socket_free(sock);
}

} // namespace

int main() {
  const porter::net::agent_settings settings;
  auto opened = porter::net::io::netlink_rule_table::open(settings.protocol);
  if (!opened)
    die(opened.error());
  auto& table = **opened;
  const auto want = eips();

  const double program = ms_of([&] { converge(table, want, settings); });
  if (porter_rules(table) != want.size())
    die("the kernel does not hold 10k rules after programming");
  const double idle_pass = ms_of([&] { converge(table, want, settings); });
  const double remove = ms_of([&] { converge(table, {}, settings); });
  if (porter_rules(table) != 0)
    die("rules left after removing");

  // The same rules (priorities, order) one request at a time.
  const auto plan = porter::net::plan_rule_changes(want, {}, settings);
  const double program_single
    = ms_of([&] { one_by_one(plan.add_rules, true, settings.protocol); });
  if (porter_rules(table) != want.size())
    die("one by one: not 10k rules");
  auto removals = plan.add_rules;
  std::reverse(removals.begin(), removals.end());
  const double remove_single
    = ms_of([&] { one_by_one(removals, false, settings.protocol); });
  if (porter_rules(table) != 0)
    die("one by one: rules left");

  // Batched, but every rule at one priority (a range of one): the kernel
  // walks the whole list for each insert.
  auto single = settings;
  single.rule_priorities = 1;
  const double program_one_priority
    = ms_of([&] { converge(table, want, single); });
  if (porter_rules(table) != want.size())
    die("one priority: not 10k rules");
  converge(table, {}, single);
  if (auto have = table.read(); have) // the local route too
    table.apply(porter::net::plan_cleanup(*have));
  auto left = table.read();
  if (!left || !left->rules.empty() || !left->routes.empty())
    die("the namespace is not clean at the end");

  std::printf("bench agent.program10k %.1f ms\n", program);
  std::printf("bench agent.remove10k %.1f ms\n", remove);
  std::printf("bench agent.check10k %.1f ms\n", idle_pass);
  std::printf("bench agent.program10k_ops_per_s %.0f ops/s\n",
              eip_count / (program / 1000));
  std::printf("bench agent.program10k_one_by_one %.1f ms\n", program_single);
  std::printf("bench agent.remove10k_one_by_one %.1f ms\n", remove_single);
  std::printf("bench agent.program10k_ratio_vs_one_by_one %.2f x\n",
              program_single / program);
  std::printf("bench agent.program10k_one_priority %.1f ms\n",
              program_one_priority);
  return 0;
}
