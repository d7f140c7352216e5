#include "actors/agent_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <caf/all.hpp>

#include "actors/admin_endpoint.hpp"
#include "actors/agent.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/runtime.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/io/load_config.hpp"
#include "net/capability.hpp"
#include "net/io/http_endpoint.hpp"
#include "net/io/netlink_monitor.hpp"
#include "net/io/netlink_rule_table.hpp"
#include "net/io/readiness.hpp"
#include "net/io/status_board.hpp"
#include "net/io/tcp.hpp"

namespace porter {

namespace {

int fail(const std::string& line) {
  std::cerr << "porter agent: " << line << "\n";
  return 1;
}

/// Says at start, in one line, that changes will be refused.
void warn_without_net_admin() {
  std::ifstream in{"/proc/self/status"};
  std::stringstream text;
  text << in.rdbuf();
  if (net::has_effective_capability(text.str(), net::cap_net_admin)
      != std::optional<bool>{false})
    return;
  const std::string why = "no CAP_NET_ADMIN: rules cannot be changed; "
                          "/readyz stays not ready until it is granted";
  std::cerr << "porter agent: " << why << "\n";
  log::error("agent_missing_capability", {{"detail", why}});
}

int run_cleanup(const net::agent_settings& settings) {
  auto table = net::io::netlink_rule_table::open(settings.protocol);
  if (!table)
    return fail("--cleanup: " + table.error());
  auto have = (*table)->read();
  if (!have)
    return fail("--cleanup: " + have.error());
  auto changes = net::plan_cleanup(*have);
  auto result = (*table)->apply(changes);
  if (!result.ok())
    return fail("--cleanup: " + result.errors.front() + " ("
                + std::to_string(result.errors.size()) + " of "
                + std::to_string(changes.remove_rules.size()
                                 + changes.remove_routes.size())
                + " failed)");
  std::cout << "porter agent: removed " << changes.remove_rules.size()
            << " rules and " << changes.remove_routes.size() << " routes\n";
  return 0;
}

} // namespace

int run_agent(const agent_command& cmd) {
  net::agent_settings settings;
  settings.table = cmd.table;
  settings.rule_priority = cmd.rule_priority;
  settings.rule_priorities = cmd.rule_priorities;
  if (auto ok = net::validate(settings); !ok)
    return fail(ok.error());
  if (cmd.cleanup)
    return run_cleanup(settings);
  if (cmd.node.empty())
    return fail("--node (or NODE_NAME) is required");
  k8s::io::load_options lo;
  lo.kubeconfig = cmd.kubeconfig;
  lo.warn = [](const std::string& w) {
    log::warn("kubeconfig", {{"warning", w}});
  };
  auto cfg = k8s::io::load_client_config(lo);
  if (!cfg)
    return fail(cfg.error());
  auto table = net::io::netlink_rule_table::open(settings.protocol);
  if (!table)
    return fail(table.error());
  warn_without_net_admin();
  auto io = std::make_shared<net::io::io_thread>();
  auto client = k8s::io::make_api_client(*cfg, io);
  if (!client)
    return fail(client.error());
  agent_args args;
  args.client = *client;
  args.settings = settings;
  args.default_class = cmd.default_class;
  args.node_name = cmd.node;
  args.drop_code_pages = true;
  args.resync_period = std::chrono::milliseconds{
    static_cast<long long>(cmd.resync_period * 1000)};
  args.readiness = std::make_shared<net::io::readiness>();
  args.board = std::make_shared<net::io::status_board>();
  const std::uint32_t own_port = (*table)->port_id();
  args.table = std::shared_ptr<net::rule_table>{std::move(*table)};
  std::unique_ptr<net::io::http_endpoint> admin;
  if (!cmd.admin_listen.empty()) {
    auto token = read_token_file(cmd.admin_token_file);
    if (!token)
      return fail(token.error());
    auto ep = serve_admin(*io, cmd.admin_listen,
                          {args.readiness, args.board, *token});
    if (!ep)
      return fail("--admin-listen " + ep.error());
    admin = std::move(*ep);
    log::info("admin_listening", {{"address", cmd.admin_listen},
                                  {"port", std::to_string(admin->port())}});
  }
  log::info(
    "agent_starting",
    {{"node", cmd.node},
     {"api", cfg->source},
     {"table", std::to_string(settings.table)},
     {"priorities", std::to_string(settings.rule_priority) + "-"
                      + std::to_string(settings.rule_priority
                                       + settings.rule_priorities - 1)}});
  caf::actor_system_config sys_cfg;
  caf::actor_system sys{sys_cfg};
  auto agent = spawn_agent(sys, std::move(args));
  auto monitor = net::io::netlink_monitor::start(
    *io, settings.protocol, own_port,
    [agent] { caf::anon_send(agent, atoms::resync_atom_v); });
  if (!monitor) // the periodic check still repairs drift
    log::warn("netlink_monitor_unavailable", {{"error", monitor.error()}});
  run_until_signal(sys, agent);
  return 0;
}

} // namespace porter
