// The lab of `porter sim demo --fabric=bird` (actors/sim_bird): network
// namespaces, links, BIRD, the API server emulator, the nodes' agents,
// HTTP servers and managers, and the outside client — built, driven and
// torn down (every process killed, every namespace deleted) with it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "actors/child_process.hpp"

namespace porter {

/// tor: BIRD and the API server; bridge 10.97.0.1/24 to the nodes
/// (10.97.0.11-13), 10.98.0.1/24 to the client (10.98.0.2), 10.99.0.2/30
/// to this process.
inline constexpr const char* bird_lab_tor_ip = "10.97.0.1";
inline constexpr int bird_lab_api_port = 6443;

class bird_lab {
public:
  explicit bird_lab(std::string dir);
  ~bird_lab();
  bird_lab(const bird_lab&) = delete;
  bird_lab& operator=(const bird_lab&) = delete;
  /// Runs a command to its end; its output goes to the lab's log.
  bool run(const std::vector<std::string>& argv);
  /// Its standard output (threads may call this at once).
  std::string output(const std::vector<std::string>& argv);
  void background(const std::string& name, std::vector<std::string> argv);
  void kill(const std::string& name);
  std::vector<std::string> in(const std::string& ns,
                              std::vector<std::string> argv);
  tl::expected<void, std::string> build(const std::string& porter);
  void start_nodes(const std::string& porter);
  void start_manager(const std::string& porter, std::size_t i);
  /// The tor's kernel next hops for `eip`, ascending.
  std::vector<std::string> next_hops(const std::string& eip);
  /// The client's answers: node name → count, "failed" → count.
  std::map<std::string, int> requests(const std::string& eip, int count,
                                      double seconds);

private:
  std::vector<std::string> all() const;
  bool link(const std::string& a_name, const std::string& a_ns,
            const std::string& a_addr, const std::string& b_name,
            const std::string& b_ns, const std::string& b_addr);
  std::string dir_;
  std::string tor_, client_;
  std::vector<std::string> nodes_;
  std::vector<std::string> netns_;
  std::map<std::string, child_process> procs_;
  std::atomic<std::uint64_t> outputs_{0};
};

} // namespace porter
