// Everything CAF-0.17-specific about porter's messages in one place: the
// type-ID block (0.17.6 accepts the 0.18 macros, which eases the upgrade),
// atoms (at most 10 characters), and `inspect` overloads for core structs.
#pragma once

#include <cstdint>
#include <string>

#include <caf/all.hpp>

CAF_BEGIN_TYPE_ID_BLOCK(porter, caf::first_custom_type_id)

  // supervisor
  CAF_ADD_ATOM(porter, porter::atoms, restart_atom, "restart")
  CAF_ADD_ATOM(porter, porter::atoms, children_atom, "children")

CAF_END_TYPE_ID_BLOCK(porter)

namespace porter {

/// What the supervisor reports about one child (for inspection and tests).
struct child_status {
  std::string name;
  bool running = false;
  std::uint32_t restarts = 0;
  std::uint32_t consecutive_failures = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_status& x) {
  return f(caf::meta::type_name("child_status"), x.name, x.running, x.restarts,
           x.consecutive_failures);
}

} // namespace porter
