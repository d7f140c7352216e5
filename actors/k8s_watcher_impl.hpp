// Definition of spawn_watcher<T> (actors/k8s_watcher.hpp). Included by the
// one .cpp that instantiates the watchers of porter's kinds (and by tests
// with kinds of their own), so CAF's templates compile once per kind.
#pragma once

#include <chrono>
#include <optional>
#include <random>

#include <caf/all.hpp>

#include "actors/actor_card.hpp"
#include "actors/k8s_watcher.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/metrics.hpp"
#include "k8s/io/api_client.hpp"

namespace porter {

/// Something the watch stream reported, posted from the I/O thread.
struct watch_input {
  enum class what { status, error_body, line, closed };
  std::uint64_t generation = 0;
  what kind = what::line;
  int status = 0;
  std::string text;
  std::optional<std::string> error; ///< for `closed`: why it broke
};

template <class T>
class k8s_watcher_state {
public:
  static inline const char* name = "k8s_watcher";
  using clock = std::chrono::steady_clock;

  explicit k8s_watcher_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(watcher_args args) {
    args_ = std::move(args);
    machine_.emplace(args_.options);
    self_->set_exit_handler([this](caf::exit_msg& msg) {
      cancel_watch();
      self_->quit(msg.reason);
    });
    card_.enroll(
      self_, "watcher",
      args_.resource.plural
        + (args_.namespace_.empty() ? "" : " in " + args_.namespace_),
      [this] {
        return std::string{machine_->synced() ? "synced" : "listing"} + ", "
               + std::to_string(machine_->cache().size()) + " cached, "
               + std::to_string(args_.subscribers.size()) + " subscribers";
      });
    perform(machine_->start());
    return card_.behavior(
      [this](atoms::list_resp_atom, std::uint64_t gen,
             k8s::io::response_result& r) { on_list(gen, r); },
      [this](atoms::watch_in_atom, watch_input& in) { on_watch(in); },
      [this](atoms::timer_atom, std::uint64_t gen) {
        if (gen == generation_)
          send_pending();
      },
      [this](atoms::cache_atom) { return snapshot(); },
      [this](atoms::subscribe_atom, caf::actor& who) {
        watch_batch<T> all;
        for (const auto& obj : snapshot())
          all.deltas.push_back({k8s::delta_type::added, obj});
        all.synced = machine_->synced();
        self_->send(who, std::move(all));
        args_.subscribers.push_back(std::move(who));
      });
  }

private:
  std::vector<std::shared_ptr<const T>> snapshot() const {
    std::vector<std::shared_ptr<const T>> out;
    out.reserve(machine_->cache().size());
    for (const auto& [key, obj] : machine_->cache())
      out.push_back(obj);
    return out;
  }

  double unit() { return std::uniform_real_distribution<double>{}(random_); }

  void on_list(std::uint64_t gen, k8s::io::response_result& r) {
    if (gen != generation_)
      return;
    const auto now = clock::now();
    if (!r)
      perform(machine_->on_list_failed(r.error().what, now, unit()));
    else
      perform(
        machine_->on_list_response(r->status, std::move(r->body), now, unit()));
  }

  void on_watch(watch_input& in) {
    if (in.generation != generation_)
      return;
    const auto now = clock::now();
    switch (in.kind) {
      case watch_input::what::status:
        refused_status_ = in.status;
        return;
      case watch_input::what::error_body:
        watch_.reset();
        perform(
          machine_->on_watch_refused(refused_status_, in.text, now, unit()));
        return;
      case watch_input::what::line:
        perform(machine_->on_watch_line(in.text, now, unit()));
        return;
      case watch_input::what::closed:
        watch_.reset();
        if (refused_status_ != 200 && refused_status_ != 0)
          return; // already handled with the error body
        perform(machine_->on_watch_closed(in.error, now, unit()));
        return;
    }
  }

  void perform(k8s::watch_step<T> step) {
    if (step.cancel_watch)
      cancel_watch();
    for (const auto& e : step.errors)
      log::warn("k8s_watch_problem",
                {{"resource", args_.resource.plural}, {"error", e}});
    if (!step.deltas.empty() || step.synced)
      publish(std::move(step.deltas), step.synced);
    if (!step.list && !step.watch)
      return;
    ++generation_;
    pending_list_ = std::move(step.list);
    pending_watch_ = std::move(step.watch);
    if (step.delay.count() > 0)
      self_->delayed_send(self_, step.delay, atoms::timer_atom_v, generation_);
    else
      send_pending();
  }

