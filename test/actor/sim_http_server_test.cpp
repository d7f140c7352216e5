// The emulator's HTTP(S) shell in-process on loopback: keep-alive, bearer
// token, chunked watch framing and timeoutSeconds, TLS with the generated
// CA, injected faults, --state persistence (k8s-api.md §1.4, §4.3).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "sim/apiserver/io/api_server.hpp"

namespace porter::sim {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct running_server {
  explicit running_server(server_options o) : server(std::move(o)) {
    auto r = server.start();
    EXPECT_TRUE(r) << (r ? "" : r.error());
    server.start_background();
  }
  api_server server;
};

server_options plain(const std::string& token = "") {
  server_options o;
  o.token = token;
  o.save_delay = std::chrono::milliseconds{10};
  return o;
}

struct client {
  net::io_context ioc;
  tcp::socket sock{ioc};
  beast::flat_buffer buf;

  explicit client(std::uint16_t port) {
    sock.connect({net::ip::make_address("127.0.0.1"), port});
  }
  http::response<http::string_body>
  call(http::verb verb, const std::string& target, const std::string& body = "",
       const std::string& token = "",
       const std::string& type = "application/json") {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, type);
    if (!token.empty())
      req.set(http::field::authorization, "Bearer " + token);
    req.body() = body;
    req.prepare_payload();
    http::write(sock, req);
    http::response<http::string_body> res;
    http::read(sock, buf, res);
    return res;
  }
};

TEST(SimHttpServer, KeepAliveAndBearerToken) {
  running_server s{plain("tok")};
  client c{s.server.port()};
  auto health = c.call(http::verb::get, "/healthz");
  EXPECT_EQ(health.result_int(), 200);
  auto denied = c.call(http::verb::get, "/api/v1/namespaces");
  EXPECT_EQ(denied.result_int(), 401);
  EXPECT_NE(denied.body().find("\"reason\":\"Unauthorized\""),
            std::string::npos);
  // Same connection, three requests: HTTP/1.1 keep-alive.
  auto ok = c.call(http::verb::get, "/api/v1/namespaces", "", "tok");
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_NE(ok.body().find("\"kube-system\""), std::string::npos);
  EXPECT_EQ(ok[http::field::content_type], "application/json");
}

// Reads raw bytes until `want` appears or two seconds pass.
std::string read_until(tcp::socket& sock, std::string& have,
                       const std::string& want) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  sock.non_blocking(true);
  while (have.find(want) == std::string::npos
         && std::chrono::steady_clock::now() < deadline) {
    char buf[4096];
    boost::system::error_code ec;
    auto n = sock.read_some(net::buffer(buf), ec);
    if (ec == net::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (ec)
      break;
    have.append(buf, n);
  }
  return have;
}

TEST(SimHttpServer, WatchIsChunkedNewlineDelimitedAndTimesOut) {
  running_server s{plain()};
  client w{s.server.port()};
  std::string req
    = "GET /api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1 "
      "HTTP/1.1\r\nHost: x\r\n\r\n";
  net::write(w.sock, net::buffer(req));
  std::string got;
  read_until(w.sock, got, "\r\n\r\n");
  EXPECT_NE(got.find("Transfer-Encoding: chunked"), std::string::npos) << got;
  client c{s.server.port()};
  EXPECT_EQ(c.call(http::verb::post, "/api/v1/namespaces/default/configmaps",
                   R"({"metadata":{"name":"cm"}})")
              .result_int(),
            201);
  read_until(w.sock, got, "\"ADDED\"");
  EXPECT_NE(got.find("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\""),
            std::string::npos)
    << got;
  EXPECT_NE(got.find("}}\n\r\n"), std::string::npos) << "event ends in \\n";
  read_until(w.sock, got, "\r\n0\r\n\r\n"); // timeoutSeconds ends the body
  EXPECT_NE(got.find("\r\n0\r\n\r\n"), std::string::npos);
}

TEST(SimHttpServer, InjectedFailureCarriesRetryAfter) {
  running_server s{plain()};
  client c{s.server.port()};
  auto set = c.call(http::verb::post, "/_porter/faults",
                    R"({"fail":{"code":429,"count":1,"retryAfterSeconds":7}})");
  ASSERT_EQ(set.result_int(), 200) << set.body();
  auto failed = c.call(http::verb::get, "/api/v1/namespaces");
  EXPECT_EQ(failed.result_int(), 429);
  EXPECT_EQ(failed[http::field::retry_after], "7");
  EXPECT_EQ(c.call(http::verb::get, "/api/v1/namespaces").result_int(), 200);
}

TEST(SimHttpServer, StatePersistsAcrossRestarts) {
  char path[] = "/tmp/porter-sim-state-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::remove(path);
  auto opts = plain();
  opts.state_file = path;
  {
    running_server s{opts};
    client c{s.server.port()};
    ASSERT_EQ(c.call(http::verb::post, "/api/v1/namespaces/default/secrets",
                     R"({"metadata":{"name":"kept"}})")
                .result_int(),
              201);
  } // stop() saves
  {
    running_server again{opts};
    client c{again.server.port()};
    EXPECT_EQ(c.call(http::verb::get, "/api/v1/namespaces/default/secrets/kept")
                .result_int(),
              200);
  } // saves again on stop: remove the file after
  std::remove(path);
}

TEST(SimHttpServer, TlsWithTheGeneratedCa) {
  auto opts = plain("tok");
  opts.tls = true;
  running_server s{opts};
  ASSERT_NE(s.server.ca_pem().find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_EQ(s.server.url().rfind("https://127.0.0.1:", 0), 0u);
  net::io_context ioc;
  net::ssl::context ctx{net::ssl::context::tls_client};
  ctx.add_certificate_authority(net::buffer(s.server.ca_pem()));
  ctx.set_verify_mode(net::ssl::verify_peer);
  beast::ssl_stream<tcp::socket> stream{ioc, ctx};
  stream.set_verify_callback(net::ssl::host_name_verification("127.0.0.1"));
  stream.next_layer().connect(
    {net::ip::make_address("127.0.0.1"), s.server.port()});
  boost::system::error_code ec;
  stream.handshake(net::ssl::stream_base::client, ec);
  ASSERT_FALSE(ec) << ec.message();
  http::request<http::string_body> req{http::verb::get, "/version", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find("\"gitVersion\""), std::string::npos);
}

} // namespace
} // namespace porter::sim
