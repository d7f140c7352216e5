#include "actors/announcer.hpp"

#include <set>

#include <caf/all.hpp>

#include "actors/actor_card.hpp"
#include "actors/bgp_object_status.hpp"
#include "actors/bgp_speaker.hpp"
#include "actors/debug_json.hpp"
#include "actors/event_recorder.hpp"
#include "actors/k8s_watched_kinds.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/pass_timer.hpp"
#include "actors/runtime.hpp"
#include "actors/watch_cache.hpp"
#include "bgp/desired_routes.hpp"
#include "k8s/advertise_policy.hpp"
#include "k8s/allocation_writes.hpp"
#include "k8s/bgp_setup.hpp"
#include "k8s/next_hops.hpp"
#include "net/coalescer.hpp"
#include "net/io/readiness.hpp"
#include "net/io/status_board.hpp"

namespace porter {

namespace {

bool same_speaker(const bgp::speaker_config& a, const bgp::speaker_config& b) {
  return a.local_as == b.local_as && a.router_id == b.router_id
         && a.listen_port == b.listen_port
         && a.listen_address == b.listen_address;
}

bool same_routes(const std::vector<k8s::eip_route>& a,
                 const std::vector<k8s::eip_route>& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].eip != b[i].eip || a[i].next_hops != b[i].next_hops)
      return false;
  return true;
}

class announcer_state {
public:
  static inline const char* name = "announcer";

  explicit announcer_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(announcer_args args) {
    args_ = std::move(args);
    coalescer_ = net::coalescer{args_.coalesce};
    for (const char* check : check_names)
      if (check != nullptr)
        report(check, false, "not synced");
    report("bgp configuration", false, "waiting for the caches");
    self_->set_exit_handler([this](caf::exit_msg& msg) { on_exit(msg); });
    self_->set_down_handler([this](caf::down_msg& msg) {
      if (speaker_ && msg.source == speaker_.address()) {
        log::warn("bgp_speaker_down", {{"reason", to_string(msg.reason)}});
        speaker_ = nullptr;
        schedule();
      }
    });
    card_.enroll(self_, "announcer", args_.reporting_instance,
                 [this] { return summary(); });
    return card_.behavior(
      [this](const watch_batch<k8s::service>& b) { on(services_, b, 0); },
      [this](const watch_batch<k8s::endpoint_slice>& b) { on(slices_, b, 1); },
      [this](const watch_batch<k8s::node>& b) { on(nodes_, b, 2); },
      [this](const watch_batch<k8s::bgp_conf>& b) { on(confs_, b, 3); },
      [this](const watch_batch<k8s::bgp_peer>& b) { on(peers_, b, 4); },
      [this](const watch_batch<k8s::secret>& b) { on(secrets_, b, 5); },
      [this](atoms::role_atom, bool leading, const std::string& holder) {
        leading_ = leading;
        holder_ = holder;
        schedule();
      },
      [this](atoms::timer_atom, std::uint64_t gen) {
        if (gen == timer_generation_)
          pass();
      },
      [this](atoms::peer_event_atom, const peer_event& ev) {
        const bool up_or_down = ev.kind == "established" || ev.kind == "down";
        if (up_or_down)
          log::info("bgp_peer_" + ev.kind,
                    {{"peer", ev.peer}, {"detail", ev.detail}});
        // Paths and UPDATE counts change with every batch sent.
        if (up_or_down || ev.kind == "updates")
          schedule_status(std::chrono::seconds{1});
      },
      [this](atoms::stats_atom, std::uint64_t generation) {
        if (generation != status_generation_)
          return; // replaced by a sooner one
        status_armed_ = false;
        report_status();
      },
      [this](atoms::release_atom) { finish(); });
  }

private:
  std::string summary() const {
    const auto routes = announced_ ? announced_->size() : 0;
    return std::string{leading_ ? "leading" : "following"} + ", "
           + std::to_string(routes) + " EIP routes"
           + (advertised_ ? " advertised" : " held back") + ", "
           + std::to_string(peer_configs_.size()) + " peers";
  }

  static constexpr int kinds = 6;

  // The manager reports the Services watch; these are the announcer's.
  static constexpr const char* check_names[kinds]
    = {nullptr,          "watch endpointslices", "watch nodes",
       "watch bgpconfs", "watch bgppeers",       "watch secrets"};

