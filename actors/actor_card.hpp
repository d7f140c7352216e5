// An actor's entry in the registry (actors/actor_registry.hpp), held in its
// state: `enroll` at the start of make_behavior, then
// `return card_.behavior(handlers...)` instead of `return {handlers...}`.
// Each handler is wrapped to count the message, note the mailbox depth and
// the time spent, and refresh the one-line summary afterwards.
#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/core/demangle.hpp>
#include <caf/all.hpp>

#include "actors/actor_registry.hpp"

namespace porter {

class actor_card {
public:
  actor_card() = default;
  actor_card(const actor_card&) = delete;
  actor_card& operator=(const actor_card&) = delete;
  // No leave() here: CAF destroys the state before it runs the attached
  // functor, which knows the exit reason and deregisters.
  ~actor_card() = default;

  /// `summarize` runs on the actor's thread after every message.
  void enroll(caf::scheduled_actor* self, std::string kind, std::string key,
              std::function<std::string()> summarize) {
    self_ = self;
    id_ = self->id();
    summarize_ = std::move(summarize);
    actor_registry::enroll(id_, std::move(kind), std::move(key));
    // The exit reason is known only here: an error (not a stop someone
    // asked for) makes the next actor of this kind and key a restart.
    self->attach_functor([id = id_](const caf::error& reason) {
      const bool asked = !reason || reason == caf::exit_reason::user_shutdown
                         || reason == caf::exit_reason::normal;
      actor_registry::leave(id, !asked);
    });
    if (summarize_)
      actor_registry::set_summary(id_, summarize_());
  }

  template <class... Handlers>
  caf::behavior behavior(Handlers... handlers) {
    return caf::behavior{wrap(std::move(handlers))...};
  }

private:
  // Ends the message even when the handler throws.
  struct message_scope {
    actor_card* card;
    ~message_scope() {
      actor_registry::message_finished(
        card->id_, card->summarize_ ? card->summarize_() : std::string{});
    }
  };

  void started(const std::string& handler) {
    actor_registry::message_started(id_, handler, self_->mailbox().size());
  }

  template <class T>
  static std::string handler_name() {
    using first = std::decay_t<T>;
    if constexpr (caf::is_atom_constant<first>::value)
      return caf::to_string(first::value);
    else
      return actor_registry::without_namespaces(
        boost::core::demangle(typeid(first).name()));
  }

  template <class F, class R, class First, class... Rest>
  auto wrap_as(F f, caf::detail::type_list<First, Rest...>) {
    return [this, f = std::move(f), name = handler_name<First>()](
             First first, Rest... rest) mutable -> R {
      started(name);
      message_scope scope{this};
      return f(std::forward<First>(first), std::forward<Rest>(rest)...);
    };
  }

  template <class F>
  auto wrap(F f) {
    using trait = typename caf::detail::get_callable_trait<F>::type;
    return wrap_as<F, typename trait::result_type>(std::move(f),
                                                   typename trait::arg_types{});
  }

  template <class F>
  static caf::timeout_definition<F> wrap(caf::timeout_definition<F> t) {
    return t;
  }

  caf::scheduled_actor* self_ = nullptr;
  caf::actor_id id_ = 0;
  std::function<std::string()> summarize_;
};

} // namespace porter
