// Shared by the api_client adapter tests (requests, watches): the embedded
// emulator over loopback TLS counting its connections, clients with
// bounded waits, fault injection. Every wait is bounded.
#pragma once

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

[[maybe_unused]] std::string
field(const std::string& json, std::initializer_list<std::string_view> path) {
  auto doc = sim::json::parse(json);
  if (!doc)
    return "";
  return std::string(sim::json::string_at(*doc, path).value_or(""));
}

std::string configmap(const std::string& name, const std::string& value) {
  return R"({"metadata":{"name":")" + name + R"("},"data":{"k":")" + value
         + R"("}})";
}

} // namespace
} // namespace porter::k8s::io
