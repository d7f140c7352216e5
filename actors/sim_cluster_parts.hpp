// The inside of actors/sim_cluster, shared by its two source files
// (sim_cluster.cpp: the parts and their start; sim_cluster_api.cpp: the
// API calls). Include only from those.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include <caf/all.hpp>

#include "actors/child_process.hpp"
#include "actors/sim_cluster.hpp"
#include "actors/sim_switch.hpp"
#include "k8s/io/api_client.hpp"
#include "net/io/memory_rule_table.hpp"
#include "net/io/tcp.hpp"
#include "sim/apiserver/io/api_server.hpp"

namespace porter {

struct sim_cluster::parts {
  std::shared_ptr<net::io::io_thread> io
    = std::make_shared<net::io::io_thread>();
  std::unique_ptr<sim::api_server> server;
  k8s::client_config config;
  std::shared_ptr<k8s::io::api_client> client;
  caf::actor_system_config sys_cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<fabric_board> board = std::make_shared<fabric_board>();
  std::vector<caf::actor> actors;
  std::map<std::string, std::shared_ptr<net::io::memory_rule_table>> tables;
  std::map<std::string, child_process> replicas;
  std::map<std::string, caf::actor> switches;
};

} // namespace porter
