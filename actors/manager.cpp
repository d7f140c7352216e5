#include "actors/manager.hpp"

#include <map>
#include <set>

#include <caf/all.hpp>

#include "actors/actor_card.hpp"
#include "actors/debug_json.hpp"
#include "actors/eip_pool.hpp"
#include "actors/event_recorder.hpp"
#include "actors/k8s_watched_kinds.hpp"
#include "actors/leader_elector.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/metrics.hpp"
#include "actors/pass_timer.hpp"
#include "actors/runtime.hpp"
#include "actors/watch_cache.hpp"
#include "k8s/allocation_writes.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/io/api_ops.hpp"
#include "k8s/write_window.hpp"
#include "net/coalescer.hpp"
#include "net/io/code_pages.hpp"
#include "net/io/readiness.hpp"
#include "net/io/status_board.hpp"

namespace porter {

/// How one write ended, posted from the I/O thread.
struct manager_write_done {
  std::string key;
  bool ok = false;
  std::string error;
};

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::manager_write_done)

namespace porter {

namespace {

template <class T>
using cache = watch_cache<T>;

class manager_state {
public:
  static inline const char* name = "manager";

  explicit manager_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(manager_args args) {
    args_ = std::move(args);
    coalescer_ = net::coalescer{args_.coalesce};
    auto me = caf::actor_cast<caf::actor>(self_);
    for (int i = 0; i < static_cast<int>(watched::count); ++i)
      report(static_cast<watched>(i), false, "not synced");
    event_recorder_args rec;
    rec.client = args_.client;
    // Most of the manager's Events are one-offs (IPAllocated per Service):
    // remembering the last 1,024 keys catches the repeats (a failure on
    // every pass) at a quarter of client-go's 4,096 (~1 KB each).
    rec.dedup.max_keys = 1024;
    recorder_ = spawn_event_recorder(self_->system(), rec);
    children_.push_back(recorder_);
    grace_ = args_.announce.grace;
    auto ann = std::move(args_.announce);
    ann.client = args_.client;
    ann.recorder = recorder_;
    ann.readiness = args_.readiness;
    ann.board = args_.board;
    ann.reporting_instance = args_.reporting_instance;
    announcer_ = spawn_announcer(self_->system(), std::move(ann));
    self_->monitor(announcer_);
    children_.push_back(announcer_);
    auto watch = [&](auto tag, std::vector<caf::actor> subscribers,
                     std::string namespace_ = {}) {
      using T = typename decltype(tag)::type;
      auto w = watch_of<T>(args_.client);
      w.subscribers = std::move(subscribers);
      w.namespace_ = std::move(namespace_);
      auto h = spawn_watcher<T>(self_->system(), std::move(w));
      self_->link_to(h);
      children_.push_back(h);
    };
    watch(type_tag<k8s::service>{}, {me, announcer_});
    watch(type_tag<k8s::eip>{}, {me});
    watch(type_tag<k8s::namespace_object>{}, {me});
    // The next hops of an EIP and the BGP configuration (issue #8).
    watch(type_tag<k8s::endpoint_slice>{}, {announcer_});
    watch(type_tag<k8s::node>{}, {announcer_});
    watch(type_tag<k8s::bgp_conf>{}, {announcer_});
    watch(type_tag<k8s::bgp_peer>{}, {announcer_});
    watch(type_tag<k8s::secret>{}, {announcer_}, args_.secrets_namespace);
    elector_args el{args_.client, args_.election, {me, announcer_}};
    elector_ = spawn_leader_elector(self_->system(), std::move(el));
    self_->monitor(elector_);
    children_.push_back(elector_);
    self_->set_exit_handler([this](caf::exit_msg& msg) { on_exit(msg); });
    // A pool actor that died is spawned again by the next pass.
    // The elector and the announcer are monitored rather than linked: their
    // end is awaited on shutdown (an exit from a link did not reach the
    // exit handler while it ran, so the wait always timed out), and fatal
    // otherwise.
    self_->set_down_handler([this](caf::down_msg& msg) {
      if (msg.source == elector_.address()
          || msg.source == announcer_.address()) {
        on_child_down(msg);
        return;
      }
      for (auto it = pools_.begin(); it != pools_.end(); ++it)
        if (it->second.address() == msg.source) {
          pools_.erase(it);
          schedule();
          break;
        }
    });
    card_.enroll(self_, "manager", args_.reporting_instance,
                 [this] { return summary(); });
    return card_.behavior(
      [this](const watch_batch<k8s::service>& b) {
        on(services_, b, watched::services);
      },
      [this](const watch_batch<k8s::eip>& b) { on(eips_, b, watched::eips); },
      [this](const watch_batch<k8s::namespace_object>& b) {
        on(namespaces_, b, watched::namespaces);
      },

      [this](atoms::role_atom, bool leading, const std::string& holder) {
        if (leading != leading_)
          log::info(leading ? "manager_leading" : "manager_following", {});
        leading_ = leading;
        if (args_.board)
          args_.board->set(
            "leader", leader_json(args_.election.identity, leading, holder));
        schedule();
      },
      [this](atoms::timer_atom, std::uint64_t gen) {
        if (gen == timer_generation_)
          reconcile();
      },
      [this](atoms::resync_atom) {
        publish_armed_ = false;
        schedule();
      },
      [this](manager_write_done& d) { on_written(d); });
  }

private:
  // A burst (TLS handshakes of the connection pool, 10k JSON documents)
  // leaves the code it ran mapped with 64 KB of fault-around each; what the
  // manager keeps using comes back (net/io/code_pages.hpp). At most every
  // 5 s: reading smaps costs about a millisecond.
  void drop_file_pages() {
    const auto now = std::chrono::steady_clock::now();
    if (now - pages_dropped_at_ < std::chrono::seconds{5})
      return;
    pages_dropped_at_ = now;
    net::io::drop_code_page_mappings();
  }

