#include "actors/bgp_session.hpp"

#include <array>
#include <optional>

#include "actors/actor_card.hpp"
#include "actors/logging.hpp"
#include "actors/metrics.hpp"
#include "bgp/codec.hpp"
#include "bgp/fsm.hpp"
#include "bgp/received_routes.hpp"
#include "net/io/tcp.hpp"

namespace porter {

namespace {

using bgp::fsm_action;
using bgp::fsm_event;
using bgp::fsm_event_type;

class bgp_session_state {
public:
  static inline const char* name = "bgp_session";

  explicit bgp_session_state(caf::event_based_actor* self) : self_(self) {}
  // The peer is gone, or its session starts over: so are its samples
  // (counters of a new session start from zero, as Prometheus expects).
  ~bgp_session_state() {
    const net::metric_labels peer{{"peer", args_.peer.name}};
    for (const char* m :
         {"porter_bgp_session_up", "porter_bgp_session_state",
          "porter_bgp_session_uptime_seconds", "porter_bgp_session_flaps_total",
          "porter_bgp_updates_sent_total", "porter_bgp_updates_received_total",
          "porter_bgp_prefixes_advertised"})
      metrics::remove(m, peer);
    for (std::size_t t = 1; t < stats_.messages_in.size(); ++t) {
      const net::metric_labels typed{
        {"peer", args_.peer.name},
        {"type", bgp::metric_name(static_cast<bgp::message_type>(t))}};
      metrics::remove("porter_bgp_messages_received_total", typed);
      metrics::remove("porter_bgp_messages_sent_total", typed);
    }
  }

  caf::behavior make_behavior(session_args args) {
    args_ = std::move(args);
    if (args_.peer.name.empty())
      args_.peer.name = net::to_string(args_.peer.address);
    fsm_.emplace(bgp::make_fsm_config(args_.speaker, args_.peer));
    stats_.peer = args_.peer.name;
    stats_.state = std::string(to_string(fsm_->state()));
    self_->set_exit_handler([this](caf::exit_msg& msg) { on_exit(msg); });
    card_.enroll(self_, "bgp_session", args_.peer.name,
                 [this] { return summary(); });
    metrics::set("porter_bgp_session_state", {{"peer", args_.peer.name}},
                 bgp::mib_state_number(stats_.state));
    handle(fsm_event_type::manual_start);
    return card_.behavior(
      [this](atoms::routes_atom, routes_snapshot routes) {
        on_routes(std::move(routes));
      },
      [this](atoms::stats_atom) { return stats(); },
      [this](atoms::incoming_atom, const connection_ptr& conn) {
        on_incoming(conn);
      },
      [this](atoms::io_up_atom, std::uint64_t gen) {
        if (gen == conn_gen_)
          handle(fsm_event_type::tcp_cr_acked);
      },
      [this](atoms::io_data_atom, std::uint64_t gen,
             const std::vector<std::uint8_t>& data) { on_data(gen, data); },
      [this](atoms::io_down_atom, std::uint64_t gen, const std::string& why) {
        if (gen != conn_gen_)
          return;
        stats_.last_error = why;
        conn_.reset();
        handle(fsm_event_type::tcp_connection_fails);
      },
      [this](atoms::timer_atom, std::uint8_t kind, std::uint64_t gen) {
        auto t = static_cast<bgp::timer_kind>(kind);
        if (gen == timer_gen_[kind])
          handle(bgp::expiry_event(t));
      });
  }

private:
  // --- events in ----------------------------------------------------------

  void on_routes(routes_snapshot routes) {
    args_.routes = std::move(routes);
    if (!rib_)
      return;
    rib_->set_desired(args_.routes); // shared, not copied
    flush_updates();
    send_end_of_rib_once();
  }

  // RFC 4724 §2: End-of-RIB after the initial table, per family — only once
  // the table is known (RFC 4724 §4.1: the helper keeps our stale routes).
  void send_end_of_rib_once() {
    if (eor_sent_ || !args_.routes || !fsm_->session())
      return;
    eor_sent_ = true;
    for (auto family : fsm_->session()->families)
      send(bgp::make_end_of_rib(family));
  }

