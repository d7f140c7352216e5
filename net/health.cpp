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

} // namespace porter::net