  std::string summary() const {
    return std::string{leading_ ? "leading" : "following"} + ", "
           + std::to_string(services_.size()) + " Services, "
           + std::to_string(pools_.size()) + " pools, "
           + std::to_string(writes_.in_flight()) + " writes in flight, "
           + std::to_string(writes_.queued()) + " queued";
  }

  template <class T>
  struct type_tag {
    using type = T;
  };

  enum class watched : std::uint8_t { services, eips, namespaces, count };
  static constexpr const char* check_names[]
    = {"watch services", "watch eips", "watch namespaces"};

  void report(watched w, bool ok, std::string detail) {
    if (args_.readiness)
      args_.readiness->set(check_names[static_cast<int>(w)], ok,
                           std::move(detail));
  }

  template <class T>
  void on(cache<T>& c, const watch_batch<T>& b, watched w) {
    apply(c, b);
    if (b.synced && !synced_[static_cast<int>(w)]) {
      synced_[static_cast<int>(w)] = true;
      report(w, true, std::to_string(c.size()) + " cached");
    }
    schedule();
  }

  bool allocation_inputs_synced() const {
    return synced_[static_cast<int>(watched::services)]
           && synced_[static_cast<int>(watched::eips)]
           && synced_[static_cast<int>(watched::namespaces)];
  }

  // Bursts of deltas (a relist, kubectl apply -f of many objects) become
  // one plan.
  void schedule() { request_pass(self_, coalescer_, timer_generation_); }

  // The /debug/pools and /debug/services document, at most once a second
  // (a pass over 10k Services must not also render 10k entries each time).
  void publish(const k8s::allocation_plan& plan) {
    const auto now = std::chrono::steady_clock::now();
    if (!args_.board)
      return;
    if (now - published_at_ < std::chrono::seconds{1}) {
      // Skipped: one more pass when the second is over, so the page never
      // stays behind the last change.
      if (!publish_armed_) {
        publish_armed_ = true;
        self_->delayed_send(self_, std::chrono::seconds{1},
                            atoms::resync_atom_v);
      }
      return;
    }
    published_at_ = now;
    auto doc = allocations_json(plan);
    args_.board->set("pools", doc);
    args_.board->set("services", std::move(doc));
  }

