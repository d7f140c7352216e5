#include "actors/admin_endpoint.hpp"

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
      auto a = net::answer_health(req.target, checks->snapshot());
      respond({a.status, "text/plain; charset=utf-8", std::move(a.body)});
    });
}

} // namespace porter
