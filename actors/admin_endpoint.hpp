// The admin endpoint every long-running command serves (`--admin-listen`):
// /healthz, /livez, /readyz from the process's readiness checks, /metrics
// from actors/metrics, and /debug/<section> from the status board (JSON;
// loopback, or a bearer token from --admin-token-file).
#pragma once

#include <memory>
#include <string>

#include <tl/expected.hpp>

namespace porter::net::io {
class http_endpoint;
class io_thread;
class readiness;
class status_board;
} // namespace porter::net::io

namespace porter {

struct admin_sources {
  std::shared_ptr<const net::io::readiness> checks;
  std::shared_ptr<const net::io::status_board> board; ///< may be null
  std::string token; ///< for /debug/ from elsewhere than loopback
};

tl::expected<std::unique_ptr<net::io::http_endpoint>, std::string>
serve_admin(net::io::io_thread& io, const std::string& listen,
            admin_sources sources);

/// The token in `path` (surrounding blanks trimmed); an empty path is no
/// token. The error is one line.
tl::expected<std::string, std::string> read_token_file(const std::string& path);

} // namespace porter