  template <class T>
  void on(watch_cache<T>& c, const watch_batch<T>& b, int index) {
    apply(c, b);
    if (b.synced && !synced_[index]) {
      synced_[index] = true;
      if (check_names[index] != nullptr)
        report(check_names[index], true, std::to_string(c.size()) + " cached");
    }
    schedule();
  }

  void report(std::string_view check, bool ok, std::string detail) {
    if (args_.readiness)
      args_.readiness->set(check, ok, std::move(detail));
  }

  void schedule() {
    if (quitting_)
      return;
    request_pass(self_, coalescer_, timer_generation_);
  }

  bool synced() const {
    for (int i = 0; i < kinds; ++i)
      if (!synced_[i])
        return false;
    return true;
  }

  void pass() {
    coalescer_.on_pass(net::coalescer::clock::now());
    if (synced()) { // never announce from a partial world
      configure();
      announce();
    }
    const auto end = net::coalescer::clock::now();
    coalescer_.on_pass_end(end);
    // A burst of passes leaves freed memory behind; give it back now and
    // then (malloc_trim walks the heap: not after every pass).
    if (end - last_trim_ > std::chrono::seconds{1}) {
      release_free_memory();
      last_trim_ = net::coalescer::clock::now();
    }
  }

  // ---- configuration --------------------------------------------------------

  k8s::bgp_setup setup() const {
    if (args_.static_config) {
      k8s::bgp_setup s;
      s.speaker = args_.static_config->speaker;
      s.peers = args_.static_config->peers;
      return s;
    }
    k8s::bgp_setup_input in;
    if (auto it = confs_.find("default"); it != confs_.end())
      in.conf = it->second.get();
    in.peers = values(peers_);
    if (auto it = nodes_.find(args_.node_name); it != nodes_.end()) {
      in.node_labels = it->second->metadata.labels;
      for (const auto& a : it->second->status.addresses)
        if (a.type == "InternalIP")
          if (auto ip = net::parse_ip(a.address);
              ip && ip->fam == net::family::v4 && !in.node_ip)
            in.node_ip = *ip;
    }
    in.secret = [this](std::string_view name,
                       std::string_view key) -> std::optional<std::string> {
      for (const auto& [k, s] : secrets_)
        if (s->metadata.name == name) {
          auto v = k8s::decode_secret_value(*s, key);
          if (v)
            return *v;
        }
      return std::nullopt;
    };
    return k8s::make_bgp_setup(in);
  }

  void configure() {
    auto s = setup();
    report_problems(s.problems);
    if (!s.speaker) {
      stop_speaker();
      report("bgp configuration", false,
             s.problems.empty() ? "no BgpConf named default"
                                : s.problems.front().message);
      return;
    }
    if (speaker_ && !same_speaker(*s.speaker, speaker_config_))
      stop_speaker(); // AS, router ID or listener changed: all sessions
    if (!speaker_) {
      speaker_config_ = *s.speaker;
      speaker_args sa;
      sa.speaker = *s.speaker;
      sa.io = args_.io;
      sa.observer = caf::actor_cast<caf::actor>(self_);
      speaker_ = spawn_bgp_speaker(self_->system(), std::move(sa));
      self_->monitor(speaker_);
      peer_names_.clear();
      announced_.reset(); // the new speaker gets the table below
    }
    std::set<std::string> names;
    peer_configs_.clear();
    for (const auto& p : s.peers) {
      names.insert(p.name);
      peer_configs_.emplace(p.name, p);
      // The speaker keeps an unchanged peer as it is; a changed one resets
      // only that session.
      self_->send(speaker_, atoms::add_peer_atom_v, p);
    }
    for (const auto& old : peer_names_)
      if (names.count(old) == 0)
        self_->send(speaker_, atoms::del_peer_atom_v, old);
    peer_names_ = std::move(names);
    report("bgp configuration", true,
           std::to_string(peer_names_.size()) + " peers");
  }

  void stop_speaker() {
    if (!speaker_)
      return;
    self_->demonitor(speaker_);
    self_->send_exit(speaker_, caf::exit_reason::user_shutdown);
    speaker_ = nullptr;
    peer_names_.clear();
  }

