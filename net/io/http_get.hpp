// One HTTP GET to an admin endpoint (what `porter inspect` needs): plain
// HTTP/1.1, an optional bearer token, a deadline for the whole exchange.
#pragma once

#include <chrono>
#include <string>

#include <tl/expected.hpp>

namespace porter::net::io {

struct get_result {
  int status = 0;
  std::string body;
};

/// `endpoint` is HOST:PORT ([v6]:PORT); the error is one line
/// ("127.0.0.1:9610: Connection refused").
tl::expected<get_result, std::string>
http_get(const std::string& endpoint, const std::string& target,
         const std::string& bearer_token,
         std::chrono::milliseconds timeout = std::chrono::seconds{3});

} // namespace porter::net::io
