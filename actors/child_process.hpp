// A child process of `porter sim` (the manager replicas): started with its
// output appended to a log file, killed with the parent (PR_SET_PDEATHSIG),
// signalled and reaped by the demo. Not copyable; the destructor kills and
// reaps a child that still runs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>
#include <tl/expected.hpp>

namespace porter {

class child_process {
public:
  /// argv[0] is the executable (a path, or a name looked up in PATH).
  static tl::expected<child_process, std::string>
  start(const std::vector<std::string>& argv, const std::string& log_path);

  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  /// Reaps the child if it exited within `timeout`; true if it has.
  bool wait_for(std::chrono::milliseconds timeout);
  bool running() const { return pid_ > 0 && !exited_; }
  /// The exit code once reaped (128 + signal for a killed child).
  int exit_code() const { return exit_code_; }

private:
  explicit child_process(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
};

} // namespace porter
