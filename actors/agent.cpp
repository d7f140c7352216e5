#include "actors/agent.hpp"

#include <optional>
#include <set>

#include <caf/all.hpp>

#include "actors/actor_card.hpp"
#include "actors/debug_json.hpp"
#include "actors/k8s_watched_kinds.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/metrics.hpp"
#include "actors/pass_timer.hpp"
#include "actors/runtime.hpp"
#include "actors/watch_cache.hpp"
#include "k8s/agent_eips.hpp"
#include "net/coalescer.hpp"
#include "net/io/code_pages.hpp"
#include "net/io/readiness.hpp"
#include "net/io/status_board.hpp"
#include "net/rule_table.hpp"

namespace porter {

namespace {

constexpr std::string_view watch_check = "watch services";
constexpr std::string_view rules_check = "node rules";

std::string summary(const net::rule_changes& c) {
  return "+" + std::to_string(c.add_rules.size()) + " -"
         + std::to_string(c.remove_rules.size()) + " rules, +"
         + std::to_string(c.add_routes.size()) + " -"
         + std::to_string(c.remove_routes.size()) + " routes";
}

class agent_state {
public:
  static inline const char* name = "agent";

  explicit agent_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(agent_args args) {
    args_ = std::move(args);
    coalescer_ = net::coalescer{args_.coalesce};
    report(watch_check, false, "not synced");
    report(rules_check, false, "waiting for the Services");
    auto w = watch_of<k8s::service>(args_.client);
    w.subscribers = {caf::actor_cast<caf::actor>(self_)};
    auto watcher = spawn_watcher<k8s::service>(self_->system(), std::move(w));
    self_->link_to(watcher);
    arm_resync(args_.resync_period);
    card_.enroll(self_, "agent", args_.node_name, [this] {
      return std::string{synced_ ? "" : "waiting for the Services, "}
             + std::to_string(rules_) + " rules, " + std::to_string(repairs_)
             + " repairs"
             + (last_error_.empty() ? "" : ", failing: " + last_error_);
    });
    return card_.behavior(
      [this](const watch_batch<k8s::service>& b) {
        apply(services_, b);
        if (b.synced && !synced_) {
          synced_ = true;
          report(watch_check, true,
                 std::to_string(services_.size()) + " cached");
        }
        schedule();
      },
      [this](atoms::timer_atom, std::uint64_t gen) {
        if (gen == timer_generation_)
          pass();
      },
      // From the drift monitor: someone touched porter's rules.
      [this](atoms::resync_atom) { schedule(); },
      [](atoms::release_atom) {
        log::info(
          "code_pages_dropped",
          {{"bytes", std::to_string(net::io::drop_code_page_mappings())}});
      },
      // The periodic check, or a retry after a refused change.
      [this](atoms::resync_atom, std::uint64_t tick) {
        if (tick != resync_tick_)
          return;
        schedule();
        arm_resync(args_.resync_period);
      });
  }

private:
  void report(std::string_view check, bool ok, std::string detail) {
    if (args_.readiness)
      args_.readiness->set(check, ok, std::move(detail));
  }

  void schedule() { request_pass(self_, coalescer_, timer_generation_); }

  void arm_resync(std::chrono::milliseconds after) {
    self_->delayed_send(self_, after, atoms::resync_atom_v, ++resync_tick_);
  }

  void pass() {
    coalescer_.on_pass(net::coalescer::clock::now());
    // Never from a partial world: before the first LIST the kernel keeps
    // what it has, and a relist publishes only once it is complete.
    if (synced_)
      converge();
    coalescer_.on_pass_end(net::coalescer::clock::now());
  }

  void converge() {
    auto want = k8s::eips_in_use(values(services_), args_.default_class);
    auto have = args_.table->read();
    if (!have) {
      failed(have.error());
      return;
    }
    auto changes = net::plan_rule_changes(want, *have, args_.settings);
    if (changes.empty()) {
      publish(*have, want.size());
      converged(want.size());
      last_want_ = std::move(want);
      return;
    }
    // The cluster asks for what it asked for last time, yet the table
    // differs: somebody else changed it.
    const bool repair = last_want_ && *last_want_ == want;
    const auto started = std::chrono::steady_clock::now();
    auto result = args_.table->apply(changes);
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
    if (repair) {
      ++repairs_;
      metrics::add("porter_agent_rule_repairs_total", {});
    }
    if (!result.errors.empty())
      metrics::add("porter_agent_rule_errors_total", {},
                   static_cast<double>(result.errors.size()));
    log::info(repair ? "rules_repaired" : "rules_applied",
              {{"changes", summary(changes)},
               {"applied", std::to_string(result.applied)},
               {"failed", std::to_string(result.errors.size())},
               {"eips", std::to_string(want.size())},
               {"ms", std::to_string(static_cast<double>(took.count()) / 1e3)},
               {"repairs", std::to_string(repairs_)}});
    last_want_ = std::move(want);
    if (!result.ok()) {
      std::string detail = result.errors.front();
      if (result.errors.size() > 1)
        detail
          += " (and " + std::to_string(result.errors.size() - 1) + " more)";
      failed(detail);
      return;
    }
    if (auto now = args_.table->read())
      publish(*now, last_want_->size());
    converged(last_want_->size());
    if (changes.add_rules.size() + changes.remove_rules.size() > 1000)
      release_free_memory();
  }

  void publish(const net::kernel_view& have, std::size_t eips) {
    if (args_.board)
      args_.board->set("rules", rules_json(have, eips, args_.settings.table));
  }

  void converged(std::size_t eips) {
    rules_ = eips;
    metrics::set("porter_agent_rules",
                 {{"table", std::to_string(args_.settings.table)}},
                 static_cast<double>(eips));
    report(rules_check, true,
           std::to_string(eips) + " EIP rules, table "
             + std::to_string(args_.settings.table));
    if (!last_error_.empty())
      log::info("rules_recovered", {{"node", args_.node_name}});
    last_error_.clear();
    // Start-up is over once the first pass is done and the watch that
    // follows the first LIST is open (its TLS handshake runs code nothing
    // else needs): a moment later, the pages it touched can go.
    if (args_.drop_code_pages && !code_pages_dropped_) {
      code_pages_dropped_ = true;
      self_->delayed_send(self_, std::chrono::seconds{2},
                          atoms::release_atom_v);
    }
  }

  void failed(const std::string& detail) {
    report(rules_check, false, detail);
    if (detail != last_error_)
      log::error("rules_failed",
                 {{"node", args_.node_name}, {"error", detail}});
    last_error_ = detail;
    arm_resync(args_.retry);
  }

  caf::event_based_actor* self_;
  agent_args args_;
  watch_cache<k8s::service> services_;
  bool synced_ = false;
  net::coalescer coalescer_{std::chrono::milliseconds{5}};
  std::uint64_t timer_generation_ = 0;
  std::uint64_t resync_tick_ = 0;
  std::optional<std::set<net::ip_address>> last_want_;
  std::string last_error_;
  std::uint64_t repairs_ = 0;
  std::size_t rules_ = 0; ///< EIP rules in place after the last pass
  bool code_pages_dropped_ = false;
  actor_card card_;
};

caf::behavior agent_behavior(caf::stateful_actor<agent_state>* self,
                             agent_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_agent(caf::actor_system& sys, agent_args args) {
  return sys.spawn<caf::detached>(agent_behavior, std::move(args));
}

} // namespace porter
