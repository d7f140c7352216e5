// Kubernetes client configuration, pure (k8s-api.md §4): kubeconfig YAML in
// the keys of client-go tools/clientcmd/api/v1 (types.go), several files
// merged as clientcmd's loading rules merge KUBECONFIG, a context resolved to
// a client_config; and the in-cluster config of rest.InClusterConfig. No I/O:
// files the kubeconfig points at are returned as paths for
// k8s/io/load_config.hpp to read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "k8s/client_config.hpp"

namespace porter::k8s {

/// Why no configuration could be built: the kubeconfig file(s) at fault
/// (empty for in-cluster errors) and what is wrong, naming the entry and
/// the field ("cluster \"c1\": server is required").
struct config_error {
  std::string file;
  std::string what;
};
/// One line: "kubeconfig /root/.kube/config: context \"x\" not found".
std::string to_string(const config_error& e);

/// One kubeconfig's path (for errors and relative paths) and its text.
struct kubeconfig_file {
  std::string path;
  std::string text;
};

/// A file a kubeconfig names (certificate-authority, client-certificate,
/// client-key, tokenFile), still to be read by the loader.
struct referenced_file {
  /// Relative paths already resolved against the directory of the
  /// kubeconfig that defined them (clientcmd ResolveLocalPaths).
  std::string path;
  std::string field;      ///< "certificate-authority"
  std::string owner;      ///< "cluster \"c1\"" or "user \"u1\""
  std::string kubeconfig; ///< the file that defined it
};

struct resolved_kubeconfig {
  /// host/port/tls, PEM from `*-data`, token, token_file, namespace,
  /// insecure_skip_tls_verify, tls_server_name, source.
  client_config config;
  std::string context; ///< the context used
  std::optional<referenced_file> ca_file;
  std::optional<referenced_file> client_cert_file;
  std::optional<referenced_file> client_key_file;
  /// Also in config.token_file; here with its origin for error messages.
  std::optional<referenced_file> token_file;
  /// Things ignored on purpose, for the caller to log once: an exec or
  /// auth-provider next to a token or certificate, credentials of a user
  /// whose server is http://.
  std::vector<std::string> warnings;
};

/// Merges `files` in order as clientcmd does for KUBECONFIG (the first
/// non-empty current-context wins; a cluster, user or context name keeps
/// its first definition, whole) and resolves `context_override`, or else
/// current-context. Authentication supported: client certificates, token,
/// tokenFile. exec, auth-provider and username/password are an error when
/// they are the user's only method and a warning when a token or
/// certificate is also present; impersonation (`as`) is an error. A user
/// of an http:// server gets no credentials at all, as in clientcmd.
tl::expected<resolved_kubeconfig, config_error>
parse_kubeconfig(const std::vector<kubeconfig_file>& files,
                 std::string_view context_override = {});

/// A kubeconfig `server`: scheme, host without brackets, port.
struct server_address {
  std::string host;
  std::string port;
  bool tls = true;
};
/// "https://host[:port]" (default 443) or "http://host[:port]" (default
/// 80); IPv6 literals in brackets; an optional "/" path. Other paths,
/// userinfo, queries and other schemes are errors (one-line reason).
tl::expected<server_address, std::string> parse_server(std::string_view url);

/// RFC 4648 §4 base64 with padding, as Go's base64.StdEncoding that
/// decodes kubeconfig `[]byte` fields: CR and LF are skipped, anything
/// else outside the alphabet is an error.
std::optional<std::string> decode_base64(std::string_view in);

/// True if `text` holds a PEM block ("-----BEGIN "); CA and client
/// certificates must be PEM (crypto/x509 AppendCertsFromPEM).
bool looks_like_pem(std::string_view text);

/// The service-account files of rest.InClusterConfig. The directory is a
/// parameter so tests and the loader can point elsewhere.
inline constexpr std::string_view default_service_account_dir
  = "/var/run/secrets/kubernetes.io/serviceaccount";
inline constexpr std::string_view service_account_token = "token";
inline constexpr std::string_view service_account_ca = "ca.crt";
inline constexpr std::string_view service_account_namespace = "namespace";

/// The in-cluster config from KUBERNETES_SERVICE_HOST/PORT: https, CA and
/// token still to be read (token_file = `sa_dir`/token). Namespace:
/// POD_NAMESPACE if non-empty, else the namespace file trimmed, else
/// "default". Host or port empty or bad is an error.
tl::expected<client_config, config_error>
in_cluster_config(std::string_view host, std::string_view port,
                  const std::optional<std::string>& pod_namespace_env,
                  const std::optional<std::string>& namespace_file_contents,
                  std::string_view sa_dir = default_service_account_dir);

} // namespace porter::k8s