  void reconcile() {
    const auto start = net::coalescer::clock::now();
    coalescer_.on_pass(start);
    plan_and_write();
    const auto end = net::coalescer::clock::now();
    coalescer_.on_pass_end(end);
    metrics::observe("porter_service_reconcile_duration_seconds", {},
                     std::chrono::duration<double>(end - start).count());
  }

  void plan_and_write() {
    if (!allocation_inputs_synced())
      return; // never plan from a partial world
    k8s::allocation_view world{values(eips_),
                               values(services_),
                               values(namespaces_),
                               {args_.default_class}};
    auto plan = k8s::plan_allocations(world);
    publish(plan); // before hand_out_pools moves the pool plans away
    hand_out_pools(plan);
    if (!leading_)
      return; // followers stay warm; only the leader writes
    // What does not fit the window's queue waits for a later pass (every
    // answer schedules one).
    writes_.begin_pass();
    std::set<std::string> planned;
    std::vector<k8s::event_write> failures;
    bool complete = true;
    k8s::plan_service_writes(
      plan, world,
      {[&](k8s::api_write&& w) {
         if (!writes_.has_room()) {
           complete = false;
           return false;
         }
         planned.insert(w.key);
         if (auto now = writes_.offer(std::move(w)))
           start(std::move(*now));
         return true;
       },
       [&](k8s::event_write&& e) { failures.push_back(std::move(e)); }});
    if (complete)
      writes_.forget_converged(planned);
    for (const auto& e : failure_reports_.fresh(std::move(failures)))
      record(e);
    if (writes_.idle())
      release_free_memory(); // nothing under way: the pass was the burst
  }

  // Each Eip's actor gets its pool's plan (it writes the Eip status while
  // this replica leads); pools whose Eip is gone are stopped.
  void hand_out_pools(k8s::allocation_plan& plan) {
    std::map<std::string, caf::actor> still;
    for (auto& pp : plan.pools) {
      auto it = pools_.find(pp.name);
      caf::actor pool;
      if (it != pools_.end()) {
        pool = std::move(it->second);
        pools_.erase(it);
      } else {
        pool = spawn_eip_pool(
          self_->system(),
          {args_.client, recorder_, args_.reporting_instance, pp.name});
        self_->monitor(pool);
      }
      auto eip = eips_.find(pp.name);
      still.emplace(pp.name, pool);
      self_->send(pool, pool_update{eip == eips_.end() ? nullptr : eip->second,
                                    std::move(pp), leading_});
    }
    for (auto& [name, pool] : pools_)
      self_->send_exit(pool, caf::exit_reason::user_shutdown);
    pools_ = std::move(still);
  }

  // Sends a write the window let through; its answer comes back as
  // manager_write_done.
  void start(k8s::api_write w) {
    auto me = caf::actor_cast<caf::actor>(self_);
    k8s::io::object_ref ref{w.resource, w.namespace_, w.name, w.subresource};
    auto done = [me, key = w.key](k8s::io::api_result r) {
      caf::anon_send(me,
                     manager_write_done{key, r.has_value(),
                                        r ? "" : k8s::to_string(r.error())});
    };
    if (w.content_type == "application/json-patch+json")
      k8s::io::json_patch(*args_.client, ref, std::move(w.body), done);
    else
      k8s::io::merge_patch(*args_.client, ref, std::move(w.body), done);
  }

  void record(const k8s::event_write& e) {
    count_allocation(e.event);
    record_event(recorder_, e, args_.reporting_instance);
  }

