#include "actors/bgp_speaker.hpp"

#include <map>
#include <set>

#include "actors/actor_card.hpp"
#include "actors/logging.hpp"
#include "net/io/tcp.hpp"

namespace porter {

namespace {

struct session_slot {
  bgp::peer_config config;
  caf::actor handle;
  caf::actor_clock::time_point started_at;
  std::uint32_t consecutive_failures = 0;
  std::uint64_t generation = 0;
};

class bgp_speaker_state {
public:
  static inline const char* name = "bgp_speaker";

  explicit bgp_speaker_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(speaker_args args) {
    args_ = std::move(args);
    self_->set_down_handler([this](caf::down_msg& msg) { on_down(msg); });
    self_->set_exit_handler([this](caf::exit_msg& msg) {
      for (auto& [name, slot] : sessions_)
        if (slot.handle)
          self_->send_exit(slot.handle, msg.reason);
      if (listener_)
        listener_->close();
      self_->quit(msg.reason);
    });
    card_.enroll(
      self_, "bgp_speaker",
      "AS" + std::to_string(args_.speaker.local_as) + " "
        + net::to_string(net::ip_address::v4(args_.speaker.router_id)),
      [this] { return summary(); });
    listen();
    return card_.behavior(
      [this](atoms::add_peer_atom, const bgp::peer_config& peer) {
        add_peer(peer);
      },
      [this](atoms::del_peer_atom, const std::string& name) { del_peer(name); },
      [this](atoms::routes_atom, routes_snapshot routes) {
        routes_ = std::move(routes);
        for (auto& [name, slot] : sessions_)
          if (slot.handle)
            self_->send(slot.handle, atoms::routes_atom_v, routes_);
      },
      [this](atoms::peer_event_atom, const peer_event& ev) {
        if (ev.kind == "established") {
          established_once_.insert(ev.peer);
          up_.insert(ev.peer);
        } else if (ev.kind == "down") {
          up_.erase(ev.peer);
        }
        if (args_.observer)
          self_->send(args_.observer, atoms::peer_event_atom_v, ev);
      },
      [this](atoms::stats_atom) { return collect_stats(); },
      [this](atoms::incoming_atom, const connection_ptr& conn) {
        on_incoming(conn);
      },
      [this](atoms::restart_atom, const std::string& name,
             std::uint64_t generation) { restart(name, generation); });
  }

  std::string summary() const {
    return std::to_string(sessions_.size()) + " peers, "
           + std::to_string(up_.size()) + " established"
           + (listener_
                ? ", listening on " + std::to_string(args_.speaker.listen_port)
                : std::string{});
  }

private:
  // Hitless: an unchanged peer keeps its session; a changed one is the only
  // session that resets.
  void add_peer(bgp::peer_config peer) {
    if (peer.name.empty())
      peer.name = net::to_string(peer.address);
    auto it = sessions_.find(peer.name);
    if (it != sessions_.end() && it->second.config == peer)
      return;
    del_peer(peer.name);
    auto& slot = sessions_[peer.name];
    slot.config = peer;
    if (listener_ && !peer.md5_password.empty())
      report_md5(listener_->set_md5(peer.address, peer.md5_password), peer);
    start(slot);
    log::info("bgp_peer_added", {{"peer", peer.name}});
  }

  void del_peer(const std::string& name) {
    auto it = sessions_.find(name);
    if (it == sessions_.end())
      return;
    if (it->second.handle) {
      self_->demonitor(it->second.handle);
      self_->send_exit(it->second.handle, caf::exit_reason::user_shutdown);
    }
    if (listener_ && !it->second.config.md5_password.empty())
      listener_->set_md5(it->second.config.address, "");
    sessions_.erase(it);
  }

  void report_md5(const std::string& err, const bgp::peer_config& peer) {
    if (!err.empty())
      log::error("bgp_md5_key", {{"peer", peer.name}, {"error", err}});
  }

