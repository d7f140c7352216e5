// The parts of k8s/kube_config.hpp that do not read kubeconfig YAML: the
// `server` URL (parse_server), base64 and PEM checks of the `*-data`
// fields, and rest.InClusterConfig from KUBERNETES_SERVICE_HOST/PORT and the
// service-account directory (k8s-api.md §4). Pure.
#include <cstdint>

#include "k8s/kube_config.hpp"

namespace porter::k8s {

namespace {

using fail = tl::unexpected<config_error>;

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

bool is_port(std::string_view p) {
  if (p.empty() || p.size() > 5)
    return false;
  unsigned v = 0;
  for (char c : p) {
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v >= 1 && v <= 65535;
}

} // namespace

tl::expected<server_address, std::string> parse_server(std::string_view url) {
  auto err = [](std::string what) { return tl::unexpected(std::move(what)); };
  auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return err("want https://host[:port] or http://host[:port]");
  std::string scheme(url.substr(0, sep));
  for (auto& ch : scheme)
    ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  server_address a;
  if (scheme != "https" && scheme != "http")
    return err("scheme " + quoted(scheme)
               + " is not supported (want https "
                 "or http)");
  a.tls = scheme == "https";
  auto rest = url.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  if (end != std::string_view::npos && rest.substr(end) != "/")
    return err(rest[end] == '/' ? "a path prefix is not supported"
                                : "a query or fragment is not supported");
  if (authority.find('@') != std::string_view::npos)
    return err("user information in the URL is not supported");
  std::string_view host, port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return err("unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':')
      return err("unexpected text after ']'");
    port = after.empty() ? after : after.substr(1);
    if (host.find_first_not_of("0123456789abcdefABCDEF:.") != host.npos
        || host.find(':') == host.npos)
      return err("bad IPv6 address " + quoted(host));
  } else {
    auto colon = authority.rfind(':');
    if (colon != authority.find(':'))
      return err("an IPv6 address must be in brackets");
    host = authority.substr(0, colon);
    port = colon == authority.npos ? std::string_view()
                                   : authority.substr(colon + 1);
    if (host.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        != host.npos)
      return err("bad host " + quoted(host));
  }
  if (host.empty())
    return err("no host");
  // Go's url.Parse allows "host:" (empty port): the scheme's default.
  if (!port.empty() && !is_port(port))
    return err("bad port " + quoted(port));
  a.host = std::string(host);
  a.port = port.empty() ? (a.tls ? "443" : "80") : std::string(port);
  return a;
}

std::optional<std::string> decode_base64(std::string_view in) {
  constexpr std::string_view alphabet
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string s;
  for (char c : in)
    if (c != '\r' && c != '\n')
      s += c;
  if (s.size() % 4 != 0)
    return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < s.size(); i += 4) {
    // '=' may only end the last quartet: "xx==" or "xxx=".
    int pad = 0;
    if (i + 4 == s.size() && s[i + 3] == '=')
      pad = s[i + 2] == '=' ? 2 : 1;
    std::uint32_t acc = 0;
    for (int k = 0; k < 4 - pad; ++k) {
      auto v = alphabet.find(s[i + static_cast<std::size_t>(k)]);
      if (v == alphabet.npos)
        return std::nullopt;
      acc = acc << 6 | static_cast<std::uint32_t>(v);
    }
    acc <<= 6 * pad;
    out += static_cast<char>(acc >> 16 & 0xff);
    if (pad < 2)
      out += static_cast<char>(acc >> 8 & 0xff);
    if (pad < 1)
      out += static_cast<char>(acc & 0xff);
  }
  return out;
}

bool looks_like_pem(std::string_view text) {
  return text.find("-----BEGIN ") != std::string_view::npos;
}

tl::expected<client_config, config_error>
in_cluster_config(std::string_view host, std::string_view port,
                  const std::optional<std::string>& pod_namespace_env,
                  const std::optional<std::string>& namespace_file_contents,
                  std::string_view sa_dir) {
  // rest.InClusterConfig: ErrNotInCluster unless both are non-empty.
  if (host.empty() || port.empty())
    return fail({"", "in-cluster config: KUBERNETES_SERVICE_HOST and "
                     "KUBERNETES_SERVICE_PORT must both be set"});
  if (!is_port(port))
    return fail({"", "in-cluster config: KUBERNETES_SERVICE_PORT "
                       + quoted(port) + " is not a port number"});
  // net.JoinHostPort adds the brackets; client_config holds none.
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  client_config c;
  c.host = std::string(host);
  c.port = std::string(port);
  c.tls = true;
  c.token_file = std::string(sa_dir) + "/" + std::string(service_account_token);
  // clientcmd inClusterClientConfig.Namespace: POD_NAMESPACE, then the
  // namespace file trimmed, then "default".
  std::string ns = pod_namespace_env.value_or("");
  if (ns.empty() && namespace_file_contents) {
    const auto& f = *namespace_file_contents;
    auto b = f.find_first_not_of(" \t\r\n");
    if (b != std::string::npos)
      ns = f.substr(b, f.find_last_not_of(" \t\r\n") - b + 1);
  }
  c.namespace_ = ns.empty() ? "default" : ns;
  c.source = "in-cluster";
  return c;
}

} // namespace porter::k8s
