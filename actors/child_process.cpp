#include "actors/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace porter {

tl::expected<child_process, std::string>
child_process::start(const std::vector<std::string>& argv,
                     const std::string& log_path) {
  // Everything the child needs is prepared before fork(): after it, only
  // async-signal-safe calls (the parent has threads).
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int log
    = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0)
    return tl::unexpected{log_path + ": " + std::strerror(errno)};
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(log);
    return tl::unexpected{std::string{"fork: "} + std::strerror(err)};
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(127); // the parent is already gone
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execvp(args[0], args.data()); // a bare name is looked up in PATH
    _exit(127);
  }
  close(log);
  return child_process{pid};
}

child_process::child_process(child_process&& other) noexcept
    : pid_(other.pid_), exited_(other.exited_), exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    this->~child_process();
    pid_ = other.pid_;
    exited_ = other.exited_;
    exit_code_ = other.exit_code_;
    other.pid_ = -1;
  }
  return *this;
}

child_process::~child_process() {
  if (running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void child_process::signal(int sig) const {
  if (running())
    kill(pid_, sig);
}

bool child_process::wait_for(std::chrono::milliseconds timeout) {
  if (pid_ <= 0 || exited_)
    return true;
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      exited_ = true;
      if (r == pid_)
        exit_code_
          = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return true;
    }
    if (std::chrono::steady_clock::now() >= end)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

} // namespace porter
