#include "k8s/kube_config.hpp"

#include <map>
#include <set>
#include <tuple>

#include <yaml-cpp/yaml.h>

namespace porter::k8s {

namespace {

using fail = tl::unexpected<config_error>;
/// A reason without the file; the caller adds the file it belongs to.
template <class T>
using reason_or = tl::expected<T, std::string>;

// The parts of clientcmd/api/v1 types.go porter reads. Paths are already
// resolved against the directory of `file`, the kubeconfig defining them.
struct cluster_entry {
  std::string file, server, ca, ca_data, tls_server_name, proxy_url;
  bool insecure = false;
};
struct user_entry {
  std::string file, cert, cert_data, key, key_data, token, token_file;
  std::vector<std::string> unsupported; // "exec", "auth-provider", ...
  bool impersonates = false;
};
struct context_entry {
  std::string file, cluster, user, namespace_;
};
struct merged_config {
  std::string current_context;
  std::map<std::string, cluster_entry> clusters;
  std::map<std::string, user_entry> users;
  std::map<std::string, context_entry> contexts;
};

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// clientcmd ResolveLocalPaths: filepath.Join(dir of the kubeconfig, p).
std::string resolve_path(const std::string& kubeconfig, std::string p) {
  auto slash = kubeconfig.rfind('/');
  if (p.empty() || p.front() == '/' || slash == std::string::npos)
    return p;
  return kubeconfig.substr(0, slash + 1) + p;
}

/// A member read as Go's yaml→json decoding reads a string field: absent
/// or null is "", any scalar is its text, a map or list is an error.
reason_or<std::string> scalar(const YAML::Node& map, const char* key) {
  const YAML::Node v = map[key];
  if (!v.IsDefined() || v.IsNull())
    return std::string();
  if (!v.IsScalar())
    return tl::unexpected(std::string(key) + " must be a string");
  return v.Scalar();
}

reason_or<bool> boolean(const YAML::Node& map, const char* key) {
  const YAML::Node v = map[key];
  bool b = false;
  if (!v.IsDefined() || v.IsNull())
    return false;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b))
    return tl::unexpected(std::string(key) + " must be true or false");
  return b;
}

/// Reads the string members `keys` of `map` into `out`, in order.
reason_or<bool>
scalars(const YAML::Node& map,
        std::initializer_list<std::pair<const char*, std::string*>> keys) {
  for (auto [key, out] : keys) {
    auto v = scalar(map, key);
    if (!v)
      return tl::unexpected(v.error());
    *out = std::move(*v);
  }
  return true;
}

reason_or<cluster_entry> read_cluster(const YAML::Node& m,
                                      const std::string& file) {
  cluster_entry c{file, {}, {}, {}, {}, {}, false};
  auto ok = scalars(m, {{"server", &c.server},
                        {"certificate-authority", &c.ca},
                        {"certificate-authority-data", &c.ca_data},
                        {"tls-server-name", &c.tls_server_name},
                        {"proxy-url", &c.proxy_url}});
  if (!ok)
    return tl::unexpected(ok.error());
  auto insecure = boolean(m, "insecure-skip-tls-verify");
  if (!insecure)
    return tl::unexpected(insecure.error());
  c.insecure = *insecure;
  c.ca = resolve_path(file, c.ca);
  return c;
}

reason_or<user_entry> read_user(const YAML::Node& m, const std::string& file) {
  user_entry u{file, {}, {}, {}, {}, {}, {}, {}, false};
  std::string username, password;
  auto ok = scalars(m, {{"client-certificate", &u.cert},
                        {"client-certificate-data", &u.cert_data},
                        {"client-key", &u.key},
                        {"client-key-data", &u.key_data},
                        {"token", &u.token},
                        {"tokenFile", &u.token_file},
                        {"username", &username},
                        {"password", &password}});
  if (!ok)
    return tl::unexpected(ok.error());
  for (const char* key : {"exec", "auth-provider"})
    if (m[key].IsDefined() && !m[key].IsNull())
      u.unsupported.emplace_back(key);
  if (!username.empty() || !password.empty())
    u.unsupported.emplace_back("username/password");
  for (const char* key : {"as", "as-uid", "as-groups", "as-user-extra"})
    u.impersonates |= m[key].IsDefined() && !m[key].IsNull();
  u.cert = resolve_path(file, u.cert);
  u.key = resolve_path(file, u.key);
  u.token_file = resolve_path(file, u.token_file);
  return u;
}

reason_or<context_entry> read_context(const YAML::Node& m,
                                      const std::string& file) {
  context_entry c{file, {}, {}, {}};
  auto ok = scalars(
    m,
    {{"cluster", &c.cluster}, {"user", &c.user}, {"namespace", &c.namespace_}});
  if (!ok)
    return tl::unexpected(ok.error());
  return c;
}

