// `porter sim apiserver`: the emulator as a standalone process (issue #5
// "Command"). Listens, writes a kubeconfig kubectl can use, serves until
// SIGTERM/SIGINT, then saves --state and exits 0. Bad flags or an unusable
// address: one clear line and a non-zero exit.
#pragma once

#include <cstddef>
#include <string>

#include "sim/apiserver/io/api_server.hpp"

namespace porter::sim {

struct apiserver_command {
  std::string listen = "127.0.0.1:6443"; // host:port, [v6]:port; port 0 = any
  bool tls = false;
  std::string token;           // with --tls and none given, a random one
  std::string token_auth_file; // more users: token,user,uid[,"groups"]
  std::string audit_log;       // one line per request (audit.hpp)
  std::string kubeconfig_out;
  std::string state_file;
  std::size_t watch_window = 20000;
  double bookmark_interval_seconds = 60;
};

/// Runs until SIGTERM/SIGINT; returns the process exit code.
int run_apiserver(const apiserver_command& cmd, const log_function& log);

} // namespace porter::sim
