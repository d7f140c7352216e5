// Test helpers: the embedded API server emulator over TLS with a token, a
// porter api_client pointed at it, and blocking calls with a deadline.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "k8s/io/api_client.hpp"
#include "net/io/tcp.hpp"
#include "sim/apiserver/io/api_server.hpp"

namespace porter::testing {

inline sim::server_options emulator_options() {
  sim::server_options o;
  o.tls = true;
  o.token = "test-token";
  o.bookmark_interval = std::chrono::milliseconds{200};
  o.save_delay = std::chrono::milliseconds{10};
  return o;
}

struct emulator {
  explicit emulator(sim::server_options o = emulator_options())
      : server(std::move(o)) {
    auto r = server.start();
    EXPECT_TRUE(r) << (r ? "" : r.error());
    server.start_background();
  }

  k8s::client_config config() const {
    k8s::client_config c;
    c.host = "127.0.0.1";
    c.port = std::to_string(server.port());
    c.tls = true;
    c.ca_pem = server.ca_pem();
    c.token = "test-token";
    c.source = "test emulator";
    return c;
  }

  sim::api_server server;
};

inline std::shared_ptr<k8s::io::api_client>
make_client(const k8s::client_config& cfg,
            std::shared_ptr<net::io::io_thread> io) {
  auto c = k8s::io::make_api_client(cfg, std::move(io));
  EXPECT_TRUE(c) << (c ? "" : c.error());
  return c ? *c : nullptr;
}

/// One request, waited for at most 20 s.
inline k8s::io::response_result
call(k8s::io::api_client& c, const std::string& method,
     const std::string& target, const std::string& body = "",
     const std::string& content_type = "application/json") {
  auto done = std::make_shared<std::promise<k8s::io::response_result>>();
  auto f = done->get_future();
  c.request(method, target, body, body.empty() ? "" : content_type, {},
            [done](k8s::io::response_result r) { done->set_value(r); });
  if (f.wait_for(std::chrono::seconds{20}) != std::future_status::ready)
    return tl::make_unexpected(k8s::io::transport_error{"test: no answer"});
  return f.get();
}

/// Polls `pred` until it holds or `limit` passes.
template <class Pred>
bool eventually(Pred pred,
                std::chrono::milliseconds limit = std::chrono::seconds{15}) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return pred();
}

} // namespace porter::testing
