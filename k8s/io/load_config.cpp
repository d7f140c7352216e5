#include "k8s/io/load_config.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <vector>

namespace porter::k8s::io {

namespace {

using fail = tl::unexpected<std::string>;

// Config files are small; the cap keeps a mistaken path such as
// /dev/zero from eating memory.
constexpr std::size_t max_file_size = 16u << 20;

/// The whole file, or the errno that stopped it.
tl::expected<std::string, int> read_all(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return tl::unexpected(errno);
  std::string out;
  std::array<char, 8192> buf{};
  int err = 0;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), f)) {
    out.append(buf.data(), n);
    if (out.size() > max_file_size) {
      err = EFBIG;
      break;
    }
  }
  // fread on a directory fails with EISDIR; keep that reason.
  if (err == 0 && std::ferror(f))
    err = errno != 0 ? errno : EIO;
  std::fclose(f);
  if (err != 0)
    return tl::unexpected(err);
  return out;
}

std::string describe(int err) {
  return std::generic_category().message(err);
}

/// The trimmed token, or why not (without the path).
tl::expected<std::string, std::string> read_token(const std::string& path) {
  auto text = read_all(path);
  if (!text)
    return fail(describe(text.error()));
  auto& t = *text;
  auto b = t.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return fail("empty token");
  return t.substr(b, t.find_last_not_of(" \t\r\n") - b + 1);
}

/// Reads the files a kubeconfig points at into `cfg`. Errors name the
/// kubeconfig, the entry, the field and the file.
tl::expected<void, std::string> read_referenced(const resolved_kubeconfig& r,
                                                client_config& cfg) {
  auto error = [](const referenced_file& ref, const std::string& why) {
    return fail(
      to_string(config_error{ref.kubeconfig, ref.owner + " " + ref.field + " "
                                               + ref.path + ": " + why}));
  };
  for (auto [ref, into] :
       {std::pair{&r.ca_file, &cfg.ca_pem},
        std::pair{&r.client_cert_file, &cfg.client_cert_pem},
        std::pair{&r.client_key_file, &cfg.client_key_pem}}) {
    if (!*ref)
      continue;
    auto text = read_all((*ref)->path);
    if (!text)
      return error(**ref, describe(text.error()));
    if (!looks_like_pem(*text))
      return error(**ref, "not PEM (no \"-----BEGIN\" line)");
    *into = std::move(*text);
  }
  // clientcmd reads tokenFile once while building the config, so a bad
  // path fails at start-up, not at the first request.
  if (r.token_file) {
    auto token = read_token(r.token_file->path);
    if (!token)
      return error(*r.token_file, token.error());
    cfg.token = std::move(*token);
  }
  return {};
}

tl::expected<client_config, std::string>
from_kubeconfigs(const std::vector<kubeconfig_file>& files,
                 const load_options& o) {
  auto r = parse_kubeconfig(files, o.context);
  if (!r)
    return fail(to_string(r.error()));
  if (o.warn)
    for (const auto& w : r->warnings)
      o.warn(w);
  auto cfg = r->config;
  if (auto ok = read_referenced(*r, cfg); !ok)
    return fail(ok.error());
  return cfg;
}

/// One named kubeconfig that must exist (--kubeconfig, ~/.kube/config).
tl::expected<client_config, std::string>
from_kubeconfig_path(const std::string& path, const load_options& o) {
  auto text = read_all(path);
  if (!text)
    return fail("kubeconfig " + path + ": " + describe(text.error()));
  return from_kubeconfigs({{path, std::move(*text)}}, o);
}

/// KUBECONFIG: ':'-separated, empty entries and repeats ignored, missing
/// files skipped, but not all of them (clientcmd ClientConfigLoadingRules).
tl::expected<client_config, std::string>
from_kubeconfig_env(const std::string& list, const load_options& o) {
  std::vector<std::string> paths;
  for (std::size_t b = 0; b <= list.size();) {
    auto e = std::min(list.find(':', b), list.size());
    auto p = list.substr(b, e - b);
    bool seen = false;
    for (const auto& q : paths)
      seen |= q == p;
    if (!p.empty() && !seen)
      paths.push_back(p);
    b = e + 1;
  }
  std::vector<kubeconfig_file> files;
  for (const auto& p : paths) {
    auto text = read_all(p);
    if (!text && text.error() == ENOENT)
      continue;
    if (!text)
      return fail("kubeconfig " + p
                  + " (from KUBECONFIG): " + describe(text.error()));
    files.push_back({p, std::move(*text)});
  }
  if (files.empty())
    return fail("KUBECONFIG=" + list + ": none of its files exist");
  return from_kubeconfigs(files, o);
}

/// rest.InClusterConfig with clientcmd's namespace rule.
tl::expected<client_config, std::string>
from_service_account(const std::string& host, const std::string& port,
                     const load_options& o) {
  auto file = [&](std::string_view name) {
    return o.service_account_dir + "/" + std::string(name);
  };
  std::optional<std::string> ns_file;
  if (auto text = read_all(file(service_account_namespace)))
    ns_file = std::move(*text);
  auto pod_ns = o.env ? o.env("POD_NAMESPACE") : std::nullopt;
  auto c
    = in_cluster_config(host, port, pod_ns, ns_file, o.service_account_dir);
  if (!c)
    return fail(to_string(c.error()));
  auto ca_path = file(service_account_ca);
  auto ca = read_all(ca_path);
  if (!ca)
    return fail("in-cluster config: CA file " + ca_path + ": "
                + describe(ca.error()));
  if (!looks_like_pem(*ca))
    return fail("in-cluster config: CA file " + ca_path
                + ": not PEM (no \"-----BEGIN\" line)");
  c->ca_pem = std::move(*ca);
  auto token = read_token(c->token_file);
  if (!token)
    return fail("in-cluster config: token file " + c->token_file + ": "
                + token.error());
  c->token = std::move(*token);
  return std::move(*c);
}

} // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr)
    return std::nullopt;
  return std::string(v);
}

tl::expected<std::string, std::string>
read_token_file(const std::string& path) {
  auto token = read_token(path);
  if (!token)
    return fail("token file " + path + ": " + token.error());
  return token;
}

tl::expected<client_config, std::string>
load_client_config(const load_options& o) {
  auto env = [&](const char* name) {
    return o.env ? o.env(name).value_or("") : std::string();
  };
  if (!o.kubeconfig.empty())
    return from_kubeconfig_path(o.kubeconfig, o);
  if (auto list = env("KUBECONFIG"); !list.empty())
    return from_kubeconfig_env(list, o);
  auto host = env("KUBERNETES_SERVICE_HOST");
  auto port = env("KUBERNETES_SERVICE_PORT");
  if (o.context.empty() && !host.empty() && !port.empty())
    return from_service_account(host, port, o);
  if (auto home = env("HOME"); !home.empty()) {
    auto path = home + "/.kube/config";
    // Only a missing file falls through; any other failure is reported.
    auto text = read_all(path);
    if (text)
      return from_kubeconfigs({{path, std::move(*text)}}, o);
    if (text.error() != ENOENT)
      return fail("kubeconfig " + path + ": " + describe(text.error()));
  }
  return fail("no Kubernetes configuration: pass --kubeconfig, set "
              "KUBECONFIG, or run in a pod");
}

} // namespace porter::k8s::io