  void report_problems(const std::vector<k8s::object_problem>& problems) {
    std::set<std::string> now;
    for (const auto& p : problems) {
      auto key = p.kind + "/" + p.name + "/" + p.message;
      if (reported_.count(key) == 0) {
        log::warn("bgp_object_invalid", {{"object", p.kind + " " + p.name},
                                         {"reason", p.reason},
                                         {"message", p.message}});
        if (args_.recorder)
          record_event(args_.recorder,
                       {{p.kind, "", p.name, uid_of(p),
                         "network.kubesphere.io/v1alpha2", "", ""},
                        {k8s::event_type::warning, p.reason, p.message}},
                       args_.reporting_instance);
      }
      now.insert(std::move(key));
    }
    reported_ = std::move(now);
    update_validity(problems);
  }

  // The Valid condition of each BgpConf/BgpPeer with a problem, and back to
  // True once it is gone; the leader writes, only what changed.
  void update_validity(const std::vector<k8s::object_problem>& problems) {
    if (!leading_ || quitting_)
      return;
    std::map<std::string, const k8s::object_problem*> now;
    for (const auto& p : problems)
      now.emplace(p.kind + "/" + p.name, &p);
    auto write = [&](const std::string& key, const k8s::object_problem* p) {
      const auto slash = key.find('/');
      write_validity(*args_.client, key.substr(0, slash), key.substr(slash + 1),
                     p);
    };
    for (const auto& [key, p] : now) {
      auto it = invalid_written_.find(key);
      if (it == invalid_written_.end() || it->second != p->message)
        write(key, p);
    }
    for (const auto& [key, message] : invalid_written_)
      if (now.count(key) == 0 && exists(key))
        write(key, nullptr);
    invalid_written_.clear();
    for (const auto& [key, p] : now) {
      invalid_written_.emplace(key, p->message);
      valid_written_.erase(key);
    }
    // Valid=True once per object this replica leads for, so `kubectl get
    // bgppeers` shows True rather than an empty column.
    auto confirm = [&](const std::string& kind, const std::string& name,
                       const std::string& uid) {
      const auto key = kind + "/" + name;
      if (now.count(key) != 0)
        return;
      auto [it, fresh] = valid_written_.try_emplace(key, uid);
      if (!fresh && it->second == uid)
        return;
      it->second = uid;
      write(key, nullptr);
    };
    for (const auto& [name, conf] : confs_)
      confirm("BgpConf", name, conf->metadata.uid);
    for (const auto& [name, peer] : peers_)
      confirm("BgpPeer", name, peer->metadata.uid);
  }

  bool exists(const std::string& key) const {
    const auto slash = key.find('/');
    const auto name = key.substr(slash + 1);
    return key.rfind("BgpConf/", 0) == 0 ? confs_.count(name) != 0
                                         : peers_.count(name) != 0;
  }

  std::string uid_of(const k8s::object_problem& p) const {
    if (p.kind == "BgpConf")
      if (auto it = confs_.find(p.name); it != confs_.end())
        return it->second->metadata.uid;
    if (p.kind == "BgpPeer")
      if (auto it = peers_.find(p.name); it != peers_.end())
        return it->second->metadata.uid;
    return {};
  }

  // ---- BgpPeer status -------------------------------------------------------

  // Issue #8 item 2: per replica the session state, uptime, last error and
  // paths advertised, in status.nodesPeerStatus[<replica>] (and
  // /debug/bgp/peers); after a session change or a batch of UPDATEs (at most
  // once a second) and every 30 s. Each replica writes its own entry,
  // leader or not.
  void schedule_status(std::chrono::milliseconds delay) {
    if (quitting_)
      return;
    // A change while the 30 s refresh is armed must not wait for it.
    const auto due = std::chrono::steady_clock::now() + delay;
    if (status_armed_ && status_due_ <= due)
      return;
    status_armed_ = true;
    status_due_ = due;
    self_->delayed_send(self_, delay, atoms::stats_atom_v,
                        ++status_generation_);
  }

  void report_status() {
    schedule_status(std::chrono::seconds{30});
    if (!speaker_ || args_.static_config || args_.reporting_instance.empty())
      return;
    self_->request(speaker_, std::chrono::seconds{2}, atoms::stats_atom_v)
      .then([this](std::vector<bgp::peer_stats>& all) {
        if (args_.board)
          args_.board->set("bgp/peers", peers_json(all));
        write_peer_status(*args_.client, all, peer_configs_, speaker_config_,
                          args_.reporting_instance);
      });
  }

  // ---- routes ---------------------------------------------------------------

