#include "actors/leader_elector.hpp"

#include <random>

#include <caf/all.hpp>

#include "actors/actor_card.hpp"
#include "actors/k8s_watched_kinds.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/metrics.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/objects.hpp"

namespace porter {

/// How a Lease request ended, posted from the I/O thread.
struct lease_reply {
  std::uint64_t generation = 0;
  k8s::lease_result result;
};

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::lease_reply)
namespace porter {

namespace {

using election = k8s::leader_election;

k8s::lease_result to_lease_result(const k8s::io::response_result& r) {
  k8s::lease_result out;
  if (!r) {
    out.detail = r.error().what;
    return out;
  }
  if (r->status == 404) {
    out.outcome = k8s::lease_outcome::not_found;
  } else if (r->status == 409) {
    out.outcome = k8s::lease_outcome::conflict;
  } else if (r->status == 200 || r->status == 201) {
    auto doc = k8s::parse_json(r->body);
    auto l = doc ? k8s::decode<k8s::lease>(k8s::json_at{*doc})
                 : k8s::decoded<k8s::lease>{tl::make_unexpected(doc.error())};
    if (l) {
      out.outcome = k8s::lease_outcome::ok;
      out.object = std::move(*l);
      return out;
    }
    out.detail = "bad Lease: " + to_string(l.error());
    return out;
  }
  out.detail = to_string(k8s::status_from_response(r->status, r->body));
  return out;
}

class elector_state {
public:
  static inline const char* name = "leader_elector";

  explicit elector_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(elector_args args) {
    args_ = std::move(args);
    machine_.emplace(args_.config);
    self_->set_exit_handler([this](caf::exit_msg& msg) { on_exit(msg); });
    card_.enroll(
      self_, "leader_elector",
      args_.config.lease_namespace + "/" + args_.config.lease_name, [this] {
        return std::string{machine_->is_leader() ? "leading" : "following"}
               + ", holder "
               + (machine_->observed_holder().empty()
                    ? std::string{"none"}
                    : machine_->observed_holder());
      });
    start_lease_watch();
    publish();
    run(machine_->on_tick(now(), unit()));
    return card_.behavior(
      [this](atoms::lease_resp_atom, lease_reply& r) { on_reply(r); },
      [this](atoms::timer_atom, std::uint64_t gen) {
        if (gen == tick_generation_)
          run(machine_->on_tick(now(), unit()));
      },
      [this](const watch_batch<k8s::lease>& batch) { on_lease_seen(batch); },
      [this](atoms::role_atom) {
        return std::make_tuple(machine_->is_leader(),
                               machine_->observed_holder());
      });
  }

private:
  static k8s::election_now now() {
    return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()};
  }
  double unit() { return std::uniform_real_distribution<double>{}(random_); }

  void run(const election::actions& actions) {
    for (const auto& a : actions)
      std::visit([this](const auto& x) { perform(x); }, a);
    if (machine_->observed_holder() != published_holder_)
      publish();
  }

  void perform(const election::get_lease&) { send("GET", lease_path(), ""); }
  void perform(const election::create_lease& a) {
    send("POST", k8s::collection_path(resource(), args_.config.lease_namespace),
         a.body);
  }
  void perform(const election::update_lease& a) {
    send("PUT", lease_path(), a.body);
  }
  void perform(const election::schedule_tick& a) {
    self_->delayed_send(self_, a.delay, atoms::timer_atom_v,
                        ++tick_generation_);
  }
  void perform(const election::became_leader&) {
    log::info("leader_elected", {{"lease", args_.config.lease_name},
                                 {"identity", args_.config.identity}});
    publish();
  }
  void perform(const election::lost_leadership& a) {
    log::warn("leadership_lost",
              {{"lease", args_.config.lease_name}, {"reason", a.reason}});
    publish();
  }
  void perform(const election::released& a) {
    log::info("lease_released", {{"lease", args_.config.lease_name},
                                 {"cleared", a.cleared ? "true" : "false"}});
    publish();
    if (exiting_)
      self_->quit(exit_reason_);
  }