  void publish(std::vector<k8s::delta<T>> deltas, bool synced) {
    if (synced && !was_synced_) {
      was_synced_ = true;
      log::info("k8s_watch_synced",
                {{"resource", args_.resource.plural},
                 {"objects", std::to_string(machine_->cache().size())}});
    }
    if (!deltas.empty())
      metrics::add("porter_watch_events_total",
                   {{"kind", args_.resource.plural}},
                   static_cast<double>(deltas.size()));
    watch_batch<T> batch{std::move(deltas), synced};
    for (const auto& s : args_.subscribers)
      self_->send(s, batch);
  }

  void send_pending() {
    auto me = caf::actor_cast<caf::actor>(self_);
    const auto gen = generation_;
    if (pending_list_) {
      if (pending_list_->continue_token.empty()) // a new LIST, not a page
        metrics::add("porter_watch_lists_total",
                     {{"kind", args_.resource.plural}});
      auto target = k8s::list_target(args_.resource, args_.namespace_,
                                     args_.label_selector, args_.field_selector,
                                     *pending_list_);
      pending_list_.reset();
      k8s::io::request_options opts;
      opts.timeout = std::chrono::seconds{60};
      args_.client->request("GET", std::move(target), "", "", opts,
                            [me, gen](k8s::io::response_result r) {
                              caf::anon_send(me, atoms::list_resp_atom_v, gen,
                                             std::move(r));
                            });
      return;
    }
    if (!pending_watch_)
      return;
    const auto timeout = std::chrono::seconds{pending_watch_->timeout_seconds};
    auto target = k8s::watch_target(args_.resource, args_.namespace_,
                                    args_.label_selector, args_.field_selector,
                                    *pending_watch_);
    pending_watch_.reset();
    refused_status_ = 0;
    auto post = [me, gen](watch_input::what kind, int status, std::string text,
                          std::optional<std::string> error) {
      caf::anon_send(
        me, atoms::watch_in_atom_v,
        watch_input{gen, kind, status, std::move(text), std::move(error)});
    };
    k8s::io::watch_callbacks cb;
    cb.on_status
      = [post](int s) { post(watch_input::what::status, s, {}, std::nullopt); };
    cb.on_error_body = [post](std::string body) {
      post(watch_input::what::error_body, 0, std::move(body), std::nullopt);
    };
    cb.on_line = [post](std::string line) {
      post(watch_input::what::line, 0, std::move(line), std::nullopt);
    };
    cb.on_closed = [post](std::optional<k8s::io::transport_error> e) {
      post(watch_input::what::closed, 0, {},
           e ? std::optional<std::string>{e->what} : std::nullopt);
    };
    // kube-rs: idle timeout = watch timeout + 5 s catches half-open TCP.
    watch_ = args_.client->watch(
      std::move(target), timeout + std::chrono::seconds{5}, std::move(cb));
  }

  void cancel_watch() {
    if (watch_)
      watch_->cancel();
    watch_.reset();
  }

  caf::event_based_actor* self_;
  watcher_args args_;
  std::optional<k8s::watch_machine<T>> machine_;
  std::shared_ptr<k8s::io::watch_handle> watch_;
  std::optional<k8s::list_request> pending_list_;
  std::optional<k8s::watch_request> pending_watch_;
  std::uint64_t generation_ = 0;
  int refused_status_ = 0;
  bool was_synced_ = false;
  std::mt19937_64 random_{std::random_device{}()};
  actor_card card_;
};

template <class T>
caf::behavior watcher_behavior(caf::stateful_actor<k8s_watcher_state<T>>* self,
                               watcher_args args) {
  return self->state.make_behavior(std::move(args));
}

template <class T>
caf::actor spawn_watcher(caf::actor_system& sys, watcher_args args) {
  return sys.spawn(watcher_behavior<T>, std::move(args));
}

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::watch_input)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::k8s::io::response_result)
