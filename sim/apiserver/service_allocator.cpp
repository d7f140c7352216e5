#include "sim/apiserver/service_allocator.hpp"

#include "net/ip_address.hpp"

namespace porter::sim {

service_allocator::service_allocator(std::string_view cidr) {
  auto slash = cidr.find('/');
  auto ip = net::parse_ip(cidr.substr(0, slash));
  int len = 12;
  if (slash != std::string_view::npos) {
    len = 0;
    for (char c : cidr.substr(slash + 1))
      len = len * 10 + (c - '0');
  }
  if (!ip || !ip->is_v4() || len < 8 || len > 30) {
    ip = net::parse_ip("10.96.0.0");
    len = 12;
  }
  size_ = 1U << (32 - len);
  base_ = ip->v4_host_order() & ~(size_ - 1);
}

std::optional<std::uint32_t>
service_allocator::offset_of(std::string_view text) const {
  auto ip = net::parse_ip(text);
  if (!ip || !ip->is_v4())
    return std::nullopt;
  return ip->v4_host_order() - base_;
}

std::optional<std::string> service_allocator::allocate_ip(splitmix64& rng) {
  // Usable offsets are 1 .. size-2 (not the network or broadcast address).
  std::uint32_t usable = size_ - 2;
  auto start = static_cast<std::uint32_t>(rng.below(usable));
  for (std::uint32_t i = 0; i < usable; ++i) {
    std::uint32_t off = 1 + (start + i) % usable;
    if (ips_.insert(off).second)
      return net::to_string(net::ip_address::v4(base_ + off));
  }
  return std::nullopt;
}

service_allocator::reserve_result
service_allocator::reserve_ip(std::string_view ip) {
  auto off = offset_of(ip);
  if (!off)
    return reserve_result::malformed;
  if (*off == 0 || *off >= size_ - 1)
    return reserve_result::out_of_range;
  return ips_.insert(*off).second ? reserve_result::ok : reserve_result::taken;
}

void service_allocator::release_ip(std::string_view ip) {
  if (auto off = offset_of(ip))
    ips_.erase(*off);
}

bool service_allocator::ip_reserved(std::string_view ip) const {
  auto off = offset_of(ip);
  return off && ips_.count(*off) != 0;
}

std::optional<int> service_allocator::allocate_port(splitmix64& rng) {
  const int span = node_port_max - node_port_min + 1;
  auto start = static_cast<int>(rng.below(span));
  for (int i = 0; i < span; ++i) {
    int port = node_port_min + (start + i) % span;
    if (ports_.insert(port).second)
      return port;
  }
  return std::nullopt;
}

service_allocator::reserve_result service_allocator::reserve_port(int port) {
  if (port < node_port_min || port > node_port_max)
    return reserve_result::out_of_range;
  return ports_.insert(port).second ? reserve_result::ok
                                    : reserve_result::taken;
}

void service_allocator::release_port(int port) {
  ports_.erase(port);
}

void service_allocator::clear() {
  ips_.clear();
  ports_.clear();
}

} // namespace porter::sim
