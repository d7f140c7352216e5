// The timer of an actor that coalesces changes into passes
// (net/coalescer.hpp): on a change, a (timer_atom, generation) message to
// itself, at once or after the coalescer's delay; a newer generation makes
// an older timer a no-op.
#pragma once

#include <chrono>
#include <cstdint>

#include <caf/event_based_actor.hpp>

#include "actors/messages.hpp"
#include "net/coalescer.hpp"

namespace porter {

inline void request_pass(caf::event_based_actor* self, net::coalescer& c,
                         std::uint64_t& generation) {
  auto delay = c.on_change(net::coalescer::clock::now());
  if (!delay)
    return; // a pass is already due; it will see this change
  if (*delay == net::coalescer::clock::duration::zero())
    self->send(self, atoms::timer_atom_v, ++generation);
  else
    self->delayed_send(
      self, std::chrono::duration_cast<std::chrono::microseconds>(*delay),
      atoms::timer_atom_v, ++generation);
}

} // namespace porter
