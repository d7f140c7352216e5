#include "actors/runtime.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <caf/all.hpp>
#include <malloc.h>
#include <pthread.h>

#include "actors/logging.hpp"

namespace porter {

namespace {

sigset_t waited_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  // Internal: wakes the waiting thread when the root ended on its own.
  sigaddset(&set, SIGUSR1);
  return set;
}

} // namespace

void block_termination_signals() {
  auto set = waited_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int run_until_signal(caf::actor_system& sys, const caf::actor& root) {
  block_termination_signals();
  std::atomic<int> received{0};
  std::thread waiter([&] {
    auto set = waited_signals();
    int sig = 0;
    while (sigwait(&set, &sig) == 0) {
      if (sig == SIGUSR1)
        return;
      received = sig;
      log::info("shutdown", {{"signal", sig == SIGTERM ? "TERM" : "INT"}});
      caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
      return;
    }
  });
  {
    caf::scoped_actor self{sys};
    self->monitor(root);
    self->receive([](const caf::down_msg&) {});
  }
  if (received == 0)
    pthread_kill(waiter.native_handle(), SIGUSR1);
  waiter.join();
  return received;
}

void use_one_heap_arena() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr)
    mallopt(M_ARENA_MAX, 1);
}

void release_free_memory() {
  malloc_trim(0);
}

} // namespace porter
