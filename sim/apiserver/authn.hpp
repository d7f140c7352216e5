// Bearer-token authentication of the emulator, as kube-apiserver's
// --token-auth-file does it (k8s.io/apiserver pkg/authentication/token/
// tokenfile): a CSV file, one user per line `token,user,uid[,"g1,g2"]`. The
// user name is what `--audit-log` records, so tests can tell the manager's
// calls from the agent's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace porter::sim {

struct token_user {
  std::string token;
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
};

/// Blank lines are skipped; a line with fewer than three fields, an empty
/// token or user, or a token seen before is an error naming the line.
tl::expected<std::vector<token_user>, std::string>
parse_token_auth_file(std::string_view text);

/// The user whose token `authorization` ("Bearer T") carries, if any.
std::optional<std::string> user_of(const std::vector<token_user>& users,
                                   std::string_view authorization);

/// The user `--token` authenticates (the kubeconfig's).
inline constexpr std::string_view token_flag_user = "admin";

/// Who sends the request: `--token`'s user, a token file's user, or
/// `system:anonymous` when no token is configured or for the health and
/// version paths; nullopt: 401.
std::optional<std::string> authenticate(std::string_view token,
                                        const std::vector<token_user>& users,
                                        std::string_view authorization,
                                        std::string_view path);

} // namespace porter::sim
