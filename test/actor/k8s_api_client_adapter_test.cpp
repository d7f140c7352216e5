// The Kubernetes API client adapter (issue #6 §2), requests: verbs and
// bearer token over TLS, certificate and host verification, token file
// rotation (k8s-api.md §4.2), retries honouring Retry-After, timeouts,
// keep-alive reuse, lists past Beast's 8 MiB default (§1.9).
#include "test/actor/k8s_api_client_fixture.hpp"

namespace porter::k8s::io {
namespace {

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

TEST(K8sApiClient, ABurstOfRequestsOpensAtMostSixteenConnections) {
  // 300 requests at once (a manager writing 10k Events) must not become
  // 300 TLS connections: the rest wait for a free slot, all complete.
  emulator api;
  fixture f{api.config()};
  std::atomic<int> ok{0};
  std::promise<void> all;
  auto all_done = all.get_future();
  for (int i = 0; i < 300; ++i)
    f.client->request("GET", configmaps, "", "", {}, [&](response_result r) {
      if (r && r->status == 200 && ++ok == 300)
        all.set_value();
    });
  ASSERT_EQ(all_done.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(ok.load(), 300);
  EXPECT_LE(api.connections(), 16);
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

} // namespace
} // namespace porter::k8s::io
