#include "sim/apiserver/io/run_apiserver.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <pthread.h>
#include <sys/stat.h>

#include "net/host_port.hpp"
#include "sim/apiserver/kubeconfig.hpp"

namespace porter::sim {

namespace {

tl::expected<net::host_port, std::string>
parse_listen(const std::string& text) {
  auto hp = net::parse_host_port(text);
  if (!hp)
    return tl::make_unexpected("--listen " + hp.error());
  return hp;
}

std::string random_token() {
  std::random_device rd;
  std::string out;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i)
    out += hex[rd() % 16];
  return out;
}

tl::expected<void, std::string> write_private_file(const std::string& path,
                                                   const std::string& text) {
  auto tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
      return tl::make_unexpected("cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return tl::make_unexpected("cannot write " + path);
  return {};
}

sigset_t waited_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1); // wakes the waiter when serving ended by itself
  return set;
}

// Serves on this thread; a second thread turns SIGTERM/SIGINT into stop().
int serve_until_signal(api_server& server, const log_function& log) {
  auto set = waited_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::atomic<int> received{0};
  std::thread waiter([&] {
    int sig = 0;
    if (sigwait(&set, &sig) != 0 || sig == SIGUSR1)
      return;
    received = sig;
    if (log)
      log("info", "shutdown", {{"signal", sig == SIGTERM ? "TERM" : "INT"}});
    server.stop();
  });
  server.run();
  if (received == 0)
    pthread_kill(waiter.native_handle(), SIGUSR1);
  waiter.join();
  return 0;
}

} // namespace

int run_apiserver(const apiserver_command& cmd, const log_function& log) {
  auto hp = parse_listen(cmd.listen);
  if (!hp) {
    std::fprintf(stderr, "porter sim apiserver: %s\n", hp.error().c_str());
    return 2;
  }
  server_options opts;
  opts.host = hp->host;
  opts.port = hp->port;
  opts.tls = cmd.tls;
  opts.token = cmd.tls && cmd.token.empty() ? random_token() : cmd.token;
  if (!cmd.token_auth_file.empty()) {
    std::ifstream in(cmd.token_auth_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto users = in ? parse_token_auth_file(text.str())
                    : tl::make_unexpected(std::string("cannot read it"));
    if (!users) {
      std::fprintf(stderr, "porter sim apiserver: --token-auth-file %s: %s\n",
                   cmd.token_auth_file.c_str(), users.error().c_str());
      return 2;
    }
    opts.users = std::move(*users);
  }
  opts.audit_log = cmd.audit_log;
  opts.state_file = cmd.state_file;
  opts.core.watch_window = cmd.watch_window;
  opts.bookmark_interval = std::chrono::milliseconds{
    static_cast<long long>(cmd.bookmark_interval_seconds * 1000)};
  opts.core.server_address = hp->host + ":" + std::to_string(hp->port);
  opts.log = log;
  api_server server(opts);
  auto started = server.start();
  if (!started) {
    std::fprintf(stderr, "porter sim apiserver: %s\n", started.error().c_str());
    return 1;
  }
  if (!cmd.kubeconfig_out.empty()) {
    auto r = write_private_file(
      cmd.kubeconfig_out,
      make_kubeconfig({server.url(), server.ca_pem(), opts.token}));
    if (!r) {
      std::fprintf(stderr, "porter sim apiserver: %s\n", r.error().c_str());
      return 1;
    }
  }
  if (log)
    log("info", "apiserver listening",
        {{"url", server.url()},
         {"kubeconfig", cmd.kubeconfig_out},
         {"tls", cmd.tls ? "true" : "false"}});
  return serve_until_signal(server, log);
}

} // namespace porter::sim
