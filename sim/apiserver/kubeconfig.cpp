#include "sim/apiserver/kubeconfig.hpp"

#include "sim/apiserver/encoding.hpp"

namespace porter::sim {

std::string make_kubeconfig(const kubeconfig_params& p) {
  std::string out = "apiVersion: v1\nkind: Config\nclusters:\n- name: " + p.name
                    + "\n  cluster:\n    server: " + p.server + "\n";
  if (!p.ca_pem.empty())
    out += "    certificate-authority-data: " + base64_encode(p.ca_pem) + "\n";
  out += "contexts:\n- name: " + p.name + "\n  context:\n    cluster: " + p.name
         + "\n    user: " + p.name + "\n    namespace: " + p.namespace_
         + "\ncurrent-context: " + p.name + "\nusers:\n- name: " + p.name
         + "\n  user:\n";
  // A YAML double-quoted scalar: tokens may hold characters YAML treats
  // specially.
  if (!p.token.empty()) {
    std::string quoted;
    for (char c : p.token)
      quoted
        += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    out += "    token: \"" + quoted + "\"\n";
  } else {
    out += "    {}\n";
  }
  return out;
}

} // namespace porter::sim