/// Adds the named entries of `list` ("clusters") to `out` unless an
/// earlier file defined the name: clientcmd merges maps first-file-wins,
/// whole entries. A name twice in one file is an error, as in client-go's
/// v1 conversion ("duplicate name").
template <class Entry, class Read>
reason_or<bool> read_list(const YAML::Node& root, const char* list,
                          const char* body_key, Read read,
                          std::map<std::string, Entry>& out) {
  const YAML::Node seq = root[list];
  if (!seq.IsDefined() || seq.IsNull())
    return true;
  if (!seq.IsSequence())
    return tl::unexpected(std::string(list) + " must be a list");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const YAML::Node item = seq[i];
    auto at = std::string(list) + "[" + std::to_string(i) + "]";
    if (!item.IsMap())
      return tl::unexpected(at + " must be a map");
    auto name = scalar(item, "name");
    if (!name || name->empty())
      return tl::unexpected(at + ": name is required");
    at = body_key + (" " + quoted(*name)); // cluster "c1"
    const YAML::Node body = item[body_key];
    if (body.IsDefined() && !body.IsNull() && !body.IsMap())
      return tl::unexpected(at + ": " + body_key + " must be a map");
    // An absent body reads as the empty entry (Go's zero value).
    auto entry = read(body.IsMap() ? body : YAML::Node(YAML::NodeType::Map));
    if (!entry)
      return tl::unexpected(at + ": " + entry.error());
    if (!seen.insert(*name).second)
      return tl::unexpected(list + std::string(": duplicate name ")
                            + quoted(*name));
    out.emplace(*name, std::move(*entry));
  }
  return true;
}

/// Parses one file and merges it under the files before it.
tl::expected<void, config_error> merge_file(const kubeconfig_file& f,
                                            merged_config& into) {
  YAML::Node root;
  try {
    root = YAML::Load(f.text);
  } catch (const YAML::Exception& e) {
    return fail({f.path, "not valid YAML: line "
                           + std::to_string(e.mark.line + 1) + ": " + e.msg});
  }
  // An empty file is an empty config (clientcmd LoadFromFile).
  if (root.IsNull())
    return {};
  if (!root.IsMap())
    return fail({f.path, "not a kubeconfig (the top level must be a map)"});
  auto current = scalar(root, "current-context");
  if (!current)
    return fail({f.path, current.error()});
  if (into.current_context.empty())
    into.current_context = *current;
  // Each entry remembers its file, for relative paths and errors.
  auto in_file = [&f](auto read) {
    return [&f, read](const YAML::Node& n) { return read(n, f.path); };
  };
  auto ok = read_list(root, "clusters", "cluster", in_file(read_cluster),
                      into.clusters);
  if (ok)
    ok = read_list(root, "users", "user", in_file(read_user), into.users);
  if (ok)
    ok = read_list(root, "contexts", "context", in_file(read_context),
                   into.contexts);
  return ok ? tl::expected<void, config_error>() : fail({f.path, ok.error()});
}

// validation.IsDNS1123Label, which clientcmd validateContext applies.
bool is_dns1123_label(std::string_view s) {
  auto alnum
    = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back()))
    return false;
  for (char c : s)
    if (!alnum(c) && c != '-')
      return false;
  return true;
}

/// `data` base64-decoded, required to be PEM; `field` names it in errors.
reason_or<std::string> pem_data(const std::string& data, const char* field) {
  auto pem = decode_base64(data);
  if (!pem)
    return tl::unexpected(std::string(field) + " is not valid base64");
  if (!looks_like_pem(*pem))
    return tl::unexpected(std::string(field)
                          + " is not PEM (no \"-----BEGIN\" line)");
  return *pem;
}

tl::expected<void, config_error> apply_cluster(const std::string& name,
                                               const cluster_entry& c,
                                               resolved_kubeconfig& out) {
  auto at = "cluster " + quoted(name) + ": ";
  auto bad = [&](const std::string& what) { return fail({c.file, at + what}); };
  // clientcmd validateClusterInfo: "no server found for cluster".
  if (c.server.empty())
    return bad("server is required");
  auto addr = parse_server(c.server);
  if (!addr)
    return bad("server " + quoted(c.server) + ": " + addr.error());
  if (!c.proxy_url.empty())
    return bad("proxy-url is not supported");
  // validateClusterInfo rejects both; transport.TLSConfigFor rejects "a
  // root certificates file with the insecure flag".
  if (!c.ca.empty() && !c.ca_data.empty())
    return bad("certificate-authority and certificate-authority-data are "
               "both set");
  if (c.insecure && (!c.ca.empty() || !c.ca_data.empty()))
    return bad("insecure-skip-tls-verify and a certificate authority are "
               "both set");
  auto& cfg = out.config;
  cfg.host = addr->host, cfg.port = addr->port, cfg.tls = addr->tls;
  cfg.insecure_skip_tls_verify = c.insecure;
  cfg.tls_server_name = c.tls_server_name;
  if (!c.ca_data.empty()) {
    auto pem = pem_data(c.ca_data, "certificate-authority-data");
    if (!pem)
      return bad(pem.error());
    cfg.ca_pem = std::move(*pem);
  }
  if (!c.ca.empty())
    out.ca_file = referenced_file{c.ca, "certificate-authority",
                                  "cluster " + quoted(name), c.file};
  return {};
}

