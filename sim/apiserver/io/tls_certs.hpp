// A throwaway PKI for `porter sim apiserver --tls`: a self-signed CA and a
// serving certificate it signs (ECDSA P-256, SHA-256) with the SANs kubectl
// and the Python client verify (IP 127.0.0.1, the listen address,
// localhost, kubernetes.default.svc). OpenSSL 3 EVP/X509 APIs.
#pragma once

#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace porter::sim {

struct tls_material {
  std::string ca_cert_pem;
  std::string cert_pem;
  std::string key_pem;
};

/// `extra_ips` / `extra_dns` are added to the default SANs.
tl::expected<tls_material, std::string>
make_tls_material(const std::vector<std::string>& extra_ips,
                  const std::vector<std::string>& extra_dns);

} // namespace porter::sim
