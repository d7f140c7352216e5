#include "actors/sim_switch.hpp"

#include <set>

#include <caf/all.hpp>

#include "actors/bgp_session.hpp"
#include "actors/bgp_speaker.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "bgp/desired_routes.hpp"
#include "net/io/tcp.hpp"

namespace porter {

void fabric_board::set_port(const std::string& sw, std::uint16_t port) {
  std::lock_guard lock{mutex_};
  switches_[sw].port = port;
}

void fabric_board::publish(const std::string& sw, sim::forwarding_table fib,
                           std::size_t paths, std::size_t stale_paths) {
  std::lock_guard lock{mutex_};
  auto& v = switches_[sw];
  v.paths = paths;
  v.stale_paths = stale_paths;
  if (v.fib != fib) {
    v.fib = std::move(fib);
    ++v.changes;
  }
}

void fabric_board::set_sessions(const std::string& sw, std::size_t n) {
  std::lock_guard lock{mutex_};
  switches_[sw].sessions = n;
}

std::optional<fabric_board::switch_view>
fabric_board::view(const std::string& sw) const {
  std::lock_guard lock{mutex_};
  auto it = switches_.find(sw);
  if (it == switches_.end())
    return std::nullopt;
  return it->second;
}

namespace {

class sim_switch_state {
public:
  static inline const char* name = "sim_switch";

  explicit sim_switch_state(caf::event_based_actor* self) : self_(self) {}

  caf::behavior make_behavior(sim_switch_args args) {
    args_ = std::move(args);
    auto me = caf::actor_cast<caf::actor>(self_);
    std::string error;
    listener_ = net::io::tcp_listener::listen(
      *args_.io, {args_.address, 0},
      [me](connection_ptr conn) {
        caf::anon_send(me, atoms::incoming_atom_v, std::move(conn));
      },
      error);
    if (!listener_) {
      log::error("sim_switch_listen_failed",
                 {{"switch", args_.name}, {"error", error}});
      self_->quit(caf::sec::runtime_error);
      return {};
    }
    args_.board->set_port(args_.name, listener_->port());
    args_.board->publish(args_.name, {}, 0, 0);
    if (args_.uplink)
      start_uplink();
    self_->set_exit_handler([this](caf::exit_msg& msg) {
      listener_->close();
      for (auto& [name, session] : sessions_)
        self_->send_exit(session, msg.reason);
      if (uplink_)
        self_->send_exit(uplink_, msg.reason);
      self_->quit(msg.reason);
    });
    return {
      [this](atoms::incoming_atom, const connection_ptr& conn) {
        if (std::chrono::steady_clock::now() < refuse_until_) {
          conn->close(); // partitioned: nobody gets through
          return;
        }
        accept(conn);
      },
      [this](atoms::partition_atom, std::int64_t ms) {
        refuse_until_
          = std::chrono::steady_clock::now() + std::chrono::milliseconds{ms};
        log::info("sim_partition",
                  {{"switch", args_.name}, {"ms", std::to_string(ms)}});
        for (auto& [name, session] : sessions_)
          self_->send_exit(session, caf::exit_reason::user_shutdown);
      },
      [this](atoms::routes_in_atom, const std::string& session,
             const bgp::received_changes& changes) {
        rib_.apply(session, changes);
        // RFC 4724 §4.2: the restarted peer's End-of-RIB ends its stale
        // paths.
        if (changes.end_of_rib)
          if (auto it = peers_.find(session); it != peers_.end())
            rib_.drop_stale(it->second.id);
        changed();
      },
      [this](atoms::timer_atom, std::uint32_t peer_id, std::uint64_t gen) {
        if (auto it = stale_timers_.find(peer_id);
            it != stale_timers_.end() && it->second == gen) {
          stale_timers_.erase(it);
          rib_.drop_stale(peer_id);
          changed();
        }
      },
      [this](atoms::peer_event_atom, const peer_event& ev) { on_event(ev); },
    };
  }

private:
  void accept(const connection_ptr& conn) {
    const auto remote = conn->remote();
    const std::string session = args_.name + "<-" + net::io::to_string(remote);
    bgp::peer_config peer;
    peer.name = session;
    peer.address = remote.address;
    peer.port = remote.port;
    peer.peer_as = 0; // whoever connects (a dynamic neighbour)
    peer.passive = true;
    peer.add_path = false;
    peer.add_path_receive = true;
    peer.hold_time = 9;
    session_args s;
    s.speaker = {args_.as, args_.router_id, 0, {}};
    s.peer = peer;
    s.io = args_.io;
    s.routes = std::make_shared<const bgp::desired_routes>();
    s.observer = caf::actor_cast<caf::actor>(self_);
    s.report_received = true;
    auto handle = spawn_bgp_session(self_, std::move(s));
    self_->send(handle, atoms::incoming_atom_v, conn);
    sessions_[session] = handle;
  }

