#include "actors/manager_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <caf/all.hpp>

#include "actors/admin_endpoint.hpp"
#include "actors/logging.hpp"
#include "actors/manager.hpp"
#include "actors/runtime.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/io/load_config.hpp"
#include "k8s/selector_text.hpp"
#include "net/io/http_endpoint.hpp"
#include "net/io/readiness.hpp"
#include "net/io/status_board.hpp"
#include "net/io/tcp.hpp"

namespace porter {

namespace {

std::chrono::milliseconds seconds(double s) {
  return std::chrono::milliseconds{static_cast<long long>(s * 1000)};
}

} // namespace

int run_manager(const manager_command& cmd) {
  k8s::io::load_options lo;
  lo.kubeconfig = cmd.kubeconfig;
  lo.warn = [](const std::string& w) {
    log::warn("kubeconfig", {{"warning", w}});
  };
  auto cfg = k8s::io::load_client_config(lo);
  if (!cfg) {
    std::cerr << "porter manager: " << cfg.error() << "\n";
    return 1;
  }
  manager_args args;
  args.election.identity = cmd.identity;
  args.election.lease_name = cmd.lease_name;
  args.election.lease_namespace
    = cmd.namespace_.empty() ? cfg->namespace_ : cmd.namespace_;
  args.election.lease_duration = seconds(cmd.lease_duration);
  args.election.renew_deadline = seconds(cmd.renew_deadline);
  args.election.retry_period = seconds(cmd.retry_period);
  if (auto ok = args.election.validate(); !ok) {
    std::cerr << "porter manager: " << ok.error() << "\n";
    return 1;
  }
  auto io = std::make_shared<net::io::io_thread>();
  auto client = k8s::io::make_api_client(*cfg, io);
  if (!client) {
    std::cerr << "porter manager: " << client.error() << "\n";
    return 1;
  }
  args.client = *client;
  args.default_class = cmd.default_class;
  args.secrets_namespace = args.election.lease_namespace;
  args.announce.io = io;
  args.announce.node_name = cmd.node_name;
  args.announce.default_class = cmd.default_class;
  args.announce.grace = seconds(cmd.shutdown_grace);
  if (!cmd.node_selector.empty()) {
    auto sel = k8s::parse_label_selector(cmd.node_selector);
    if (!sel) {
      std::cerr << "porter manager: --node-selector: " << sel.error() << "\n";
      return 1;
    }
    args.announce.node_selector = std::move(*sel);
  }
  if (!cmd.bgp_config.empty()) {
    std::ifstream in{cmd.bgp_config};
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << "porter manager: --bgp-config " << cmd.bgp_config
                << ": cannot read it\n";
      return 1;
    }
    auto sc = bgp::parse_static_config(text.str());
    if (!sc) {
      std::cerr << "porter manager: --bgp-config " << cmd.bgp_config << ": "
                << sc.error() << "\n";
      return 1;
    }
    args.announce.static_config = std::move(*sc);
  }
  args.reporting_instance = cmd.identity;
  args.readiness = std::make_shared<net::io::readiness>();
  args.board = std::make_shared<net::io::status_board>();
  std::unique_ptr<net::io::http_endpoint> admin;
  if (!cmd.admin_listen.empty()) {
    auto token = read_token_file(cmd.admin_token_file);
    if (!token) {
      std::cerr << "porter manager: " << token.error() << "\n";
      return 1;
    }
    auto ep = serve_admin(*io, cmd.admin_listen,
                          {args.readiness, args.board, *token});
    if (!ep) {
      std::cerr << "porter manager: --admin-listen " << ep.error() << "\n";
      return 1;
    }
    admin = std::move(*ep);
    log::info("admin_listening", {{"address", cmd.admin_listen},
                                  {"port", std::to_string(admin->port())}});
  }
  log::info("manager_starting",
            {{"identity", cmd.identity},
             {"api", cfg->source},
             {"lease", args.election.lease_namespace + "/" + cmd.lease_name}});
  caf::actor_system_config sys_cfg;
  caf::actor_system sys{sys_cfg};
  auto root = spawn_manager(sys, std::move(args));
  run_until_signal(sys, root);
  return 0;
}

} // namespace porter