  void announce() {
    if (!speaker_)
      return;
    k8s::next_hop_world w{values(services_), values(slices_), values(nodes_)};
    auto routes
      = k8s::plan_next_hops(w, {args_.default_class, args_.node_selector});
    const bool advertise
      = !quitting_
        && k8s::keeps_advertising(leading_, advertised_, holder_,
                                  args_.reporting_instance);
    if (announced_ && same_routes(routes, *announced_)
        && advertise == advertised_)
      return; // unrelated change: no UPDATE
    bgp::desired_routes_builder b;
    if (advertise)
      for (const auto& r : routes)
        if (!r.next_hops.empty())
          b.add(net::prefix::host(r.eip), r.next_hops);
    self_->send(speaker_, atoms::routes_atom_v,
                std::make_shared<const bgp::desired_routes>(b.finish()));
    report_unserved(routes);
    if (args_.board)
      args_.board->set("bgp/routes", routes_json(routes, advertise));
    announced_ = std::move(routes);
    advertised_ = advertise;
  }

  // Issue #8 item 1: no eligible node → withdrawn, and an Event says so
  // (once, when the EIP loses its last node).
  void report_unserved(const std::vector<k8s::eip_route>& routes) {
    std::set<net::ip_address> now;
    for (const auto& r : routes) {
      if (!r.next_hops.empty())
        continue;
      now.insert(r.eip);
      if (unserved_.count(r.eip) != 0 || !leading_ || !args_.recorder)
        continue;
      for (const auto& key : r.services) {
        auto it = services_.find(key);
        if (it == services_.end())
          continue;
        const auto& m = it->second->metadata;
        record_event(args_.recorder,
                     {{"Service", m.namespace_, m.name, m.uid, "v1",
                       m.resource_version, ""},
                      {k8s::event_type::warning, "NoEligibleNode",
                       "no node can serve " + net::to_string(r.eip)
                         + "; its route is withdrawn"}},
                     args_.reporting_instance);
      }
    }
    unserved_ = std::move(now);
  }

  // ---- shutdown -------------------------------------------------------------

  void on_exit(const caf::exit_msg& msg) {
    if (quitting_)
      return;
    quitting_ = true;
    reason_ = msg.reason;
    if (leading_ && speaker_ && announced_ && advertised_) {
      // The elector releases the Lease meanwhile; the next leader's paths
      // arrive before ours go (issue #8 item 3).
      log::info("handover_grace",
                {{"ms", std::to_string(args_.grace.count())}});
      self_->delayed_send(self_, args_.grace, atoms::release_atom_v);
      return;
    }
    finish();
  }

  void finish() {
    // The speaker's sessions close with Cease/Administrative Shutdown.
    stop_speaker();
    self_->quit(reason_);
  }

  caf::event_based_actor* self_;
  announcer_args args_;
  watch_cache<k8s::service> services_;
  watch_cache<k8s::endpoint_slice> slices_;
  watch_cache<k8s::node> nodes_;
  watch_cache<k8s::bgp_conf> confs_;
  watch_cache<k8s::bgp_peer> peers_;
  watch_cache<k8s::secret> secrets_;
  bool synced_[kinds] = {};
  bool leading_ = false;
  std::string holder_; ///< the Lease holder the elector last saw
  bool quitting_ = false;
  caf::error reason_;
  std::uint64_t timer_generation_ = 0;
  net::coalescer coalescer_{std::chrono::milliseconds{50}};
  net::coalescer::clock::time_point last_trim_{};
  caf::actor speaker_;
  bgp::speaker_config speaker_config_;
  std::set<std::string> peer_names_;
  std::map<std::string, bgp::peer_config> peer_configs_;
  bool status_armed_ = false;
  std::chrono::steady_clock::time_point status_due_{};
  std::uint64_t status_generation_ = 0;
  std::optional<std::vector<k8s::eip_route>> announced_;
  bool advertised_ = false;
  std::set<std::string> reported_;
  std::map<std::string, std::string> invalid_written_; ///< kind/name → msg
  std::map<std::string, std::string> valid_written_;   ///< kind/name → uid
  std::set<net::ip_address> unserved_;
  actor_card card_;
};

caf::behavior announcer_behavior(caf::stateful_actor<announcer_state>* self,
                                 announcer_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_announcer(caf::actor_system& sys, announcer_args args) {
  return sys.spawn(announcer_behavior, std::move(args));
}

} // namespace porter
