// The HTTP(S) shell of the emulator: listener, TLS context, admin endpoints
// (/_porter/faults, /_porter/restart, /_porter/stats), watch fan-out after
// every write, debounced --state saves. All on one io_context thread; the
// core is never touched from another thread.
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "sim/apiserver/audit.hpp"
#include "sim/apiserver/io/http_session.hpp"
#include "sim/apiserver/io/tls_certs.hpp"

namespace porter::sim {

namespace {

sys_time now() {
  return std::chrono::system_clock::now();
}

std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

api_response admin_json(int code, std::string body) {
  api_response r;
  r.code = code;
  r.body = std::move(body);
  return r;
}

tl::expected<void, std::string> setup_tls(api_server::impl& s) {
  auto m = make_tls_material({s.opts.host}, {});
  if (!m)
    return tl::make_unexpected(m.error());
  s.ca_pem = m->ca_cert_pem;
  s.ssl.emplace(net::ssl::context::tls_server);
  error_code ec;
  s.ssl->set_options(
    net::ssl::context::default_workarounds | net::ssl::context::no_sslv2
      | net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1
      | net::ssl::context::no_tlsv1_1,
    ec);
  s.ssl->use_certificate_chain(net::buffer(m->cert_pem), ec);
  if (!ec)
    s.ssl->use_private_key(net::buffer(m->key_pem),
                           net::ssl::context::file_format::pem, ec);
  if (ec)
    return tl::make_unexpected("TLS setup failed: " + ec.message());
  return {};
}

tl::expected<void, std::string> listen(api_server::impl& s) {
  error_code ec;
  auto addr = net::ip::make_address(s.opts.host, ec);
  if (ec)
    return tl::make_unexpected("bad listen address '" + s.opts.host + "'");
  tcp::endpoint ep{addr, s.opts.port};
  s.acceptor.open(ep.protocol(), ec);
  if (!ec)
    s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    s.acceptor.bind(ep, ec);
  if (!ec)
    s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return tl::make_unexpected("cannot listen on " + s.opts.host + ":"
                               + std::to_string(s.opts.port) + ": "
                               + ec.message());
  s.bound_port = s.acceptor.local_endpoint(ec).port();
  return {};
}

} // namespace

api_server::impl::impl(server_options o)
    : opts(std::move(o)), core(opts.core, now()) {}

void api_server::impl::accept() {
  acceptor.async_accept([this](error_code ec, tcp::socket socket) {
    if (stopping)
      return;
    if (!ec) {
      log("debug", "connection accepted");
      socket.set_option(tcp::no_delay(true), ec);
      std::shared_ptr<session_base> s;
      if (ssl) {
        auto t = std::make_shared<http_session<tls_stream>>(
          *this, std::move(socket), *ssl);
        t->start();
        s = t;
      } else {
        auto p = std::make_shared<http_session<plain_stream>>(
          *this, std::move(socket));
        p->start();
        s = p;
      }
      add_session(s);
    }
    accept();
  });
}

void api_server::impl::add_session(std::weak_ptr<session_base> s) {
  for (auto& w : sessions)
    if (w.expired()) {
      w = std::move(s);
      return;
    }
  sessions.push_back(std::move(s));
}

void api_server::impl::notify_watches() {
  auto copy = sessions;
  for (auto& w : copy)
    if (auto s = w.lock(); s && s->watching())
      s->on_store_changed();
}

void api_server::impl::drop_watches() {
  auto copy = sessions;
  for (auto& w : copy)
    if (auto s = w.lock(); s && s->watching())
      s->drop();
}

void api_server::impl::after_request() {
  if (core.write_count() == seen_writes)
    return;
  seen_writes = core.write_count();
  notify_watches();
  if (opts.state_file.empty() || save_pending)
    return;
  save_pending = true;
  save_timer.expires_after(opts.save_delay);
  save_timer.async_wait([this](error_code ec) {
    save_pending = false;
    if (!ec)
      save_now();
  });
}

void api_server::impl::save_now() {
  if (opts.state_file.empty())
    return;
  auto tmp = opts.state_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << core.save_state();
    if (!out) {
      log("error", "state save failed", {{"file", tmp}});
      return;
    }
  }
  if (std::rename(tmp.c_str(), opts.state_file.c_str()) != 0)
    log("error", "state save failed", {{"file", opts.state_file}});
}

