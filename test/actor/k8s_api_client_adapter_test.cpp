// The Kubernetes API client adapter (issue #6 §2) against the embedded
// emulator over loopback TLS: verbs and bearer token, certificate and host
// verification, token file rotation (k8s-api.md §4.2), retries honouring
// Retry-After, timeouts, keep-alive reuse, lists past Beast's 8 MiB default
// and watches (§1.4, §1.9). Every wait is bounded.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "k8s/io/api_client.hpp"
#include "net/io/tcp.hpp"
#include "sim/apiserver/io/api_server.hpp"
#include "sim/apiserver/io/tls_certs.hpp"
#include "sim/apiserver/json.hpp"

namespace porter::k8s::io {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;

constexpr const char* token = "s3cret";
constexpr const char* configmaps = "/api/v1/namespaces/default/configmaps";

// The emulator on a free loopback port, counting what it logs.
class emulator {
public:
  explicit emulator(bool tls = true, std::uint16_t port = 0) {
    sim::server_options o;
    o.tls = tls;
    o.port = port;
    o.token = token;
    o.log = [this](const char*, const std::string& event,
                   const sim::log_fields& fields) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (event == "connection accepted")
        ++connections_;
      for (const auto& [k, v] : fields)
        if (event == "request" && k == "code")
          ++codes_[std::stoi(v)];
    };
    server_.emplace(std::move(o));
    auto r = server_->start();
    EXPECT_TRUE(r) << (r ? "" : r.error());
    server_->start_background();
  }

  client_config config() const {
    client_config c;
    c.host = "127.0.0.1";
    c.port = std::to_string(server_->port());
    c.tls = !server_->ca_pem().empty();
    c.ca_pem = server_->ca_pem();
    c.token = token;
    return c;
  }
  std::uint16_t port() const { return server_->port(); }
  int connections() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return connections_;
  }
  int count(int code) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = codes_.find(code);
    return it == codes_.end() ? 0 : it->second;
  }
  void stop() { server_.reset(); }

private:
  mutable std::mutex mutex_;
  int connections_ = 0;
  std::map<int, int> codes_;
  std::optional<sim::api_server> server_;
};

struct fixture {
  explicit fixture(const client_config& cfg)
      : io(std::make_shared<net::io::io_thread>()) {
    auto c = make_api_client(cfg, io);
    EXPECT_TRUE(c) << (c ? "" : c.error());
    if (c)
      client = *c;
  }
  std::shared_ptr<net::io::io_thread> io;
  std::shared_ptr<api_client> client;
};

request_options no_retries(std::chrono::milliseconds timeout = 5000ms) {
  request_options o;
  o.timeout = timeout;
  o.max_retries = 0;
  o.retry_transport_errors = false;
  return o;
}

response_result call(api_client& c, const std::string& method,
                     const std::string& target, std::string body = "",
                     request_options opts = no_retries(),
                     const std::string& type = "application/json") {
  auto p = std::make_shared<std::promise<response_result>>();
  auto f = p->get_future();
  c.request(method, target, std::move(body), type, opts,
            [p](response_result r) { p->set_value(std::move(r)); });
  if (f.wait_for(15s) != std::future_status::ready) {
    ADD_FAILURE() << method << " " << target << ": no answer in 15 s";
    return tl::make_unexpected(transport_error{"test: no answer"});
  }
  return f.get();
}

int status_of(const response_result& r) {
  EXPECT_TRUE(r) << (r ? "" : r.error().what);
  return r ? r->status : 0;
}

void inject(api_client& c, const std::string& faults) {
  EXPECT_EQ(status_of(call(c, "POST", "/_porter/faults", faults)), 200)
    << faults;
}

std::string field(const std::string& json,
                  std::initializer_list<std::string_view> path) {
  auto doc = sim::json::parse(json);
  if (!doc)
    return "";
  return std::string(sim::json::string_at(*doc, path).value_or(""));
}

std::string configmap(const std::string& name, const std::string& value) {
  return R"({"metadata":{"name":")" + name + R"("},"data":{"k":")" + value
         + R"("}})";
}

// --- requests ---------------------------------------------------------------