  // Counted where the Event is: an allocation or release once its write
  // succeeded, a failure once per Service and message.
  static void count_allocation(const k8s::planned_event& e) {
    if (e.reason == "IPAllocated")
      metrics::add("porter_eip_allocations_total", {{"pool", e.pool}});
    else if (e.reason == "IPReleased")
      metrics::add("porter_eip_releases_total", {});
    else if (e.reason == "AllocationFailed" && e.failure)
      metrics::add("porter_eip_allocation_failures_total",
                   {{"reason", k8s::metric_name(*e.failure)}});
  }

  void on_written(const manager_write_done& d) {
    auto answered = writes_.finish(d.key, d.ok);
    for (const auto& e : answered.events)
      record(e);
    for (auto& w : answered.start)
      start(std::move(w));
    if (writes_.idle()) {
      release_free_memory(); // a burst of writes is over
      drop_file_pages();
    }
    // A lost race (409, a failed `test`) is the optimistic concurrency
    // at work: the next plan sees the newer object.
    const bool lost_race
      = d.error.rfind("409", 0) == 0 || d.error.rfind("422", 0) == 0;
    if (!d.ok)
      log::write(lost_race ? log::level::debug : log::level::warn,
                 "write_failed", {{"key", d.key}, {"error", d.error}});
    schedule();
  }

  // The elector releases the Lease before it quits, and the process must
  // not end before that PUT is answered; a leading announcer keeps its
  // routes for the handover grace. The manager quits when both exits came
  // back over the links (or after grace + 5 s at most).
  void on_exit(const caf::exit_msg& msg) {
    if (quitting_) {
      if (msg.reason == caf::sec::request_timeout)
        self_->quit(reason_);
      return;
    }
    quitting_ = true;
    reason_ = msg.reason;
    for (const auto& c : children_)
      self_->send_exit(c, msg.reason);
    for (const auto& [name, pool] : pools_)
      self_->send_exit(pool, msg.reason);
    self_->delayed_send(
      self_, grace_ + std::chrono::seconds{5},
      caf::exit_msg{self_->address(), caf::sec::request_timeout});
  }

  void on_child_down(const caf::down_msg& msg) {
    const bool elector = msg.source == elector_.address();
    (elector ? elector_done_ : announcer_done_) = true;
    if (!quitting_) {
      log::error("manager_child_failed",
                 {{"child", elector ? "leader_elector" : "announcer"},
                  {"reason", to_string(msg.reason)}});
      on_exit(caf::exit_msg{msg.source, msg.reason});
      return;
    }
    if (elector_done_ && announcer_done_)
      self_->quit(reason_);
  }

  caf::event_based_actor* self_;
  manager_args args_;
  cache<k8s::service> services_;
  cache<k8s::eip> eips_;
  cache<k8s::namespace_object> namespaces_;
  bool synced_[static_cast<int>(watched::count)] = {};
  bool leading_ = false;
  std::chrono::steady_clock::time_point published_at_{};
  bool publish_armed_ = false;
  bool quitting_ = false;
  caf::error reason_;
  std::uint64_t timer_generation_ = 0;
  net::coalescer coalescer_{std::chrono::milliseconds{50}};
  k8s::write_window writes_;
  k8s::failure_reports failure_reports_;
  caf::actor recorder_;
  caf::actor elector_;
  caf::actor announcer_;
  std::chrono::milliseconds grace_{0};
  bool elector_done_ = false;
  bool announcer_done_ = false;
  std::vector<caf::actor> children_;
  std::map<std::string, caf::actor> pools_; ///< Eip name → its eip_pool
  std::chrono::steady_clock::time_point pages_dropped_at_{};
  actor_card card_;
};

caf::behavior manager_behavior(caf::stateful_actor<manager_state>* self,
                               manager_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_manager(caf::actor_system& sys, manager_args args) {
  return sys.spawn(manager_behavior, std::move(args));
}

} // namespace porter
