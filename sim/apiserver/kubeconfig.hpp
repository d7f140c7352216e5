// The kubeconfig `porter sim apiserver --kubeconfig-out` writes, in the
// format of client-go's clientcmd/api/v1 (k8s-api.md §4.3): one cluster with
// the CA inlined as certificate-authority-data, one user with a bearer
// token, one current context. kubectl sends the token only over https.
#pragma once

#include <string>

namespace porter::sim {

struct kubeconfig_params {
  std::string server; // "https://127.0.0.1:6443"
  std::string ca_pem; // empty for plain http
  std::string token;  // empty: no user credentials
  std::string name = "porter-sim";
  std::string namespace_ = "default";
};

std::string make_kubeconfig(const kubeconfig_params& p);

} // namespace porter::sim
