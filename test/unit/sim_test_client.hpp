// Test helper: drives the emulator core the way kubectl does, one request at
// a time, with a controllable clock.
#pragma once

#include <gtest/gtest.h>

#include "sim/apiserver/api_core.hpp"
#include "sim/apiserver/json.hpp"
#include "sim/apiserver/watch.hpp"

namespace porter::sim::testing {

constexpr const char* table_accept
  = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

struct test_client {
  sys_time now = sys_time{std::chrono::seconds{1'800'000'000}};
  core_options opts = [] {
    core_options o;
    o.watch_window = 50;
    return o;
  }();
  api_core core{opts, now};

  handle_result raw(const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::string& content_type = "application/json",
                    const std::string& accept = "application/json") {
    api_request req{method, target, content_type, accept, body};
    return core.handle(req, now);
  }
  api_response call(const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::string& content_type = "application/json",
                    const std::string& accept = "application/json") {
    return raw(method, target, body, content_type, accept).response;
  }
  api_response get(const std::string& target,
                   const std::string& accept = "application/json") {
    return call("GET", target, "", "", accept);
  }
  api_response post(const std::string& target, const std::string& body) {
    return call("POST", target, body);
  }
  api_response patch(const std::string& target, const std::string& body,
                     const std::string& type) {
    return call("PATCH", target, body, type);
  }
};

inline json::document parse(const std::string& text) {
  auto d = json::parse(text);
  EXPECT_TRUE(d) << text;
  return d ? std::move(*d) : json::document{};
}

inline std::string at(const std::string& text,
                      std::initializer_list<std::string_view> path) {
  auto d = parse(text);
  const json::value* v = json::find_path(d, path);
  if (v == nullptr)
    return "<missing>";
  if (auto s = json::as_string(*v))
    return std::string(*s);
  return json::to_string(*v);
}

} // namespace porter::sim::testing
