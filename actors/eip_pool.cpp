#include "actors/eip_pool.hpp"

#include <caf/all.hpp>

#include "actors/actor_card.hpp"
#include "actors/event_recorder.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/metrics.hpp"
#include "k8s/allocation_writes.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/io/api_ops.hpp"

namespace porter {

namespace {

/// How the status write ended, posted from the I/O thread.
struct pool_write_done {
  bool ok = false;
  std::string error;
};

} // namespace

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::pool_write_done)

namespace porter {

namespace {

class eip_pool_state {
public:
  static inline const char* name = "eip_pool";

  explicit eip_pool_state(caf::event_based_actor* self) : self_(self) {}
  // The pool is gone (or its actor stops): so are its gauges.
  ~eip_pool_state() {
    for (const char* m : {"porter_eip_pool_size", "porter_eip_pool_used",
                          "porter_eip_pool_free"})
      metrics::remove(m, {{"pool", args_.name}});
  }

  caf::behavior make_behavior(eip_pool_args args) {
    args_ = std::move(args);
    card_.enroll(self_, "eip_pool", args_.name, [this] { return summary(); });
    return card_.behavior(
      [this](pool_update& u) {
        latest_ = std::move(u);
        const auto& st = latest_.plan.status;
        const net::metric_labels pool{{"pool", args_.name}};
        metrics::set("porter_eip_pool_size", pool,
                     static_cast<double>(st.pool_size));
        metrics::set("porter_eip_pool_used", pool,
                     static_cast<double>(st.usage));
        metrics::set("porter_eip_pool_free", pool,
                     static_cast<double>(st.pool_size - st.usage));
        write_if_needed();
      },
      [this](pool_write_done& d) { on_written(d); },
      [this](atoms::stats_atom) { return summary(); });
  }

private:
  void write_if_needed() {
    if (in_flight_ || !latest_.leading || !latest_.eip)
      return;
    auto w = k8s::plan_pool_write(latest_.plan, *latest_.eip,
                                  std::chrono::system_clock::now());
    // Sent for this version already: the watch has not shown it yet.
    if (!w || (!w->planned_from.empty() && w->planned_from == sent_for_))
      return;
    in_flight_ = true;
    sent_for_ = w->planned_from;
    pending_events_ = std::move(w->events);
    auto me = caf::actor_cast<caf::actor>(self_);
    k8s::io::merge_patch(
      *args_.client, {w->resource, "", w->name, w->subresource},
      std::move(w->body), [me](k8s::io::api_result r) {
        caf::anon_send(me, pool_write_done{r.has_value(),
                                           r ? "" : k8s::to_string(r.error())});
      });
  }

  void on_written(const pool_write_done& d) {
    in_flight_ = false;
    if (d.ok) {
      for (const auto& e : pending_events_)
        record_event(args_.recorder, e, args_.reporting_instance);
    } else {
      sent_for_.clear(); // the same write may be needed again
      // A 409 is the resourceVersion guard at work: the next plan is made
      // from the newer Eip.
      log::write(
        d.error.rfind("409", 0) == 0 ? log::level::debug : log::level::warn,
        "eip_status_write_failed", {{"eip", args_.name}, {"error", d.error}});
    }
    pending_events_.clear();
    write_if_needed();
  }

  std::string summary() const {
    const auto& st = latest_.plan.status;
    std::string out = st.first_ip + "-" + st.last_ip + " used "
                      + std::to_string(st.usage) + "/"
                      + std::to_string(st.pool_size);
    for (const auto& c : latest_.plan.conditions)
      if (c.type == "Ready")
        out += c.status == k8s::condition_status::is_true
                 ? " Ready"
                 : " NotReady (" + c.reason + ")";
    return out;
  }

  caf::event_based_actor* self_;
  eip_pool_args args_;
  pool_update latest_;
  bool in_flight_ = false;
  std::string sent_for_; ///< resourceVersion the last write was planned from
  std::vector<k8s::event_write> pending_events_;
  actor_card card_;
};

caf::behavior eip_pool_behavior(caf::stateful_actor<eip_pool_state>* self,
                                eip_pool_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_eip_pool(caf::actor_system& sys, eip_pool_args args) {
  return sys.spawn(eip_pool_behavior, std::move(args));
}

} // namespace porter
