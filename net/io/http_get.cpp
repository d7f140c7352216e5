#include "net/io/http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "net/host_port.hpp"

namespace porter::net::io {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

tl::expected<get_result, std::string>
http_get(const std::string& endpoint, const std::string& target,
         const std::string& bearer_token, std::chrono::milliseconds timeout) {
  auto hp = parse_host_port(endpoint);
  if (!hp)
    return tl::unexpected{endpoint + ": " + hp.error()};
  asio::io_context ctx;
  tcp::resolver resolver{ctx};
  beast::tcp_stream stream{ctx};
  beast::flat_buffer buffer;
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, endpoint);
  req.set(http::field::user_agent, "porter inspect");
  if (!bearer_token.empty())
    req.set(http::field::authorization, "Bearer " + bearer_token);
  http::response<http::string_body> res;
  std::string error;
  stream.expires_after(timeout);
  resolver.async_resolve(
    hp->host, std::to_string(hp->port),
    [&](beast::error_code ec, const tcp::resolver::results_type& results) {
      if (ec) {
        error = ec.message();
        return;
      }
      stream.async_connect(results, [&](beast::error_code ec2,
                                        const tcp::endpoint&) {
        if (ec2) {
          error = ec2.message();
          return;
        }
        http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
          if (ec3) {
            error = ec3.message();
            return;
          }
          http::async_read(stream, buffer, res,
                           [&](beast::error_code ec4, std::size_t) {
                             if (ec4)
                               error = ec4.message();
                           });
        });
      });
    });
  ctx.run_for(timeout + std::chrono::milliseconds{100});
  if (!error.empty())
    return tl::unexpected{endpoint + ": " + error};
  if (res.result_int() == 0)
    return tl::unexpected{endpoint + ": no answer within "
                          + std::to_string(timeout.count()) + " ms"};
  return get_result{static_cast<int>(res.result_int()), res.body()};
}

} // namespace porter::net::io
