// `porter sim run FILE` (issue #10 item 3): a scenario file
// (sim/scenario/scenario.hpp) played against a virtual cluster
// (actors/sim_cluster): its objects created, its steps executed in order,
// every expectation judged, probes counted, the timeline written. A bad
// file is one line naming the line and the field, exit 2.
#pragma once

#include <string>

namespace porter {

struct sim_run_options {
  std::string file;
  std::string work_dir; ///< empty: a new /tmp directory, removed on PASS
  bool keep = false;
  std::string report = "porter-sim-report.html";
};

/// 0 when every expectation held, 1 when one did not, 2 for a bad file.
int run_sim_scenario(const sim_run_options& o);

} // namespace porter
