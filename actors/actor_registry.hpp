// The process's actor registry (issue #11 item 2): every porter actor
// enrolls when it starts (actors/actor_card.hpp) and leaves when it ends,
// so /debug/actors, `porter inspect actors` and the porter_actor_* metrics
// can show what runs, what each one is doing and whether one is stuck.
// Thread-safe: actors write their own entry, the admin endpoint reads.
//
// CAF 0.17 offers no hook around message handling (its actor profiler is
// compiled out of Debian's libcaf), so the card wraps each handler; the
// mailbox depth is read by the actor itself when it takes a message. An
// actor stuck inside one message shows it as `busy` time that keeps growing.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace porter::actor_registry {

using clock = std::chrono::steady_clock;

/// One actor as the registry sees it.
struct actor_row {
  std::uint64_t id = 0; ///< CAF actor id
  std::string kind;     ///< bgp_session, eip_pool, watcher, ...
  std::string key;      ///< peer, pool, node, watched kind, ...
  std::string summary;  ///< one line, after its last message
  std::uint64_t messages = 0;
  std::uint64_t mailbox = 0; ///< messages waiting when it took the last one
  std::string last_message;  ///< handler of the last message taken
  double idle_seconds = 0;   ///< since its last message ended (0 while busy)
  double busy_seconds = 0;   ///< in the current message; 0 when idle
  std::uint32_t restarts = 0;
};

/// Enrolls an actor; `restarts` is how often an actor of this kind and key
/// ended abnormally before (the supervisor's or parent's restarts).
void enroll(std::uint64_t id, std::string kind, std::string key);
/// It ended; `abnormal`: by an error rather than a stop someone asked for.
void leave(std::uint64_t id, bool abnormal);

void message_started(std::uint64_t id, std::string_view handler,
                     std::uint64_t mailbox);
void message_finished(std::uint64_t id, std::string summary);
void set_summary(std::uint64_t id, std::string summary);

/// Every enrolled actor, sorted by kind, key, id; times relative to `now`.
std::vector<actor_row> snapshot(clock::time_point now = clock::now());

/// A handler's message type without namespaces, for the LAST column:
/// "porter::watch_batch<porter::k8s::lease>" → "watch_batch<lease>".
std::string without_namespaces(std::string_view demangled);

/// Refreshes porter_actors, porter_actor_mailbox_depth,
/// porter_actor_messages_total and porter_actor_busy_seconds from the rows.
void export_metrics(const std::vector<actor_row>& rows);

} // namespace porter::actor_registry
