#include "actors/event_recorder.hpp"

#include <optional>

#include <caf/all.hpp>

#include "actors/actor_card.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "k8s/allocation_writes.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/io/api_ops.hpp"

namespace porter {

/// How one write ended, posted from the I/O thread.
struct event_write_result {
  std::uint64_t epoch = 0; ///< which deduplicator issued it
  bool was_create = false;
  std::string name;
  k8s::io::api_result result;
};

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::event_write_result)

namespace porter {

namespace {

using dedup = k8s::event_deduplicator;

k8s::resource_ref events_resource(k8s::event_api api) {
  if (api == k8s::event_api::events_v1)
    return {"events.k8s.io", "v1", "events", true};
  return {"", "v1", "events", true};
}

class recorder_state {
public:
  static inline const char* name = "event_recorder";

  explicit recorder_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(event_recorder_args args) {
    args_ = std::move(args);
    dedup_.emplace(args_.dedup);
    card_.enroll(self_, "event_recorder", "", [this] {
      return std::to_string(written_) + " Events written, "
             + std::to_string(recent_.size()) + " kept for a resend";
    });
    return card_.behavior(
      [this](const k8s::event_request& req) { on_request(req); },
      [this](event_write_result& r) { on_result(r); },
      [this](atoms::timer_atom, std::uint64_t gen) {
        if (gen != timer_generation_)
          return;
        timer_armed_ = false;
        for (auto& a : dedup_->flush(std::chrono::steady_clock::now()))
          perform(a);
        arm_flush();
      },
      [this](atoms::stats_atom) { return written_; });
  }

private:
  void on_request(const k8s::event_request& req) {
    if (auto ok = k8s::validate(req); !ok) {
      log::error("event_invalid",
                 {{"reason", req.reason}, {"error", ok.error()}});
      return;
    }
    // Kept until the API answers, so a fallback to core/v1 can resend it.
    recent_.push_back(req);
    if (recent_.size() > 64)
      recent_.erase(recent_.begin());
    perform(dedup_->on_event(req, std::chrono::steady_clock::now(),
                             std::chrono::system_clock::now()));
    arm_flush();
  }

  void perform(const dedup::action& a) {
    if (const auto* c = std::get_if<dedup::create>(&a)) {
      k8s::io::create_object(*args_.client, events_resource(args_.dedup.api),
                             c->namespace_, c->body, reply_to(true, c->name));
    } else if (const auto* p = std::get_if<dedup::patch>(&a)) {
      k8s::io::object_ref ref{events_resource(args_.dedup.api), p->namespace_,
                              p->name, ""};
      strategic_patch(ref, p->body, reply_to(false, p->name));
    }
  }

  // client-go's recorder PATCHes repeats with a strategic-merge patch.
  void strategic_patch(const k8s::io::object_ref& ref, std::string body,
                       k8s::io::api_callback done) {
    k8s::io::request_options opts;
    args_.client->request(
      "PATCH", k8s::object_path(ref.resource, ref.namespace_, ref.name),
      std::move(body), "application/strategic-merge-patch+json", opts,
      [done = std::move(done)](k8s::io::response_result r) {
        if (!r)
          done(tl::make_unexpected(
            k8s::api_status{0, "TransportError", r.error().what, {}}));
        else if (r->status >= 200 && r->status < 300)
          done(std::move(r->body));
        else
          done(
            tl::make_unexpected(k8s::status_from_response(r->status, r->body)));
      });
  }

  k8s::io::api_callback reply_to(bool create, std::string name) {
    auto me = caf::actor_cast<caf::actor>(self_);
    const auto epoch = epoch_;
    return [me, epoch, create, name](k8s::io::api_result r) {
      caf::anon_send(me, event_write_result{epoch, create, name, std::move(r)});
    };
  }

  void on_result(event_write_result& r) {
    if (r.epoch != epoch_)
      return;
    if (r.result) {
      ++written_;
      recent_.clear();
      return;
    }
    const k8s::api_status& s = r.result.error();
    if (r.was_create && k8s::is_not_found(s)
        && args_.dedup.api == k8s::event_api::events_v1) {
      fall_back_to_core_v1();
      return;
    }
    if (!r.was_create && k8s::is_not_found(s)) {
      perform(dedup_->on_patch_not_found(r.name));
      return;
    }
    // AlreadyExists is dropped like client-go ("will not retry"); other
    // failures forget the key so the next occurrence tries again.
    if (s.code != 409)
      dedup_->forget(r.name);
    log::warn("event_write_failed",
              {{"event", r.name}, {"error", k8s::to_string(s)}});
  }

  void fall_back_to_core_v1() {
    log::info("event_api_fallback", {{"api", "core/v1"}});
    args_.dedup.api = k8s::event_api::core_v1;
    dedup_.emplace(args_.dedup);
    ++epoch_;
    auto pending = std::move(recent_);
    recent_.clear();
    for (const auto& req : pending)
      on_request(req);
  }

  void arm_flush() {
    auto due = dedup_->next_flush();
    if (!due || timer_armed_)
      return;
    timer_armed_ = true;
    const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(
      *due - std::chrono::steady_clock::now());
    self_->delayed_send(self_, std::max(delay, std::chrono::milliseconds{0}),
                        atoms::timer_atom_v, ++timer_generation_);
  }

  caf::event_based_actor* self_;
  event_recorder_args args_;
  std::optional<dedup> dedup_;
  std::vector<k8s::event_request> recent_;
  std::uint64_t epoch_ = 0;
  std::uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;
  std::size_t written_ = 0;
  actor_card card_;
};

caf::behavior recorder_behavior(caf::stateful_actor<recorder_state>* self,
                                event_recorder_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_event_recorder(caf::actor_system& sys,
                                event_recorder_args args) {
  return sys.spawn(recorder_behavior, std::move(args));
}

void record_event(const caf::actor& recorder, const k8s::event_write& e,
                  const std::string& reporting_instance) {
  caf::anon_send(recorder, k8s::to_event_request(e, reporting_instance));
  const auto& o = e.object;
  log::info(
    "event_recorded",
    {{"object",
      o.kind + " "
        + (o.namespace_.empty() ? o.name : o.namespace_ + "/" + o.name)},
     {"reason", e.event.reason},
     {"message", e.event.message}});
}

} // namespace porter