tl::expected<void, config_error> apply_user(const std::string& name,
                                            const user_entry& u,
                                            resolved_kubeconfig& out) {
  auto who = "user " + quoted(name);
  auto bad = [&](const std::string& what) {
    return fail({u.file, who + ": " + what});
  };
  // clientcmd validateAuthInfo: file and data both set, or a certificate
  // without a key, are errors.
  if (!u.cert.empty() && !u.cert_data.empty())
    return bad("client-certificate and client-certificate-data are both set");
  if (!u.key.empty() && !u.key_data.empty())
    return bad("client-key and client-key-data are both set");
  bool has_cert = !u.cert.empty() || !u.cert_data.empty();
  bool has_key = !u.key.empty() || !u.key_data.empty();
  if (has_cert != has_key)
    return bad(has_cert ? "client-certificate is set but client-key is not"
                        : "client-key is set but client-certificate is not");
  bool has_token = !u.token.empty() || !u.token_file.empty();
  // clientcmd: "only try to read the auth information if we are secure".
  if (!out.config.tls) {
    if (has_cert || has_token || u.impersonates || !u.unsupported.empty())
      out.warnings.push_back(who + ": credentials not sent to http://");
    return {};
  }
  if (u.impersonates)
    return bad("impersonation (as, as-groups) is not supported");
  if (!u.unsupported.empty()) {
    std::string methods;
    for (const auto& m : u.unsupported)
      methods += (methods.empty() ? "" : ", ") + m;
    if (!has_cert && !has_token)
      return bad("unsupported authentication (" + methods
                 + "); use client-certificate and client-key, token or "
                   "tokenFile");
    out.warnings.push_back(who + ": unsupported authentication (" + methods
                           + ") ignored");
  }
  auto& cfg = out.config;
  for (auto [data, pem, field] :
       {std::tuple{&u.cert_data, &cfg.client_cert_pem,
                   "client-certificate-data"},
        std::tuple{&u.key_data, &cfg.client_key_pem, "client-key-data"}}) {
    if (data->empty())
      continue;
    auto decoded = pem_data(*data, field);
    if (!decoded)
      return bad(decoded.error());
    *pem = std::move(*decoded);
  }
  if (!u.cert.empty())
    out.client_cert_file
      = referenced_file{u.cert, "client-certificate", who, u.file};
  if (!u.key.empty())
    out.client_key_file = referenced_file{u.key, "client-key", who, u.file};
  cfg.token = u.token;
  cfg.token_file = u.token_file;
  if (!u.token_file.empty())
    out.token_file = referenced_file{u.token_file, "tokenFile", who, u.file};
  return {};
}

} // namespace

std::string to_string(const config_error& e) {
  return e.file.empty() ? e.what : "kubeconfig " + e.file + ": " + e.what;
}

tl::expected<resolved_kubeconfig, config_error>
parse_kubeconfig(const std::vector<kubeconfig_file>& files,
                 std::string_view context_override) {
  merged_config m;
  std::string all; // "/a:/b", as KUBECONFIG lists them
  for (const auto& f : files) {
    all += (all.empty() ? "" : ":") + f.path;
    try {
      if (auto ok = merge_file(f, m); !ok)
        return fail(ok.error());
    } catch (const YAML::Exception& e) {
      // The checks above should leave yaml-cpp nothing to throw; this
      // keeps the pure core's promise never to throw on bad input.
      return fail({f.path, std::string("unreadable YAML: ") + e.what()});
    }
  }
  std::string name(context_override.empty() ? m.current_context
                                            : context_override);
  if (name.empty())
    return fail({all, "current-context is not set and no context was given"});
  auto ctx = m.contexts.find(name);
  if (ctx == m.contexts.end())
    return fail({all, "context " + quoted(name) + " not found"});
  const auto& c = ctx->second;
  auto at = "context " + quoted(name) + ": ";
  // clientcmd validateContext: both references are required and must
  // exist; the namespace must be a DNS-1123 label.
  if (c.cluster.empty())
    return fail({c.file, at + "cluster is required"});
  if (c.user.empty())
    return fail({c.file, at + "user is required"});
  auto cluster = m.clusters.find(c.cluster);
  if (cluster == m.clusters.end())
    return fail({c.file, at + "cluster " + quoted(c.cluster) + " not found"});
  auto user = m.users.find(c.user);
  if (user == m.users.end())
    return fail({c.file, at + "user " + quoted(c.user) + " not found"});
  if (!c.namespace_.empty() && !is_dns1123_label(c.namespace_))
    return fail({c.file, at + "namespace " + quoted(c.namespace_)
                           + " is not a DNS-1123 label"});
  resolved_kubeconfig out;
  out.context = name;
  if (auto ok = apply_cluster(c.cluster, cluster->second, out); !ok)
    return fail(ok.error());
  if (auto ok = apply_user(c.user, user->second, out); !ok)
    return fail(ok.error());
  out.config.namespace_ = c.namespace_.empty() ? "default" : c.namespace_;
  out.config.source = "kubeconfig " + all + " (context " + name + ")";
  return out;
}

} // namespace porter::k8s