  void publish() {
    published_holder_ = machine_->observed_holder();
    const bool leading = machine_->is_leader();
    if (leading != published_leading_)
      metrics::add("porter_leader_transitions_total",
                   {{"lease", args_.config.lease_name}});
    published_leading_ = leading;
    metrics::set("porter_leader", {{"lease", args_.config.lease_name}},
                 leading ? 1 : 0);
    for (const auto& s : args_.subscribers)
      self_->send(s, atoms::role_atom_v, machine_->is_leader(),
                  published_holder_);
  }

  static k8s::resource_ref resource() { return k8s::resource_of<k8s::lease>(); }
  std::string lease_path() const {
    return k8s::object_path(resource(), args_.config.lease_namespace,
                            args_.config.lease_name);
  }

  // client-go NewFromKubeconfig: lock requests time out after
  // max(1 s, RenewDeadline/2) "to keep a single hung request from forcing
  // a leader loss". The machine retries; the client must not.
  void send(const char* method, std::string target, std::string body) {
    k8s::io::request_options opts;
    opts.timeout = std::max<std::chrono::milliseconds>(
      std::chrono::seconds{1}, args_.config.renew_deadline / 2);
    opts.max_retries = 0;
    opts.retry_transport_errors = false;
    auto me = caf::actor_cast<caf::actor>(self_);
    const auto gen = ++request_generation_;
    in_flight_method_ = method;
    std::string content_type = body.empty() ? "" : "application/json";
    args_.client->request(
      method, std::move(target), std::move(body), std::move(content_type), opts,
      [me, gen](k8s::io::response_result r) {
        caf::anon_send(me, atoms::lease_resp_atom_v,
                       lease_reply{gen, to_lease_result(r)});
      });
  }

  void on_reply(const lease_reply& r) {
    if (r.generation != request_generation_)
      return;
    const auto t = now();
    if (in_flight_method_ == "GET")
      run(machine_->on_get_result(t, r.result));
    else if (in_flight_method_ == "POST")
      run(machine_->on_create_result(t, r.result));
    else
      run(machine_->on_update_result(t, r.result));
  }

  // A watch on our own Lease only wakes the machine early; the decision is
  // still the algorithm's, judged on its own GET.
  void start_lease_watch() {
    watcher_args w;
    w.client = args_.client;
    w.resource = resource();
    w.namespace_ = args_.config.lease_namespace;
    w.field_selector = "metadata.name=" + args_.config.lease_name;
    w.subscribers = {caf::actor_cast<caf::actor>(self_)};
    lease_watcher_ = spawn_watcher<k8s::lease>(self_->system(), std::move(w));
    self_->link_to(lease_watcher_);
  }

  void on_lease_seen(const watch_batch<k8s::lease>& batch) {
    if (exiting_)
      return;
    for (const auto& d : batch.deltas) {
      if (d.type == k8s::delta_type::deleted)
        run(machine_->on_wakeup(now(), unit()));
      else
        run(machine_->on_observed(now(), *d.object, unit()));
    }
  }

  void on_exit(const caf::exit_msg& msg) {
    if (exiting_)
      return;
    exiting_ = true;
    exit_reason_ = msg.reason;
    if (lease_watcher_)
      self_->send_exit(lease_watcher_, caf::exit_reason::user_shutdown);
    auto actions = machine_->on_release_requested(now());
    if (actions.empty() || machine_->phase() == k8s::election_phase::stopped) {
      run(actions);
      self_->quit(exit_reason_);
      return;
    }
    run(actions);
  }

  caf::event_based_actor* self_;
  elector_args args_;
  std::optional<election> machine_;
  caf::actor lease_watcher_;
  std::uint64_t tick_generation_ = 0;
  std::uint64_t request_generation_ = 0;
  std::string in_flight_method_;
  std::string published_holder_ = "\x01"; // forces the first publish
  bool published_leading_ = false;
  bool exiting_ = false;
  caf::error exit_reason_;
  std::mt19937_64 random_{std::random_device{}()};
  actor_card card_;
};

caf::behavior elector_behavior(caf::stateful_actor<elector_state>* self,
                               elector_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_leader_elector(caf::actor_system& sys, elector_args args) {
  return sys.spawn(elector_behavior, std::move(args));
}

} // namespace porter