TEST(K8sApiClient, EveryVerbRoundTripsOverTlsWithTheBearerToken) {
  emulator api;
  fixture f{api.config()};
  auto created = call(*f.client, "POST", configmaps, configmap("a", "1"));
  ASSERT_EQ(status_of(created), 201) << created->body;
  auto path = std::string(configmaps) + "/a";
  auto got = call(*f.client, "GET", path);
  ASSERT_EQ(status_of(got), 200);
  EXPECT_EQ(got->content_type, "application/json");
  EXPECT_EQ(field(got->body, {"data", "k"}), "1");
  auto rv = field(got->body, {"metadata", "resourceVersion"});
  auto put = call(*f.client, "PUT", path,
                  R"({"metadata":{"name":"a","resourceVersion":")" + rv
                    + R"("},"data":{"k":"2"}})");
  EXPECT_EQ(status_of(put), 200) << put->body;
  auto patched = call(*f.client, "PATCH", path, R"({"data":{"k":"3"}})",
                      no_retries(), "application/merge-patch+json");
  ASSERT_EQ(status_of(patched), 200) << patched->body;
  EXPECT_EQ(field(patched->body, {"data", "k"}), "3");
  EXPECT_EQ(status_of(call(*f.client, "DELETE", path)), 200);
  EXPECT_EQ(status_of(call(*f.client, "GET", path)), 404);
}

TEST(K8sApiClient, PlainHttpWorksToo) {
  emulator api{false};
  fixture f{api.config()};
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
}

TEST(K8sApiClient, AnotherCaFailsCertificateVerification) {
  emulator api;
  auto cfg = api.config();
  auto other = sim::make_tls_material({}, {});
  ASSERT_TRUE(other);
  cfg.ca_pem = other->ca_cert_pem;
  fixture f{cfg};
  auto r = call(*f.client, "GET", configmaps);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().what.find("certificate verification failed"),
            std::string::npos)
    << r.error().what;
}

TEST(K8sApiClient, HostIsVerifiedAgainstTlsServerName) {
  emulator api;
  auto cfg = api.config();
  cfg.tls_server_name = "kubernetes.default.svc"; // a SAN of the emulator
  fixture good{cfg};
  EXPECT_EQ(status_of(call(*good.client, "GET", configmaps)), 200);
  cfg.tls_server_name = "api.example";
  fixture bad{cfg};
  auto r = call(*bad.client, "GET", configmaps);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().what.find("not valid for 'api.example'"),
            std::string::npos)
    << r.error().what;
}

TEST(K8sApiClient, InsecureSkipTlsVerifyAcceptsAnyCertificate) {
  emulator api;
  auto cfg = api.config();
  cfg.ca_pem.clear();
  cfg.insecure_skip_tls_verify = true;
  fixture f{cfg};
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
}

TEST(K8sApiClient, UnusableTlsMaterialIsRejectedUpFront) {
  auto io = std::make_shared<net::io::io_thread>();
  client_config cfg;
  cfg.host = "127.0.0.1";
  cfg.port = "6443";
  cfg.ca_pem = "not a certificate";
  auto r = make_api_client(cfg, io);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("certificate-authority"), std::string::npos)
    << r.error();
  EXPECT_EQ(r.error().find('\n'), std::string::npos);
  auto pki = sim::make_tls_material({}, {});
  ASSERT_TRUE(pki);
  cfg.ca_pem = pki->ca_cert_pem;
  cfg.client_cert_pem = pki->cert_pem;
  cfg.client_key_pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n";
  r = make_api_client(cfg, io);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("client-key"), std::string::npos) << r.error();
  cfg.client_key_pem = pki->key_pem;
  EXPECT_TRUE(make_api_client(cfg, io));
}

TEST(K8sApiClient, WrongTokenIsDeliveredAs401) {
  emulator api;
  auto cfg = api.config();
  cfg.token = "wrong";
  fixture f{cfg};
  auto r = call(*f.client, "GET", configmaps);
  EXPECT_EQ(status_of(r), 401);
}

TEST(K8sApiClient, TokenFileIsReReadAfterA401AndTheRequestRetried) {
  emulator api;
  char path[] = "/tmp/porter-token-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "expired\n";
  auto cfg = api.config();
  cfg.token.clear();
  cfg.token_file = path;
  fixture f{cfg};
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 401);
  std::ofstream(path, std::ios::trunc) << token << "\n";
  // The cached token is younger than a minute: the 401 forces the re-read.
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
  EXPECT_EQ(api.count(401), 2); // once per request
  std::remove(path);
  // Unreadable file: the last good token stays.
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
}

