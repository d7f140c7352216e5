// porter_k8s_probe: drives porter's Kubernetes client from a test script.
//   elect --kubeconfig F --identity ID [--namespace NS] [--lease NAME]
//         [--lease-duration S] [--renew-deadline S] [--retry-period S]
// prints one line per role change, `<unix ms> leader|follower <holder>`,
// flushed at once; on SIGTERM releases the Lease, prints `<unix ms> exited`
// and exits 0. Used by leader_election_test.sh (3 candidates, kill -9,
// graceful release, API outage).
#include <chrono>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <caf/all.hpp>

#include "actors/leader_elector.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/runtime.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/io/load_config.hpp"
#include "net/io/tcp.hpp"

namespace {

long long unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

// `out` is an argument because CAF 0.17 reads a null tuple for an actor
// spawned without any.
caf::behavior role_printer(caf::event_based_actor*, std::FILE* out) {
  return {
    [out](porter::atoms::role_atom, bool leading, const std::string& who) {
      std::fprintf(out, "%lld %s %s\n", unix_ms(),
                   leading ? "leader" : "follower",
                   who.empty() ? "-" : who.c_str());
      std::fflush(out);
    }};
}

} // namespace

int main(int argc, char** argv) {
  porter::block_termination_signals();
  CLI::App app{"porter Kubernetes client probe"};
  app.require_subcommand(1);
  auto* elect = app.add_subcommand("elect", "run one leader candidate");
  std::string kubeconfig;
  porter::k8s::election_config cfg;
  cfg.lease_namespace = "porter-system";
  cfg.lease_name = "porter-manager";
  double lease_s = 15, renew_s = 10, retry_s = 2;
  elect->add_option("--kubeconfig", kubeconfig)->required();
  elect->add_option("--identity", cfg.identity)->required();
  elect->add_option("--namespace", cfg.lease_namespace);
  elect->add_option("--lease", cfg.lease_name);
  elect->add_option("--lease-duration", lease_s);
  elect->add_option("--renew-deadline", renew_s);
  elect->add_option("--retry-period", retry_s);
  CLI11_PARSE(app, argc, argv);

  auto ms = [](double s) {
    return std::chrono::milliseconds{static_cast<long long>(s * 1000)};
  };
  cfg.lease_duration = ms(lease_s);
  cfg.renew_deadline = ms(renew_s);
  cfg.retry_period = ms(retry_s);
  if (auto ok = cfg.validate(); !ok) {
    std::fprintf(stderr, "porter_k8s_probe: %s\n", ok.error().c_str());
    return 2;
  }
  porter::log::init(porter::log::level::info, porter::log::format::logfmt);
  porter::k8s::io::load_options lo;
  lo.kubeconfig = kubeconfig;
  auto client_cfg = porter::k8s::io::load_client_config(lo);
  if (!client_cfg) {
    std::fprintf(stderr, "porter_k8s_probe: %s\n", client_cfg.error().c_str());
    return 1;
  }
  auto io = std::make_shared<porter::net::io::io_thread>();
  auto client = porter::k8s::io::make_api_client(*client_cfg, io);
  if (!client) {
    std::fprintf(stderr, "porter_k8s_probe: %s\n", client.error().c_str());
    return 1;
  }
  caf::actor_system_config sys_cfg;
  caf::actor_system sys{sys_cfg};
  porter::elector_args args;
  args.client = *client;
  args.config = cfg;
  auto printer = sys.spawn(role_printer, stdout);
  args.subscribers = {printer};
  auto elector = porter::spawn_leader_elector(sys, std::move(args));
  porter::run_until_signal(sys, elector);
  std::printf("%lld exited\n", unix_ms());
  std::fflush(stdout);
  caf::anon_send_exit(printer, caf::exit_reason::user_shutdown);
  return 0;
}