  void on_data(std::uint64_t gen, const std::vector<std::uint8_t>& data) {
    if (gen != conn_gen_)
      return;
    framer_.feed(data.data(), data.size());
    // Stop as soon as an event closed the connection.
    while (conn_ && gen == conn_gen_) {
      auto frame = framer_.next();
      if (!frame) {
        handle(bgp::event_for_decode_error(frame.error()));
        return;
      }
      if (!*frame)
        break;
      on_frame(**frame);
    }
    export_counters();
  }

  void on_frame(const bgp::bytes& frame) {
    auto decoded = bgp::decode_message(frame.data(), frame.size(), rx_);
    if (!decoded) {
      handle(bgp::event_for_decode_error(decoded.error()));
      return;
    }
    stats_.count_in(bgp::type_of(decoded->msg));
    if (decoded->cause)
      log::warn(
        "update_error_handled",
        {{"peer", args_.peer.name}, {"error", bgp::describe(*decoded->cause)}});
    if (std::holds_alternative<bgp::route_refresh_message>(decoded->msg)
        && rib_) {
      // RFC 2918 §4: re-advertise the whole Adj-RIB-Out.
      rib_->clear();
      flush_updates();
    }
    if (auto* n = std::get_if<bgp::notification>(&decoded->msg))
      stats_.last_error = "received " + bgp::describe(*n);
    // Before the FSM sees it: an UPDATE that breaks the session must not
    // be half-reported after the down event.
    if (auto* u = std::get_if<bgp::update_message>(&decoded->msg);
        u != nullptr && args_.report_received && args_.observer
        && fsm_->state() == bgp::fsm_state::established)
      self_->send(
        args_.observer, atoms::routes_in_atom_v, args_.peer.name,
        bgp::changes_of(*u, decoded->action
                              == bgp::update_error_action::treat_as_withdraw));
    handle(bgp::event_for(decoded->msg));
  }

  void on_exit(const caf::exit_msg& msg) {
    handle({fsm_event_type::manual_stop, std::string("porter is stopping")});
    self_->quit(msg.reason);
  }

  // --- the pure core, and the actions it returns ------------------------

  void handle(const fsm_event& ev) {
    auto before = fsm_->state();
    auto actions = fsm_->handle(ev);
    // Observers see the new state before what the actions report.
    if (fsm_->state() != before) {
      stats_.state = std::string(to_string(fsm_->state()));
      log::debug("bgp_state", {{"peer", args_.peer.name},
                               {"from", std::string(to_string(before))},
                               {"to", stats_.state}});
      notify("state", stats_.state);
    }
    for (auto& action : actions)
      std::visit([this](auto& a) { perform(a); }, action);
  }

  void perform(const bgp::initiate_connection&) {
    auto gen = ++conn_gen_;
    reset_stream();
    auto t = bgp::transport_for(args_.speaker, args_.peer);
    net::io::socket_options opts;
    opts.local_address = args_.peer.local_address;
    opts.local_port = args_.peer.local_port;
    opts.md5_password = args_.peer.md5_password;
    opts.ttl = t.ttl;
    opts.min_ttl = t.min_ttl;
    opts.user_timeout = t.user_timeout;
    conn_ = net::io::tcp_connection::connect(
      *args_.io, {args_.peer.address, args_.peer.port}, opts, callbacks(gen));
  }

  // RFC 4271 §8.2.2: the peer's connection is taken in Connect and Active
  // (Event 17); in Idle it is refused, and from OpenSent on the connection
  // we already have wins (a simplification of §6.8 that cannot deadlock:
  // the peer sees our connection complete).
  void on_incoming(const std::shared_ptr<net::io::tcp_connection>& conn) {
    auto st = fsm_->state();
    if (st != bgp::fsm_state::connect && st != bgp::fsm_state::active) {
      log::info(
        "bgp_connection_refused",
        {{"peer", args_.peer.name}, {"state", std::string(to_string(st))}});
      conn->close();
      return;
    }
    if (conn_)
      conn_->close(); // our own attempt, still in progress
    auto gen = ++conn_gen_;
    reset_stream();
    auto t = bgp::transport_for(args_.speaker, args_.peer);
    net::io::socket_options opts;
    opts.ttl = t.ttl;
    opts.min_ttl = t.min_ttl;
    opts.user_timeout = t.user_timeout;
    if (auto err = net::io::apply_connected_options(*conn, opts); !err.empty())
      log::warn("bgp_socket_option",
                {{"peer", args_.peer.name}, {"error", err}});
    conn_ = conn;
    conn_->start(callbacks(gen));
    handle(fsm_event_type::tcp_connection_confirmed);
  }