TEST(K8sApiClient, ServiceUnavailableIsRetriedAfterRetryAfter) {
  emulator api;
  fixture f{api.config()};
  inject(*f.client, R"({"fail":{"code":503,"count":2,"retryAfterSeconds":1,
                        "pathPrefix":"/api/v1/namespaces"}})");
  request_options opts;
  auto start = steady_clock::now();
  auto r = call(*f.client, "GET", configmaps, "", opts);
  EXPECT_EQ(status_of(r), 200);
  EXPECT_GE(steady_clock::now() - start, 2s);
  EXPECT_EQ(api.count(503), 2);
  auto faults = call(*f.client, "GET", "/_porter/faults");
  ASSERT_TRUE(faults);
  EXPECT_NE(faults->body.find(R"("count":0)"), std::string::npos)
    << faults->body;
}

TEST(K8sApiClient, TooManyRequestsIsRetriedAfterRetryAfter) {
  emulator api;
  fixture f{api.config()};
  inject(*f.client, R"({"fail":{"code":429,"count":1,"retryAfterSeconds":1}})");
  auto start = steady_clock::now();
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps, "", {})), 200);
  EXPECT_GE(steady_clock::now() - start, 1s);
  EXPECT_EQ(api.count(429), 1);
}

TEST(K8sApiClient, WithoutRetriesTheFailureIsDelivered) {
  emulator api;
  fixture f{api.config()};
  inject(*f.client, R"({"fail":{"code":503,"count":1,"retryAfterSeconds":7}})");
  auto r = call(*f.client, "GET", configmaps);
  ASSERT_EQ(status_of(r), 503);
  EXPECT_EQ(r->retry_after, std::chrono::seconds{7});
  EXPECT_NE(r->body.find("ServiceUnavailable"), std::string::npos);
}

TEST(K8sApiClient, SlowServerTimesOutPerAttempt) {
  emulator api;
  fixture f{api.config()};
  inject(*f.client, R"({"delayMs":2000})");
  auto start = steady_clock::now();
  auto r = call(*f.client, "GET", configmaps, "", no_retries(300ms));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what, "timeout after 300 ms");
  EXPECT_LT(steady_clock::now() - start, 1500ms);
  inject(*f.client, R"({"clear":true})");
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
}

TEST(K8sApiClient, RefusedConnectionIsATransportError) {
  std::uint16_t port = 0;
  {
    emulator gone;
    port = gone.port();
  }
  client_config cfg;
  cfg.host = "127.0.0.1";
  cfg.port = std::to_string(port);
  cfg.tls = false;
  fixture f{cfg};
  auto r = call(*f.client, "GET", configmaps);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().what.find("connect to 127.0.0.1:"), std::string::npos)
    << r.error().what;
}

TEST(K8sApiClient, SequentialRequestsReuseOneConnection) {
  emulator api;
  fixture f{api.config()};
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
  EXPECT_GE(api.connections(), 1);
  EXPECT_LE(api.connections(), 2);
}

TEST(K8sApiClient, ConnectionClosedByARestartedServerIsNotReused) {
  std::optional<emulator> api{std::in_place, false};
  fixture f{api->config()};
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
  auto port = api->port();
  api.reset(); // closes the pooled keep-alive connection
  api.emplace(false, port);
  // No retries allowed: the dead pooled connection must not be used.
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
  EXPECT_EQ(api->connections(), 1);
}

// Plain HTTP on loopback, one connection at a time: the first connection
// answers one request, then closes on the next without answering (a server
// timing out an idle keep-alive connection just as the client reuses it);
// the second connection answers normally.
class closing_server {
public:
  closing_server() {
    thread_ = std::thread([this] { run(); });
  }
  ~closing_server() {
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR); // wakes accept()
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_; }

