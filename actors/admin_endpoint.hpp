// The admin endpoint every long-running command serves (`--admin-listen`):
// /healthz, /livez, /readyz from the process's readiness checks, /metrics
// from actors/metrics (issue #11 adds /debug/).
#pragma once

#include <memory>
#include <string>

#include <tl/expected.hpp>

namespace porter::net::io {
class http_endpoint;
class io_thread;
class readiness;
} // namespace porter::net::io

namespace porter {

tl::expected<std::unique_ptr<net::io::http_endpoint>, std::string>
serve_health(net::io::io_thread& io, const std::string& listen,
             std::shared_ptr<const net::io::readiness> checks);

} // namespace porter
