#include "net/health.hpp"

namespace porter::net {

health_answer answer_health(std::string_view target,
                            const readiness_snapshot& checks) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/healthz" || path == "/livez")
    return {200, "ok\n"};
  if (path != "/readyz")
    return {404, "not found\n"};
  bool ready = !checks.empty();
  std::string body;
  for (const auto& [name, c] : checks) {
    ready = ready && c.ok;
    body += (c.ok ? "[+]" : "[-]") + name;
    body += c.ok ? " ok" : " failed";
    if (!c.detail.empty())
      body += (c.ok ? " (" : ": ") + c.detail + (c.ok ? ")" : "");
    body += '\n';
  }
  if (checks.empty())
    body = "[-]no checks registered yet\n";
  body += ready ? "readyz check passed\n" : "readyz check failed\n";
  return {ready ? 200 : 503, std::move(body)};
}

debug_access check_debug_access(bool from_loopback,
                                std::string_view authorization,
                                std::string_view token) {
  if (from_loopback)
    return {};
  if (token.empty())
    return {403, "/debug/ answers only on loopback unless porter runs with "
                 "--admin-token-file\n"};
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.substr(0, bearer.size()) != bearer
      || authorization.substr(bearer.size()) != token)
    return {401, "/debug/ needs Authorization: Bearer <token>\n"};
  return {};
}

} // namespace porter::net
