// Process bootstrap for actor-based subcommands: the CAF actor system set up
// once, and SIGTERM/SIGINT turned into an orderly shutdown of the actor tree
// (exit message to the root supervisor, which stops its children first).
#pragma once

#include <caf/fwd.hpp>

namespace porter {

/// Blocks SIGTERM and SIGINT in the calling thread. Call first in main, before
/// any thread exists, so every thread inherits the mask and only
/// `run_until_signal` receives them.
void block_termination_signals();

/// Waits until SIGTERM/SIGINT arrives or `root` terminates by itself. On a
/// signal, sends `root` an exit message (user_shutdown) and waits for it to
/// terminate. Returns the signal number, or 0 when `root` ended on its own.
int run_until_signal(caf::actor_system& sys, const caf::actor& root);

} // namespace porter