  void reset_stream() {
    framer_ = bgp::framer();
    rx_ = tx_ = bgp::wire_options{};
  }

  net::io::connection_callbacks callbacks(std::uint64_t gen) {
    auto me = caf::actor_cast<caf::actor>(self_);
    return {[me, gen] { caf::anon_send(me, atoms::io_up_atom_v, gen); },
            [me, gen](std::vector<std::uint8_t> data) {
              caf::anon_send(me, atoms::io_data_atom_v, gen, std::move(data));
            },
            [me, gen](std::string why) {
              caf::anon_send(me, atoms::io_down_atom_v, gen, std::move(why));
            }};
  }

  void perform(const bgp::close_connection&) {
    ++conn_gen_; // anything still in flight from it is stale
    if (conn_)
      conn_->close();
    conn_.reset();
  }

  void perform(const bgp::send_open&) {
    const auto& cfg = fsm_->config().session;
    auto caps = bgp::open_capabilities(
      cfg.local_caps, args_.first_since_start && stats_.established_count == 0);
    send(bgp::make_open(cfg.local_as, cfg.hold_time, cfg.local_id, caps));
  }

  void perform(const bgp::send_keepalive&) { send(bgp::keepalive_message{}); }

  void perform(const bgp::send_notification& a) {
    stats_.last_error = "sent " + bgp::describe(a.notif);
    send(a.notif);
  }

  void perform(const bgp::start_timer& a) {
    auto kind = static_cast<std::uint8_t>(a.timer);
    self_->delayed_send(self_, a.duration, atoms::timer_atom_v, kind,
                        ++timer_gen_[kind]);
  }

  void perform(const bgp::stop_timer& a) {
    ++timer_gen_[static_cast<std::uint8_t>(a.timer)];
  }

  void perform(const bgp::session_established& a) {
    tx_ = a.session.tx;
    rx_ = a.session.rx;
    framer_.set_max_size(rx_.max_size());
    rib_.emplace(bgp::make_peer_context(fsm_->config().session, a.session));
    established_at_ = self_->clock().now();
    ++stats_.established_count;
    stats_.add_path = rib_->context().add_path_v4;
    stats_.hold_time = a.session.hold_time;
    log::info("bgp_session_up",
              {{"peer", args_.peer.name},
               {"peer_as", std::to_string(a.session.peer_as)},
               {"add_path", stats_.add_path ? "1" : "0"},
               {"hold", std::to_string(a.session.hold_time)}});
    const auto& gr = a.session.peer_graceful_restart;
    notify("established",
           std::string("add_path=") + (stats_.add_path ? "1" : "0")
             + " add_path6=" + (rib_->context().add_path_v6 ? "1" : "0")
             + " hold=" + std::to_string(a.session.hold_time) + " peer_id="
             + net::to_string(net::ip_address::v4(a.session.peer_id))
             + " restart_time="
             + (gr ? std::to_string(gr->restart_time) : std::string{"-"}));
    eor_sent_ = false;
    rib_->set_desired(args_.routes);
    flush_updates();
    send_end_of_rib_once();
  }

  void perform(const bgp::session_down& a) {
    rib_.reset();
    established_at_.reset();
    stats_.advertised_paths = 0;
    std::string why(to_string(a.reason));
    if (a.cause)
      why += ": " + bgp::describe(*a.cause);
    else if (!stats_.last_error.empty())
      why += ": " + stats_.last_error;
    log::info("bgp_session_down", {{"peer", args_.peer.name}, {"why", why}});
    notify("down", why);
  }

  // --- helpers --------------------------------------------------------------

  // All pending UPDATEs encoded straight into one buffer, one send: no
  // update_message values, no per-message allocation (issue #4).
  void flush_updates() {
    if (!rib_)
      return;
    bgp::bytes wire;
    auto updates = rib_->write_updates(tx_.max_size(), tx_, wire);
    stats_.advertised_paths = rib_->advertised_paths();
    if (updates == 0)
      return;
    if (conn_) {
      stats_.messages_out[static_cast<std::size_t>(bgp::message_type::update)]
        += updates;
      conn_->send(std::move(wire));
    }
    export_counters();
    notify("updates", std::to_string(updates));
  }

