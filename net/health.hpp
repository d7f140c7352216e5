// What /healthz and /readyz answer (issue #7 item 1, issue #11 item 1):
// named readiness checks set by the components that own them, reported in
// the kube-apiserver style ("[+]watch services ok", "[-]... failed: why").
// Pure; the thread-safe holder actors set is net/io/readiness.hpp.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace porter::net {

struct check_state {
  bool ok = false;
  std::string detail; ///< why not, or empty
};

using readiness_snapshot = std::map<std::string, check_state, std::less<>>;

struct health_answer {
  int status = 200;
  std::string body;
};

/// GET /healthz: the process answers, so it is alive. GET /readyz: 200
/// when every check is ok (and there is at least one), else 503; the body
/// lists every check. nullopt-like {404} for other paths; the query string
/// is ignored.
health_answer answer_health(std::string_view target,
                            const readiness_snapshot& checks);

/// Who may read /debug/ (issue #11 item 1): anyone on loopback; from
/// elsewhere only with "Authorization: Bearer <token>", and nobody when no
/// token is configured. 200 allowed, 401 wrong or missing token, 403 none
/// configured; `why` is the one-line reason.
struct debug_access {
  int status = 200;
  std::string why;
};
debug_access check_debug_access(bool from_loopback,
                                std::string_view authorization,
                                std::string_view token);

} // namespace porter::net
