#include "actors/supervisor.hpp"

#include <algorithm>

#include "actors/actor_card.hpp"
#include "actors/logging.hpp"

namespace porter {

namespace {

struct supervised_child {
  child_spec spec;
  caf::actor handle;
  caf::actor_clock::time_point started_at;
  std::uint32_t restarts = 0;
  std::uint32_t consecutive_failures = 0;
  std::uint64_t generation = 0; // matches delayed restart messages
};

class supervisor_state {
public:
  static inline const char* name = "supervisor";

  explicit supervisor_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(std::vector<child_spec> specs,
                              restart_policy policy) {
    policy_ = policy;
    self_->set_down_handler([this](caf::down_msg& msg) { on_down(msg); });
    self_->set_exit_handler([this](caf::exit_msg& msg) { on_exit(msg); });
    for (auto& spec : specs) {
      children_.push_back(supervised_child{std::move(spec), {}, {}, 0, 0, 0});
      start(children_.back());
    }
    std::string names;
    for (const auto& c : children_)
      names += (names.empty() ? "" : ",") + c.spec.name;
    card_.enroll(self_, "supervisor", names, [this] {
      std::size_t running = 0;
      std::uint32_t restarts = 0;
      for (const auto& c : children_) {
        running += c.handle ? 1 : 0;
        restarts += c.restarts;
      }
      return std::to_string(running) + "/" + std::to_string(children_.size())
             + " children running, " + std::to_string(restarts) + " restarts";
    });
    return card_.behavior(
      [this](atoms::restart_atom, const std::string& name,
             std::uint64_t generation) { on_restart(name, generation); },
      [this](atoms::children_atom) { return status(); });
  }

private:
  void start(supervised_child& child) {
    child.handle = child.spec.start(self_);
    child.started_at = self_->clock().now();
    self_->monitor(child.handle);
  }

  supervised_child* find(const caf::actor_addr& addr) {
    auto it = std::find_if(children_.begin(), children_.end(),
                           [&](auto& c) { return c.handle.address() == addr; });
    return it == children_.end() ? nullptr : &*it;
  }

  void on_down(const caf::down_msg& msg) {
    auto* child = find(msg.source);
    if (child == nullptr)
      return;
    child->handle = nullptr;
    if (stopping_ || !msg.reason) {
      log::info("child_stopped", {{"child", child->spec.name}});
      if (stopping_)
        quit_when_children_stopped();
      return;
    }
    auto ran_for = std::chrono::duration_cast<std::chrono::milliseconds>(
      self_->clock().now() - child->started_at);
    child->consecutive_failures
      = next_failure_count(policy_, child->consecutive_failures, ran_for);
    auto delay = restart_delay(policy_, child->consecutive_failures);
    log::warn("child_crashed",
              {{"child", child->spec.name},
               {"reason", to_string(msg.reason)},
               {"restart_in_ms", std::to_string(delay.count())}});
    self_->delayed_send(self_, delay, atoms::restart_atom_v, child->spec.name,
                        ++child->generation);
  }

  void on_restart(const std::string& name, std::uint64_t generation) {
    auto it = std::find_if(children_.begin(), children_.end(),
                           [&](auto& c) { return c.spec.name == name; });
    if (stopping_ || it == children_.end() || it->generation != generation
        || it->handle != nullptr)
      return;
    ++it->restarts;
    start(*it);
    log::info("child_restarted",
              {{"child", name}, {"restarts", std::to_string(it->restarts)}});
  }

  // Orderly shutdown: the supervisor ends only after its children did, so
  // whoever waits for it (run_until_signal) knows the whole tree stopped.
  void on_exit(const caf::exit_msg& msg) {
    if (stopping_)
      return;
    stopping_ = true;
    exit_reason_ = msg.reason;
    for (auto& child : children_)
      if (child.handle != nullptr)
        self_->send_exit(child.handle, msg.reason);
    quit_when_children_stopped();
  }

  void quit_when_children_stopped() {
    for (const auto& child : children_)
      if (child.handle != nullptr)
        return;
    self_->quit(exit_reason_);
  }

  std::vector<child_status> status() const {
    std::vector<child_status> out;
    for (const auto& c : children_)
      out.push_back(child_status{c.spec.name, c.handle != nullptr, c.restarts,
                                 c.consecutive_failures});
    return out;
  }

  caf::event_based_actor* self_;
  restart_policy policy_;
  std::vector<supervised_child> children_;
  bool stopping_ = false;
  caf::error exit_reason_;
  actor_card card_;
};

} // namespace

caf::actor spawn_supervisor(caf::actor_system& sys,
                            std::vector<child_spec> children,
                            restart_policy policy) {
  return sys.spawn(
    [](caf::stateful_actor<supervisor_state>* self,
       std::vector<child_spec> specs, restart_policy p) {
      return self->state.make_behavior(std::move(specs), p);
    },
    std::move(children), policy);
}

} // namespace porter