  void send(bgp::message msg) {
    if (!conn_)
      return;
    stats_.count_out(bgp::type_of(msg));
    conn_->send(bgp::encode_message(msg, tx_));
    export_counters();
  }

  // The session's counters as metrics, after each batch of messages in or
  // out (not per message: a table of 10k paths is one flush).
  void export_counters() {
    const net::metric_labels peer{{"peer", args_.peer.name}};
    for (std::size_t t = 1; t < stats_.messages_in.size(); ++t) {
      const char* type = bgp::metric_name(static_cast<bgp::message_type>(t));
      if (stats_.messages_in[t] != 0)
        metrics::set("porter_bgp_messages_received_total",
                     {{"peer", args_.peer.name}, {"type", type}},
                     static_cast<double>(stats_.messages_in[t]));
      if (stats_.messages_out[t] != 0)
        metrics::set("porter_bgp_messages_sent_total",
                     {{"peer", args_.peer.name}, {"type", type}},
                     static_cast<double>(stats_.messages_out[t]));
    }
    constexpr auto update = static_cast<std::size_t>(bgp::message_type::update);
    metrics::set("porter_bgp_updates_received_total", peer,
                 static_cast<double>(stats_.messages_in[update]));
    metrics::set("porter_bgp_prefixes_advertised", peer,
                 static_cast<double>(stats_.advertised_paths));
  }

  std::string summary() const {
    std::string out = stats_.state;
    if (rib_)
      out += ", " + std::to_string(stats_.advertised_paths) + " paths sent";
    else if (!stats_.last_error.empty())
      out += ", last error: " + stats_.last_error;
    return out;
  }

  void notify(const char* kind, std::string detail) {
    const std::string_view k{kind};
    if (k == "state") {
      metrics::set("porter_bgp_session_state", {{"peer", args_.peer.name}},
                   bgp::mib_state_number(stats_.state));
    } else if (k == "established") {
      metrics::set("porter_bgp_session_up", {{"peer", args_.peer.name}}, 1);
      metrics::set_seconds_since("porter_bgp_session_uptime_seconds",
                                 {{"peer", args_.peer.name}},
                                 std::chrono::steady_clock::now());
    } else if (k == "down") {
      metrics::set("porter_bgp_session_up", {{"peer", args_.peer.name}}, 0);
      metrics::set("porter_bgp_session_uptime_seconds",
                   {{"peer", args_.peer.name}}, 0);
      export_counters();
      metrics::add("porter_bgp_session_flaps_total",
                   {{"peer", args_.peer.name}});
    } else if (k == "updates") {
      metrics::add("porter_bgp_updates_sent_total", {{"peer", args_.peer.name}},
                   std::stod(detail));
    }
    if (args_.observer)
      self_->send(args_.observer, atoms::peer_event_atom_v,
                  peer_event{args_.peer.name, kind, std::move(detail)});
  }

  bgp::peer_stats stats() const {
    auto out = stats_;
    if (established_at_)
      out.uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        self_->clock().now() - *established_at_)
                        .count();
    return out;
  }

  caf::event_based_actor* self_;
  session_args args_;
  std::optional<bgp::fsm> fsm_;
  std::optional<bgp::adj_rib_out> rib_; // only while Established
  std::shared_ptr<net::io::tcp_connection> conn_;
  std::uint64_t conn_gen_ = 0;
  std::array<std::uint64_t, bgp::timer_kind_count> timer_gen_{};
  bgp::framer framer_;
  bgp::wire_options rx_;
  bgp::wire_options tx_;
  bgp::peer_stats stats_;
  std::optional<caf::actor_clock::time_point> established_at_;
  bool eor_sent_ = false;
  actor_card card_;
};

caf::behavior session_behavior(caf::stateful_actor<bgp_session_state>* self,
                               session_args args) {
  return self->state.make_behavior(std::move(args));
}

} // namespace

caf::actor spawn_bgp_session(caf::actor_system& sys, session_args args) {
  return sys.spawn(session_behavior, std::move(args));
}

caf::actor spawn_bgp_session(caf::local_actor* parent, session_args args) {
  return parent->spawn(session_behavior, std::move(args));
}

} // namespace porter
