#include "actors/cli.hpp"

#include <iostream>
#include <string>

#include "porter_version.hpp"
#include <CLI/CLI.hpp>

#include "actors/agent_command.hpp"
#include "actors/inspect_command.hpp"
#include "actors/logging.hpp"
#include "actors/manager_command.hpp"
#include "actors/sim_demo.hpp"
#include "actors/sim_run.hpp"
#include "sim/apiserver/io/run_apiserver.hpp"

namespace porter {

namespace {

constexpr int exit_usage = 2;

struct global_options {
  std::string log_level = "info";
  std::string log_format = "logfmt";
};

std::string version_line() {
  return std::string("porter ") + PORTER_VERSION + " (commit "
         + PORTER_GIT_COMMIT + ")";
}

// The one line printed for a bad command line.
int usage_error(const std::string& what) {
  std::cerr << "porter: " << what << " (see porter --help)\n";
  return exit_usage;
}

log::level sim_level(const char* level) {
  std::string_view l = level;
  if (l == "debug")
    return log::level::debug;
  if (l == "warn")
    return log::level::warn;
  if (l == "error")
    return log::level::error;
  return log::level::info;
}

// The emulator logs through porter's logger; its fields come as a vector,
// the logger takes a braced list (at most four fields are used).
void sim_log(const char* level, const std::string& event,
             const sim::log_fields& f) {
  auto lvl = sim_level(level);
  auto at = [&](std::size_t i) { return log::field{f[i].first, f[i].second}; };
  switch (f.size()) {
    case 0:
      log::write(lvl, event, {});
      break;
    case 1:
      log::write(lvl, event, {at(0)});
      break;
    case 2:
      log::write(lvl, event, {at(0), at(1)});
      break;
    case 3:
      log::write(lvl, event, {at(0), at(1), at(2)});
      break;
    default:
      log::write(lvl, event, {at(0), at(1), at(2), at(3)});
      break;
  }
}

CLI::App* add_sim_apiserver(CLI::App& sim, sim::apiserver_command& cmd) {
  auto* api = sim.add_subcommand(
    "apiserver", "Kubernetes API server emulator kubectl can talk to");
  api->add_option("--listen", cmd.listen, "HOST:PORT (port 0: any free port)")
    ->capture_default_str();
  api->add_flag("--tls", cmd.tls,
                "Serve https with a generated CA; require the bearer token");
  api->add_option("--token", cmd.token,
                  "Bearer token clients must send (default with --tls: "
                  "random, written to the kubeconfig)");
  api->add_option("--token-auth-file", cmd.token_auth_file,
                  "More users, one per line: token,user,uid[,\"groups\"] "
                  "(kube-apiserver's format)");
  api->add_option("--audit-log", cmd.audit_log,
                  "Append one line per request: user verb group resource "
                  "subresource namespace name code");
  api
    ->add_option("--kubeconfig-out", cmd.kubeconfig_out,
                 "Write a kubeconfig for this server here")
    ->required();
  api->add_option("--state", cmd.state_file,
                  "Load objects from FILE at start, save them on change and "
                  "at exit");
  api
    ->add_option("--watch-window", cmd.watch_window,
                 "Watch history kept, in events (older RVs get 410)")
    ->capture_default_str();
  api
    ->add_option("--bookmark-interval", cmd.bookmark_interval_seconds,
                 "Seconds between watch BOOKMARKs")
    ->capture_default_str();
  return api;
}

} // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"porter: BGP load balancer for bare-metal Kubernetes", "porter"};
  app.require_subcommand(1);
  global_options global;
  auto* log_level = app
                      .add_option("--log-level", global.log_level,
                                  "trace, debug, info, warn or error")
                      ->capture_default_str();
  app.add_option("--log-format", global.log_format, "logfmt or json")
    ->capture_default_str();
  app.set_version_flag("--version", version_line());

