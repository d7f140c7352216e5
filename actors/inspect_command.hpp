// `porter inspect` (issue #11 item 3): one /debug/ page of a running
// manager or agent, as a table or its JSON; --watch redraws every second.
#pragma once

#include <string>

namespace porter {

struct inspect_command {
  std::string endpoint = "127.0.0.1:9610";
  std::string token_file;
  std::string token; ///< --token, instead of a file
  /// actors, peers, routes, pools, services, leader, rules
  std::string section;
  std::string prefix;           ///< routes: only EIPs inside it
  std::string output = "table"; ///< table or json
  bool watch = false;
};

/// 0 on success; 1 with one line when the endpoint cannot be read.
int run_inspect(const inspect_command& cmd);

} // namespace porter