  void on_event(const peer_event& ev) {
    if (ev.kind == "established") {
      established_.insert(ev.peer);
      peers_[ev.peer] = identity_of(ev.detail);
      log::info("sim_session_up", {{"switch", args_.name}, {"peer", ev.peer}});
    } else if (ev.kind == "down") {
      established_.erase(ev.peer);
      const auto who = peers_[ev.peer];
      peers_.erase(ev.peer);
      if (sim::keeps_paths_when_down(ev.detail, who.restart_time > 0)) {
        rib_.keep_stale(ev.peer, who.id);
        const auto gen = ++stale_generation_;
        stale_timers_[who.id] = gen;
        self_->delayed_send(self_, std::chrono::seconds{who.restart_time},
                            atoms::timer_atom_v, who.id, gen);
      } else {
        rib_.drop_session(ev.peer);
      }
      // Each connection has its own session actor; a new one comes with
      // the next connection.
      if (auto it = sessions_.find(ev.peer); it != sessions_.end()) {
        self_->send_exit(it->second, caf::exit_reason::user_shutdown);
        sessions_.erase(it);
      }
      log::info(
        "sim_session_down",
        {{"switch", args_.name}, {"peer", ev.peer}, {"why", ev.detail}});
      changed();
    } else {
      return;
    }
    args_.board->set_sessions(args_.name, established_.size());
  }

  /// The peer's BGP Identifier and Restart Time from the "established"
  /// detail (actors/messages.hpp: "... peer_id=a.b.c.d restart_time=N").
  struct peer_identity {
    std::uint32_t id = 0;
    std::uint16_t restart_time = 0; ///< 0: no graceful restart
  };

  static peer_identity identity_of(const std::string& detail) {
    auto field = [&](std::string_view key) -> std::string {
      auto at = detail.find(std::string{key} + "=");
      if (at == std::string::npos)
        return {};
      at += key.size() + 1;
      return detail.substr(at, detail.find(' ', at) - at);
    };
    peer_identity p;
    if (auto ip = net::parse_ip(field("peer_id")); ip && ip->is_v4())
      p.id = ip->v4_host_order();
    const auto rt = field("restart_time");
    if (!rt.empty() && rt != "-")
      p.restart_time = static_cast<std::uint16_t>(std::stoul(rt));
    return p;
  }

  void changed() {
    auto fib = rib_.forwarding();
    args_.board->publish(args_.name, fib, rib_.paths(), rib_.stale_paths());
    if (!uplink_)
      return;
    bgp::desired_routes_builder b;
    for (const auto& [prefix, hops] : fib)
      if (!hops.empty())
        b.add(prefix, {prefix.addr.is_v4() ? args_.self_v4 : args_.self_v6});
    self_->send(
      uplink_, atoms::routes_atom_v,
      routes_snapshot{std::make_shared<const bgp::desired_routes>(b.finish())});
  }

  void start_uplink() {
    speaker_args sp;
    sp.speaker = {args_.as, args_.router_id, 0, {}};
    sp.io = args_.io;
    uplink_ = spawn_bgp_speaker(self_->system(), std::move(sp));
    bgp::peer_config spine;
    spine.name = args_.name + "->spine";
    spine.address = args_.uplink->first;
    spine.port = args_.uplink->second;
    spine.peer_as = args_.uplink_as;
    spine.add_path = false;
    spine.hold_time = 9;
    spine.connect_retry = std::chrono::milliseconds{200};
    self_->send(uplink_, atoms::add_peer_atom_v, spine);
    self_->send(uplink_, atoms::routes_atom_v,
                routes_snapshot{std::make_shared<const bgp::desired_routes>()});
  }

  caf::event_based_actor* self_;
  sim_switch_args args_;
  std::shared_ptr<net::io::tcp_listener> listener_;
  std::map<std::string, caf::actor> sessions_;
  std::set<std::string> established_;
  sim::switch_rib rib_;
  std::map<std::string, peer_identity> peers_;          ///< by session
  std::map<std::uint32_t, std::uint64_t> stale_timers_; ///< peer → generation
  std::uint64_t stale_generation_ = 0;
  std::chrono::steady_clock::time_point refuse_until_{};
  caf::actor uplink_;
};

caf::behavior sim_switch_behavior(caf::stateful_actor<sim_switch_state>* self,
                                  sim_switch_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_sim_switch(caf::actor_system& sys, sim_switch_args args) {
  return sys.spawn(sim_switch_behavior, std::move(args));
}

} // namespace porter
