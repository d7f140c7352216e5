// ClusterIP and NodePort allocation for Services, as kube-apiserver's
// registry does on create (k8s-api.md §5.4 "Defaulting"): a random free
// address of the service CIDR (network and broadcast excluded), a random
// free port of 30000-32767; explicit values are reserved or refused as
// "provided IP/port is already allocated".
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "sim/apiserver/encoding.hpp"

namespace porter::sim {

class service_allocator {
public:
  /// `cidr` is an IPv4 prefix such as "10.96.0.0/12".
  explicit service_allocator(std::string_view cidr);

  std::optional<std::string> allocate_ip(splitmix64& rng);
  enum class reserve_result { ok, taken, out_of_range, malformed };
  reserve_result reserve_ip(std::string_view ip);
  void release_ip(std::string_view ip);
  bool ip_reserved(std::string_view ip) const;

  std::optional<int> allocate_port(splitmix64& rng);
  reserve_result reserve_port(int port);
  void release_port(int port);
  bool port_reserved(int port) const { return ports_.count(port) != 0; }

  void clear();

private:
  std::optional<std::uint32_t> offset_of(std::string_view ip) const;

  std::uint32_t base_ = 0;
  std::uint32_t size_ = 0;
  std::set<std::uint32_t> ips_; // offsets into the CIDR
  std::set<int> ports_;
};

inline constexpr int node_port_min = 30000;
inline constexpr int node_port_max = 32767;

} // namespace porter::sim
