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

/// One malloc arena for the whole process unless MALLOC_ARENA_MAX says
/// otherwise. glibc gives each thread that allocates its own arena; porter's
/// threads (CAF workers, the I/O thread) hand objects to each other, so the
/// long-lived ones end up scattered over several arenas, each kept mostly
/// empty: 10k cached Services held 121 MB RSS for 30 MB in use with the
/// default, 56 MB with one arena. Call first in main.
void use_one_heap_arena();

/// Returns the heap's free pages to the kernel (glibc malloc_trim). A burst
/// (a relist, thousands of writes) leaves freed memory scattered over the
/// heap and glibc keeps it; an actor calls this when its burst is over.
void release_free_memory();

} // namespace porter