private:
  using tcp = boost::asio::ip::tcp;
  bool read_request(tcp::socket& s) {
    boost::asio::streambuf buf;
    boost::system::error_code ec;
    boost::asio::read_until(s, buf, "\r\n\r\n", ec);
    return !ec;
  }
  void run() {
    const std::string ok = "HTTP/1.1 200 OK\r\nContent-Type: "
                           "application/json\r\nContent-Length: 2\r\n\r\n{}";
    for (int n = 0; n < 2; ++n) {
      tcp::socket s(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(s, ec);
      if (ec)
        return;
      ++connections_;
      if (!read_request(s))
        return;
      boost::asio::write(s, boost::asio::buffer(ok), ec);
      if (n == 0 && read_request(s))
        s.close(); // the second request gets no response byte
    }
  }

  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_{ioc_,
                          {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

TEST(K8sApiClient, StaleKeepAliveConnectionIsRetriedOnceOnAFreshOne) {
  closing_server server;
  client_config cfg;
  cfg.host = "127.0.0.1";
  cfg.port = std::to_string(server.port());
  cfg.tls = false;
  fixture f{cfg};
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
  // No retries allowed: only the stale keep-alive rule may try again.
  EXPECT_EQ(status_of(call(*f.client, "GET", configmaps)), 200);
  EXPECT_EQ(server.connections(), 2);
}

TEST(K8sApiClient, RejectedCertificateIsNotRetried) {
  emulator api;
  auto cfg = api.config();
  cfg.tls_server_name = "api.example";
  fixture f{cfg};
  auto start = steady_clock::now();
  auto r = call(*f.client, "GET", configmaps, "", request_options{});
  ASSERT_FALSE(r);
  EXPECT_LT(steady_clock::now() - start, 150ms);
  EXPECT_EQ(api.connections(), 1);
}

TEST(K8sApiClient, ListLargerThanEightMebibytesArrivesWhole) {
  emulator api;
  fixture f{api.config()};
  const std::string value(4096, 'v');
  const int total = 2200, batch = 16;
  for (int i = 0; i < total; i += batch) {
    std::vector<std::future<response_result>> pending;
    for (int j = i; j < std::min(total, i + batch); ++j) {
      auto p = std::make_shared<std::promise<response_result>>();
      pending.push_back(p->get_future());
      f.client->request("POST", configmaps,
                        configmap("cm-" + std::to_string(j), value),
                        "application/json", {},
                        [p](response_result r) { p->set_value(std::move(r)); });
    }
    for (auto& p : pending) {
      ASSERT_EQ(p.wait_for(15s), std::future_status::ready);
      ASSERT_EQ(status_of(p.get()), 201);
    }
  }
  auto list = call(*f.client, "GET", configmaps);
  ASSERT_EQ(status_of(list), 200);
  EXPECT_GT(list->body.size(), 8u << 20);
  auto doc = sim::json::parse(list->body);
  ASSERT_TRUE(doc);
  const auto* items = sim::json::find(*doc, "items");
  ASSERT_TRUE(items && items->IsArray());
  EXPECT_EQ(items->Size(), static_cast<unsigned>(total));
}

// --- watches ----------------------------------------------------------------

// What a watch delivered, with bounded waits.
struct recorder : std::enable_shared_from_this<recorder> {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<int> status;
  std::optional<std::string> error_body;
  std::vector<std::string> lines;
  int closed = 0;
  std::optional<transport_error> close_error;

  watch_callbacks callbacks() {
    auto self = shared_from_this();
    watch_callbacks cb;
    cb.on_status = [self](int s) { self->update([&] { self->status = s; }); };
    cb.on_error_body = [self](std::string b) {
      self->update([&] { self->error_body = std::move(b); });
    };
    cb.on_line = [self](std::string l) {
      self->update([&] { self->lines.push_back(std::move(l)); });
    };
    cb.on_closed = [self](std::optional<transport_error> e) {
      self->update([&] {
        ++self->closed;
        self->close_error = std::move(e);
      });
    };
    return cb;
  }
  template <class F>
  void update(F f) {
    std::lock_guard<std::mutex> lock(mutex);
    f();
    changed.notify_all();
  }
  template <class Pred>
  bool wait(Pred p, std::chrono::milliseconds limit = 5000ms) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, limit, [&] { return p(*this); });
  }
  std::size_t lines_with(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex);
    std::size_t n = 0;
    for (const auto& l : lines)
      n += l.find(text) != std::string::npos;
    return n;
  }
};

std::shared_ptr<recorder> make_recorder() {
  return std::make_shared<recorder>();
}

std::string watch_target(const std::string& query = "") {
  return std::string(configmaps) + "?watch=1" + query;
}

