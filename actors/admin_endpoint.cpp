#include "actors/admin_endpoint.hpp"

#include <fstream>
#include <sstream>

#include "actors/debug_json.hpp"
#include "actors/metrics.hpp"
#include "net/io/http_endpoint.hpp"
#include "net/io/readiness.hpp"
#include "net/io/status_board.hpp"

namespace porter {

namespace {

net::io::http_response debug_page(const net::io::http_request& req,
                                  std::string_view path,
                                  const admin_sources& s) {
  auto access
    = net::check_debug_access(req.from_loopback, req.authorization, s.token);
  if (access.status != 200)
    return {access.status, "text/plain; charset=utf-8", access.why};
  const std::string section{path.substr(std::string_view{"/debug/"}.size())};
  // Live, not published: a stuck actor cannot publish that it is stuck.
  if (section == "actors")
    return {200, "application/json", actors_json(actor_registry::snapshot())};
  if (s.board)
    if (auto doc = s.board->get(section))
      return {200, "application/json", *doc};
  std::string known = "actors";
  if (s.board)
    for (const auto& name : s.board->sections())
      known += ", " + name;
  return {404, "text/plain; charset=utf-8",
          "no /debug/" + section + " in this process (here: " + known + ")\n"};
}

} // namespace

tl::expected<std::unique_ptr<net::io::http_endpoint>, std::string>
serve_admin(net::io::io_thread& io, const std::string& listen,
            admin_sources sources) {
  return net::io::http_endpoint::listen(
    io, listen,
    [s = std::move(sources)](net::io::http_request req,
                             net::io::http_responder respond) {
      const std::string_view path
        = std::string_view{req.target}.substr(0, req.target.find('?'));
      if (path == "/metrics") {
        respond(
          {200, "text/plain; version=0.0.4; charset=utf-8", metrics::render()});
        return;
      }
      if (path.substr(0, 7) == "/debug/") {
        respond(debug_page(req, path, s));
        return;
      }
      auto a = net::answer_health(req.target, s.checks->snapshot());
      respond({a.status, "text/plain; charset=utf-8", std::move(a.body)});
    });
}

tl::expected<std::string, std::string>
read_token_file(const std::string& path) {
  if (path.empty())
    return std::string{};
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  if (!in)
    return tl::unexpected{"--admin-token-file " + path + ": cannot read it"};
  auto t = text.str();
  const auto first = t.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return tl::unexpected{"--admin-token-file " + path + ": empty"};
  return t.substr(first, t.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace porter
