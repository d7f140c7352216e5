#include "actors/admin_endpoint.hpp"

#include "actors/metrics.hpp"
#include "net/io/http_endpoint.hpp"
#include "net/io/readiness.hpp"

namespace porter {

tl::expected<std::unique_ptr<net::io::http_endpoint>, std::string>
serve_health(net::io::io_thread& io, const std::string& listen,
             std::shared_ptr<const net::io::readiness> checks) {
  return net::io::http_endpoint::listen(
    io, listen,
    [checks = std::move(checks)](net::io::http_request req,
                                 net::io::http_responder respond) {
      const std::string_view path
        = std::string_view{req.target}.substr(0, req.target.find('?'));
      if (path == "/metrics") {
        respond(
          {200, "text/plain; version=0.0.4; charset=utf-8", metrics::render()});
        return;
      }
      auto a = net::answer_health(req.target, checks->snapshot());
      respond({a.status, "text/plain; charset=utf-8", std::move(a.body)});
    });
}

} // namespace porter
