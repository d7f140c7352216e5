#include "sim/apiserver/authn.hpp"

namespace porter::sim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty()
         && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// encoding/csv with TrimLeadingSpace: fields split at commas outside
// double quotes; "" inside quotes is one quote.
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  for (auto& f : out)
    f = std::string(trim(f));
  return out;
}

std::vector<std::string> split_groups(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    auto g = trim(s.substr(0, comma));
    if (!g.empty())
      out.emplace_back(g);
    if (comma == std::string_view::npos)
      break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

} // namespace

tl::expected<std::vector<token_user>, std::string>
parse_token_auth_file(std::string_view text) {
  std::vector<token_user> users;
  int line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty())
      continue;
    auto f = csv_fields(line);
    auto where = "line " + std::to_string(line_no) + ": ";
    if (f.size() < 3)
      return tl::make_unexpected(where + "want token,user,uid[,\"groups\"]");
    if (f[0].empty() || f[1].empty())
      return tl::make_unexpected(where + "empty token or user");
    for (const auto& u : users)
      if (u.token == f[0])
        return tl::make_unexpected(where + "duplicate token");
    token_user u;
    u.token = f[0];
    u.name = f[1];
    u.uid = f[2];
    if (f.size() > 3)
      u.groups = split_groups(f[3]);
    users.push_back(std::move(u));
  }
  return users;
}

std::optional<std::string> user_of(const std::vector<token_user>& users,
                                   std::string_view authorization) {
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.substr(0, bearer.size()) != bearer)
    return std::nullopt;
  auto token = trim(authorization.substr(bearer.size()));
  for (const auto& u : users)
    if (!token.empty() && u.token == token)
      return u.name;
  return std::nullopt;
}

std::optional<std::string> authenticate(std::string_view token,
                                        const std::vector<token_user>& users,
                                        std::string_view authorization,
                                        std::string_view path) {
  if (!token.empty() && authorization == "Bearer " + std::string(token))
    return std::string(token_flag_user);
  if (auto u = user_of(users, authorization))
    return u;
  if ((token.empty() && users.empty()) || path == "/version"
      || path == "/healthz" || path == "/livez" || path == "/readyz")
    return std::string("system:anonymous");
  return std::nullopt;
}

} // namespace porter::sim