api_response api_server::impl::handle_admin(const api_request& req) {
  auto path = req.target.substr(0, req.target.find('?'));
  if (path == "/_porter/stats") {
    std::size_t watches = 0;
    for (auto& w : sessions)
      if (auto s = w.lock(); s && s->watching())
        ++watches;
    return admin_json(
      200, "{\"resourceVersion\":\"" + std::to_string(core.resource_version())
             + "\",\"objects\":" + std::to_string(core.object_count())
             + ",\"watches\":" + std::to_string(watches) + "}");
  }
  if (path == "/_porter/faults" && req.method == "GET")
    return admin_json(200, faults.to_json());
  if ((path != "/_porter/faults" && path != "/_porter/restart")
      || req.method != "POST")
    return error_response(path_not_found());
  auto body = path == "/_porter/restart"
                ? "{\"restart\":" + (req.body.empty() ? "{}" : req.body) + "}"
                : req.body;
  auto actions = faults.apply(body);
  if (!actions)
    return error_response(bad_request(actions.error()));
  if (actions->expire_watch_cache || actions->restart_keep_state) {
    core.expire_watch_cache();
    notify_watches(); // live watches behind the window get 410 now
  }
  if (actions->restart_keep_state && !*actions->restart_keep_state)
    core.clear(now());
  if (actions->drop_watches || actions->restart_keep_state)
    drop_watches();
  log("info", "fault injected", {{"request", body}});
  return admin_json(200, faults.to_json());
}

void api_server::impl::audit(const std::string& user, const api_request& req,
                             int code) {
  if (!audit_out.is_open() || user.empty()
      || req.target.rfind("/_porter/", 0) == 0)
    return;
  audit_out << audit_line(user, request_attributes_of(req.method, req.target),
                          code)
            << '\n';
  audit_out.flush();
}

void api_server::impl::shutdown() {
  if (stopping)
    return;
  stopping = true;
  error_code ec;
  acceptor.close(ec);
  save_timer.cancel();
  auto copy = sessions;
  for (auto& w : copy)
    if (auto s = w.lock())
      s->drop();
  save_now();
  log("info", "apiserver stopped");
}

api_server::api_server(server_options opts) {
  if (opts.core.seed == 1)
    opts.core.seed = random_seed();
  impl_ = std::make_unique<impl>(std::move(opts));
}

api_server::~api_server() {
  stop();
}

tl::expected<void, std::string> api_server::start() {
  auto& s = *impl_;
  if (!s.opts.state_file.empty()) {
    if (auto text = read_file(s.opts.state_file)) {
      if (auto r = s.core.load_state(*text, now()); !r)
        return tl::make_unexpected(s.opts.state_file + ": " + r.error());
      s.log("info", "state loaded",
            {{"file", s.opts.state_file},
             {"objects", std::to_string(s.core.object_count())}});
    }
  }
  if (!s.opts.audit_log.empty()) {
    s.audit_out.open(s.opts.audit_log, std::ios::app);
    if (!s.audit_out)
      return tl::make_unexpected("cannot open --audit-log " + s.opts.audit_log);
  }
  if (s.opts.tls)
    if (auto r = setup_tls(s); !r)
      return r;
  if (auto r = listen(s); !r)
    return r;
  s.seen_writes = s.core.write_count();
  s.accept();
  return {};
}

std::uint16_t api_server::port() const {
  return impl_->bound_port;
}

std::string api_server::url() const {
  auto host = impl_->opts.host;
  if (host == "0.0.0.0" || host == "::")
    host = "127.0.0.1";
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return std::string(impl_->opts.tls ? "https://" : "http://") + host + ":"
         + std::to_string(impl_->bound_port);
}

std::string api_server::ca_pem() const {
  return impl_->ca_pem;
}

void api_server::run() {
  impl_->ioc.run();
}

void api_server::start_background() {
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

void api_server::stop() {
  auto& s = *impl_;
  net::post(s.ioc, [&s] { s.shutdown(); });
  if (s.thread.joinable() && s.thread.get_id() != std::this_thread::get_id())
    s.thread.join();
}

} // namespace porter::sim
