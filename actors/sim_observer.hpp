// What `porter sim demo` and `porter sim run` watch of a virtual cluster
// (issue #10 items 1, 2, 5): the routes on every switch against the
// cluster's own model, probes sent "from outside" through the fabric
// (counted per phase), a timeline sampled every 20 ms for the report, and
// the list of expectations that held or not. Its threads read the model;
// change it (through sim_cluster) only while holding lock_model().
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/ip_address.hpp"
#include "sim/scenario/text_table.hpp"
#include "sim/scenario/timeline.hpp"

namespace porter {

class sim_cluster;

/// Milliseconds on the steady clock since `t`.
inline long long ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now() - t)
    .count();
}

class sim_observer {
public:
  sim_observer(sim_cluster& c, std::string title);
  ~sim_observer();
  sim_observer(const sim_observer&) = delete;
  sim_observer& operator=(const sim_observer&) = delete;

  std::unique_lock<std::mutex> lock_model() {
    return std::unique_lock{model_mutex_};
  }

  // --- routes against the model
  /// Every modelled Service has an EIP, each switch the expected next hops,
  /// every node's agent the rule. One row per Service and switch.
  bool routes(std::vector<sim::text_row>* rows);
  /// Polls routes() until it holds; `took` is the time waited.
  bool wait_routes(std::chrono::milliseconds limit, long long& took);
  void print_routes(const std::string& title);
  /// The Services' EIPs now (one LIST), by name.
  std::map<std::string, std::vector<net::ip_address>> eips();
  /// Node names, leaf names, else addresses.
  std::string names(const std::vector<net::ip_address>& ips);

  // --- probes and the timeline
  /// The timeline's sampler; probes start once there is something to
  /// reach (start_probes).
  void start();
  void start_probes();
  void stop();
  void phase(const std::string& name);
  void event(const std::string& label);
  long long lost(const std::string& phase);
  long long lost_total();
  void print_probes(const std::string& phase);
  double seconds_since_start() const;

  // --- the verdict
  void expect(bool ok, const std::string& what);
  /// Writes the report, prints the summary; 0 only if all held.
  int finish(const std::string& report_path);

private:
  struct counts {
    long long sent = 0;
    long long lost = 0;
    std::map<std::string, long long> why;
  };

  void probe_loop();
  void sample_loop();
  void write_report(const std::string& path);

  sim_cluster& c_;
  std::mutex model_mutex_;
  std::map<std::string, std::vector<net::ip_address>> eips_; ///< model_mutex_
  std::chrono::steady_clock::time_point start_;
  std::mutex probe_mutex_;
  std::string phase_;
  std::map<std::string, counts> counts_;
  long long sent_ = 0, lost_ = 0;
  std::mutex timeline_mutex_;
  sim::timeline timeline_;
  std::atomic<bool> stop_{false};
  std::thread prober_, sampler_;
  std::vector<std::pair<bool, std::string>> checks_;
};

} // namespace porter
