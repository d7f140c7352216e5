// Finds and reads the Kubernetes client configuration (k8s-api.md §4), in
// controller-runtime's order (pkg/client/config GetConfig): --kubeconfig,
// KUBECONFIG, in-cluster (rest.InClusterConfig), ~/.kube/config. The
// adapter around k8s/kube_config.hpp: it reads the environment and files,
// the pure part decides.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "k8s/client_config.hpp"
#include "k8s/kube_config.hpp"

namespace porter::k8s::io {

/// Reads an environment variable; std::nullopt when unset.
using env_reader
  = std::function<std::optional<std::string>(const std::string&)>;

/// std::getenv.
std::optional<std::string> process_env(const std::string& name);

struct load_options {
  std::string kubeconfig; ///< --kubeconfig; empty: not given
  /// --context; empty: current-context. Given, it also skips in-cluster
  /// (controller-runtime: a context only means something in a kubeconfig).
  std::string context;
  env_reader env = process_env;
  std::string service_account_dir{default_service_account_dir};
  /// Receives what the configuration ignores on purpose (an unsupported
  /// auth method next to a supported one); may be empty.
  std::function<void(const std::string&)> warn;
};

/// The configuration to reach the API server with PEM contents filled in
/// and the first token read (token_file stays set for re-reads). Errors
/// are one line naming the file and the field that pointed at it.
tl::expected<client_config, std::string>
load_client_config(const load_options& options);

/// A bearer token file's contents with surrounding whitespace trimmed
/// (client-go fileTokenSource: strings.TrimSpace); empty is an error. For
/// the transport's re-read every minute and after a 401 (§4.2).
tl::expected<std::string, std::string> read_token_file(const std::string& path);

} // namespace porter::k8s::io