  void listen() {
    const auto& sp = args_.speaker;
    if (sp.listen_port == 0)
      return;
    auto me = caf::actor_cast<caf::actor>(self_);
    auto address = sp.listen_address.value_or(
      net::parse_ip("::").value()); // dual-stack any
    std::string error;
    // RFC 5082 §3: GTSM peers must see TTL 255 from the SYN-ACK on.
    constexpr int gtsm_ttl = 255;
    listener_ = net::io::tcp_listener::listen(
      *args_.io, {address, sp.listen_port},
      [me](connection_ptr conn) {
        caf::anon_send(me, atoms::incoming_atom_v, std::move(conn));
      },
      error, gtsm_ttl);
    if (!listener_)
      log::error("bgp_listen_failed", {{"error", error}});
    else
      log::info("bgp_listening", {{"port", std::to_string(sp.listen_port)}});
  }

  // Only configured neighbours may connect (RFC 4271 §8.2.1.1: a speaker
  // accepts connections from the peers it is configured with).
  void on_incoming(const connection_ptr& conn) {
    auto remote = conn->remote();
    for (auto& [name, slot] : sessions_) {
      if (slot.config.address == remote.address && slot.handle) {
        self_->send(slot.handle, atoms::incoming_atom_v, conn);
        return;
      }
    }
    log::warn("bgp_connection_rejected",
              {{"from", net::io::to_string(remote)},
               {"why", "not a configured neighbour"}});
    conn->close();
  }

  void start(session_slot& slot) {
    auto me = caf::actor_cast<caf::actor>(self_);
    bool first = established_once_.count(slot.config.name) == 0;
    slot.handle
      = spawn_bgp_session(self_, session_args{args_.speaker, slot.config,
                                              args_.io, routes_, me, first});
    slot.started_at = self_->clock().now();
    self_->monitor(slot.handle);
  }

  void on_down(const caf::down_msg& msg) {
    for (auto& [name, slot] : sessions_) {
      if (slot.handle.address() != msg.source)
        continue;
      slot.handle = nullptr;
      auto ran_for = std::chrono::duration_cast<std::chrono::milliseconds>(
        self_->clock().now() - slot.started_at);
      slot.consecutive_failures = next_failure_count(
        args_.restarts, slot.consecutive_failures, ran_for);
      auto delay = restart_delay(args_.restarts, slot.consecutive_failures);
      log::warn("bgp_session_crashed",
                {{"peer", name}, {"reason", to_string(msg.reason)}});
      self_->delayed_send(self_, delay, atoms::restart_atom_v, name,
                          ++slot.generation);
      return;
    }
  }

  void restart(const std::string& name, std::uint64_t generation) {
    auto it = sessions_.find(name);
    if (it == sessions_.end() || it->second.generation != generation
        || it->second.handle)
      return;
    start(it->second);
  }

  caf::result<std::vector<bgp::peer_stats>> collect_stats() {
    auto promise = self_->make_response_promise<std::vector<bgp::peer_stats>>();
    auto pending = std::make_shared<std::size_t>(0);
    auto out = std::make_shared<std::vector<bgp::peer_stats>>();
    for (auto& [name, slot] : sessions_)
      if (slot.handle)
        ++*pending;
    if (*pending == 0) {
      promise.deliver(*out);
      return promise;
    }
    auto done = [promise, pending, out]() mutable {
      if (--*pending == 0)
        promise.deliver(*out);
    };
    for (auto& [name, slot] : sessions_) {
      if (!slot.handle)
        continue;
      self_->request(slot.handle, std::chrono::seconds(5), atoms::stats_atom_v)
        .then(
          [out, done](bgp::peer_stats& s) mutable {
            out->push_back(std::move(s));
            done();
          },
          [done](caf::error&) mutable { done(); });
    }
    return promise;
  }

  std::set<std::string> up_; // peers Established now
  actor_card card_;
  caf::event_based_actor* self_;
  speaker_args args_;
  routes_snapshot routes_;
  std::map<std::string, session_slot> sessions_;
  std::shared_ptr<net::io::tcp_listener> listener_;
  std::set<std::string> established_once_;
};

caf::behavior speaker_behavior(caf::stateful_actor<bgp_speaker_state>* self,
                               speaker_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_bgp_speaker(caf::actor_system& sys, speaker_args args) {
  return sys.spawn(speaker_behavior, std::move(args));
}

} // namespace porter
