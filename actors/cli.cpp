#include "actors/cli.hpp"

#include <iostream>
#include <string>

#include "porter_version.hpp"
#include <CLI/CLI.hpp>

#include "actors/logging.hpp"

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

int not_in_this_build(const char* command, const char* issue) {
  std::cerr << "porter " << command << ": not available in this build yet ("
            << issue << ")\n";
  return 1;
}

} // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"porter: BGP load balancer for bare-metal Kubernetes", "porter"};
  app.require_subcommand(1);
  global_options global;
  app
    .add_option("--log-level", global.log_level,
                "trace, debug, info, warn or error")
    ->capture_default_str();
  app.add_option("--log-format", global.log_format, "logfmt or json")
    ->capture_default_str();
  app.set_version_flag("--version", version_line());

  auto* version = app.add_subcommand("version", "Print version and commit");
  auto* manager = app.add_subcommand(
    "manager", "Allocate EIPs and announce them over BGP (Deployment)");
  auto* agent = app.add_subcommand(
    "agent", "Install the node rules for EIPs in use (DaemonSet)");
  auto* inspect = app.add_subcommand(
    "inspect", "Show actors, peers, routes, pools of a running process");
  auto* sim = app.add_subcommand(
    "sim", "Run a virtual cluster with virtual switches on this machine");

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
  auto fmt = log::parse_format(global.log_format);
  if (!fmt)
    return usage_error(fmt.error());
  log::init(*lvl, *fmt);

  if (version->parsed()) {
    std::cout << version_line() << "\n";
    return 0;
  }
  if (manager->parsed())
    return not_in_this_build("manager", "issue #7");
  if (agent->parsed())
    return not_in_this_build("agent", "issue #9");
  if (inspect->parsed())
    return not_in_this_build("inspect", "issue #11");
  if (sim->parsed())
    return not_in_this_build("sim", "issues #5 and #10");
  return usage_error("no subcommand given");
}

} // namespace porter
