// Where and how to reach the API server: the result of reading a kubeconfig
// (clientcmd/api/v1, k8s-api.md §4.3) or the in-cluster service-account
// files (rest.InClusterConfig, §4.1). Pure data; k8s/kube_config.hpp builds
// it from text, k8s/io/load_config.hpp from files and the environment.
#pragma once

#include <string>

namespace porter::k8s {

struct client_config {
  std::string host; ///< "10.96.0.1", "::1" (no brackets), "api.example"
  std::string port; ///< "443"
  bool tls = true;  ///< false only for an explicit http:// server
  /// PEM contents (files are read by the loader; `*-data` base64-decoded).
  std::string ca_pem;          ///< empty: the system trust store
  std::string client_cert_pem; ///< empty: no client certificate
  std::string client_key_pem;
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name; ///< SNI/verification override
  std::string token;           ///< static bearer token
  /// Re-read at least every minute and after a 401 (§4.2); wins over
  /// `token` once read.
  std::string token_file;
  std::string namespace_ = "default";
  /// For error messages: "kubeconfig /root/.kube/config (context prod)" or
  /// "in-cluster".
  std::string source;
};

} // namespace porter::k8s