  auto* version = app.add_subcommand("version", "Print version and commit");
  auto* manager = app.add_subcommand(
    "manager", "Allocate EIPs and announce them over BGP (Deployment)");
  manager_command manager_cmd;
  manager->add_option("--kubeconfig", manager_cmd.kubeconfig,
                      "kubeconfig file (else KUBECONFIG, in-cluster, "
                      "~/.kube/config)");
  manager->add_option("--namespace", manager_cmd.namespace_,
                      "namespace of the Lease (default: the config's)");
  manager
    ->add_option("--identity", manager_cmd.identity,
                 "this replica's name in the Lease (the pod name)")
    ->required()
    ->envname("POD_NAME");
  manager->add_option("--lease-name", manager_cmd.lease_name)
    ->capture_default_str();
  manager->add_flag("--default-class", manager_cmd.default_class,
                    "also serve LoadBalancer Services without a class");
  manager
    ->add_option("--node-name", manager_cmd.node_name,
                 "the node this replica runs on (routerId fallback, BgpPeer "
                 "nodeSelector)")
    ->envname("NODE_NAME");
  manager->add_option("--node-selector", manager_cmd.node_selector,
                      "only nodes matching this label selector (k=v,k!=v,k,!k) "
                      "are next hops");
  manager->add_option("--bgp-config", manager_cmd.bgp_config,
                      "gobgp-style config.toml (as in Porter's "
                      "config/bgp/config.toml) instead of BgpConf/BgpPeer");
  manager
    ->add_option("--shutdown-grace", manager_cmd.shutdown_grace,
                 "seconds a stopping leader keeps advertising")
    ->capture_default_str();
  manager
    ->add_option("--admin-listen", manager_cmd.admin_listen,
                 "HOST:PORT of /healthz and /readyz (port 0: any free "
                 "port; empty: off)")
    ->capture_default_str();
  manager->add_option("--admin-token-file", manager_cmd.admin_token_file,
                      "bearer token /debug/ requires from non-loopback "
                      "clients");
  manager->add_option("--lease-duration", manager_cmd.lease_duration, "seconds")
    ->capture_default_str();
  manager->add_option("--renew-deadline", manager_cmd.renew_deadline, "seconds")
    ->capture_default_str();
  manager->add_option("--retry-period", manager_cmd.retry_period, "seconds")
    ->capture_default_str();
  auto* agent = app.add_subcommand(
    "agent", "Install the node rules for EIPs in use (DaemonSet)");
  agent_command agent_cmd;
  agent->add_option("--kubeconfig", agent_cmd.kubeconfig,
                    "kubeconfig file (else KUBECONFIG, in-cluster, "
                    "~/.kube/config)");
  agent->add_option("--node", agent_cmd.node, "this node's name")
    ->envname("NODE_NAME");
  agent->add_option("--table", agent_cmd.table, "routing table of the rules")
    ->capture_default_str();
  agent
    ->add_option("--rule-priority", agent_cmd.rule_priority,
                 "first priority of porter's rule range")
    ->capture_default_str();
  agent
    ->add_option("--rule-priorities", agent_cmd.rule_priorities,
                 "size of porter's rule range (one priority per EIP; the "
                 "range must end before main's rule at 32766)")
    ->capture_default_str();
  agent->add_flag("--default-class", agent_cmd.default_class,
                  "LoadBalancer Services without a class are porter's "
                  "(as the manager's flag)");
  agent
    ->add_option("--resync-period", agent_cmd.resync_period,
                 "seconds between full checks of the node's rules")
    ->capture_default_str();
  agent
    ->add_option("--admin-listen", agent_cmd.admin_listen,
                 "HOST:PORT of /healthz and /readyz (port 0: any free "
                 "port; empty: off)")
    ->capture_default_str();
  agent->add_option("--admin-token-file", agent_cmd.admin_token_file,
                    "bearer token /debug/ requires from non-loopback clients");
  agent->add_flag("--cleanup", agent_cmd.cleanup,
                  "remove porter's rules and routes from this node and exit");
  auto* inspect = app.add_subcommand(
    "inspect", "Show actors, peers, routes, pools, services, leader or rules "
               "of a running manager or agent");
  inspect_command inspect_cmd;
  inspect->add_option("SECTION", inspect_cmd.section)
    ->required()
    ->check(CLI::IsMember(
      {"actors", "peers", "routes", "pools", "services", "leader", "rules"}));
  inspect->add_option("PREFIX", inspect_cmd.prefix,
                      "routes: only EIPs inside this address or prefix");
  inspect
    ->add_option("--endpoint", inspect_cmd.endpoint,
                 "HOST:PORT of its --admin-listen (agents: 9611)")
    ->capture_default_str();
  auto* token_file
    = inspect->add_option("--token-file", inspect_cmd.token_file,
                          "bearer token for a non-loopback endpoint");
  inspect
    ->add_option("--token", inspect_cmd.token,
                 "the bearer token itself (visible to `ps`; prefer a file)")
    ->excludes(token_file);
  inspect->add_option("-o,--output", inspect_cmd.output)
    ->check(CLI::IsMember({"table", "json"}))
    ->capture_default_str();
  inspect->add_flag("--watch", inspect_cmd.watch, "redraw every second");
  auto* sim = app.add_subcommand(
    "sim", "Run a virtual cluster with virtual switches on this machine");
  sim->require_subcommand(1);
  sim::apiserver_command apiserver_cmd;
  auto* sim_apiserver = add_sim_apiserver(*sim, apiserver_cmd);
  sim_demo_options demo_opts;
  auto* sim_demo = sim->add_subcommand(
    "demo", "A virtual cluster and fabric: watch porter allocate, announce, "
            "fail over (what `make sim` runs)");
  sim_demo->add_option("--work-dir", demo_opts.work_dir,
                       "logs and kubeconfig here (default: a new /tmp dir, "
                       "removed after a PASS)");
  sim_demo->add_flag("--keep", demo_opts.keep, "keep the work directory");
  sim_demo
    ->add_option("--fabric", demo_opts.fabric,
                 "virtual (porter's own switches) or bird (BIRD 2 and network "
                 "namespaces, root)")
    ->check(CLI::IsMember({"virtual", "bird"}))
    ->capture_default_str();
  sim_demo
    ->add_option("--report", demo_opts.report,
                 "write the run's timeline (HTML with an SVG) here")
    ->capture_default_str();
  sim_run_options run_opts;
  auto* sim_run = sim->add_subcommand(
    "run", "Play a scenario file (sim/scenarios/*.yaml) on a virtual cluster");
  sim_run->add_option("FILE", run_opts.file, "the scenario")->required();
  sim_run->add_option("--work-dir", run_opts.work_dir,
                      "logs and kubeconfig here (default: a new /tmp dir, "
                      "removed after a PASS)");
  sim_run->add_flag("--keep", run_opts.keep, "keep the work directory");
  sim_run
    ->add_option("--report", run_opts.report,
                 "write the run's timeline (HTML with an SVG) here")
    ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << version_line() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }

  auto lvl = log::parse_level(global.log_level);
  if (!lvl)
    return usage_error(lvl.error());
  // The demo's own output is its tables; its actors speak up only when
  // something is wrong, unless asked to.
  if ((sim_demo->parsed() || sim_run->parsed()) && log_level->count() == 0)
    lvl = log::level::warn;
  auto fmt = log::parse_format(global.log_format);
  if (!fmt)
    return usage_error(fmt.error());
  log::init(*lvl, *fmt);

  if (version->parsed()) {
    std::cout << version_line() << "\n";
    return 0;
  }
  if (manager->parsed())
    return run_manager(manager_cmd);
  if (agent->parsed())
    return run_agent(agent_cmd);
  if (inspect->parsed())
    return run_inspect(inspect_cmd);
  if (sim_apiserver->parsed())
    return sim::run_apiserver(apiserver_cmd, sim_log);
  if (sim_demo->parsed())
    return run_sim_demo(demo_opts);
  if (sim_run->parsed())
    return run_sim_scenario(run_opts);
  return usage_error("no subcommand given");
}

} // namespace porter