TEST(K8sApiClientWatch, DeliversEventsAsLinesUntilTheServerEndsTheStream) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w
    = f.client->watch(watch_target("&timeoutSeconds=2"), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  EXPECT_EQ(*rec->status, 200);
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("a", "1"))),
            201);
  ASSERT_EQ(status_of(call(*f.client, "PATCH", std::string(configmaps) + "/a",
                           R"({"data":{"k":"2"}})", no_retries(),
                           "application/merge-patch+json")),
            200);
  ASSERT_TRUE(rec->wait([](auto& r) { return r.lines.size() >= 2; }));
  EXPECT_EQ(rec->lines_with(R"("type":"ADDED")"), 1u);
  EXPECT_EQ(rec->lines_with(R"("type":"MODIFIED")"), 1u);
  for (const auto& l : rec->lines) {
    EXPECT_TRUE(sim::json::parse(l)) << l;
    EXPECT_EQ(l.find('\n'), std::string::npos);
  }
  // timeoutSeconds=2: the server ends the chunked body normally.
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }, 5000ms));
  EXPECT_EQ(rec->closed, 1);
  EXPECT_FALSE(rec->close_error);
}

TEST(K8sApiClientWatch, AnEventLargerThanAnyChunkArrivesAsOneLine) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  const std::string big(300'000, 'x'); // > 64 KiB reads, > 16 KiB TLS records
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("b", big))),
            201);
  ASSERT_TRUE(rec->wait([](auto& r) { return !r.lines.empty(); }));
  std::lock_guard<std::mutex> lock(rec->mutex);
  ASSERT_EQ(rec->lines.size(), 1u);
  auto doc = sim::json::parse(rec->lines[0]);
  ASSERT_TRUE(doc);
  EXPECT_EQ(sim::json::string_at(*doc, {"object", "data", "k"}).value_or(""),
            big);
}

TEST(K8sApiClientWatch, DroppedByTheServerCloses) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  inject(*f.client, R"({"dropWatches":true})");
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }));
  EXPECT_EQ(rec->closed, 1);
  if (rec->close_error) { // a TLS connection cut without close_notify
    EXPECT_FALSE(rec->close_error->what.empty());
  }
}

TEST(K8sApiClientWatch, SilenceLongerThanTheIdleTimeoutEndsTheWatch) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto start = steady_clock::now();
  auto w = f.client->watch(watch_target(), 400ms, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }, 3000ms));
  EXPECT_GE(steady_clock::now() - start, 400ms);
  ASSERT_TRUE(rec->close_error);
  EXPECT_EQ(rec->close_error->what, "watch idle for 400 ms");
  EXPECT_EQ(rec->status, 200);
}

TEST(K8sApiClientWatch, TooOldResourceVersionArrivesAsAnErrorEvent) {
  emulator api;
  fixture f{api.config()};
  for (const char* name : {"x", "y"})
    ASSERT_EQ(
      status_of(call(*f.client, "POST", configmaps, configmap(name, "1"))),
      201);
  inject(*f.client, R"({"expireWatchCache":true})");
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target("&resourceVersion=1"), 10s,
                           rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }));
  EXPECT_EQ(rec->status, 200);
  ASSERT_EQ(rec->lines.size(), 1u);
  EXPECT_NE(rec->lines[0].find(R"("type":"ERROR")"), std::string::npos);
  EXPECT_NE(rec->lines[0].find(R"("code":410)"), std::string::npos);
  EXPECT_FALSE(rec->close_error);
}

TEST(K8sApiClientWatch, ErrorStatusDeliversTheBodyThenCloses) {
  emulator api;
  auto cfg = api.config();
  cfg.token = "wrong";
  fixture f{cfg};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }));
  EXPECT_EQ(rec->status, 401);
  ASSERT_TRUE(rec->error_body);
  EXPECT_NE(rec->error_body->find("Unauthorized"), std::string::npos);
  EXPECT_FALSE(rec->close_error);
}

TEST(K8sApiClientWatch, NoCallbackAfterCancel) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  w->cancel();
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("c", "1"))),
            201);
  EXPECT_FALSE(
    rec->wait([](auto& r) { return !r.lines.empty() || r.closed; }, 300ms));
  w->cancel(); // twice is harmless
}

TEST(K8sApiClientWatch, DroppingTheHandleCancels) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  w.reset();
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("d", "1"))),
            201);
  EXPECT_FALSE(
    rec->wait([](auto& r) { return !r.lines.empty() || r.closed; }, 300ms));
}

} // namespace
} // namespace porter::k8s::io
