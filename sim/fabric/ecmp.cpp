#include "sim/fabric/ecmp.hpp"

namespace porter::sim {

namespace {

constexpr std::uint64_t fnv_offset = 14695981039346656037ULL;
constexpr std::uint64_t fnv_prime = 1099511628211ULL;

void mix(std::uint64_t& h, std::uint8_t byte) {
  h ^= byte;
  h *= fnv_prime;
}

void mix_address(std::uint64_t& h, const net::ip_address& a) {
  for (std::size_t i = 0; i < a.size(); ++i)
    mix(h, a.bytes[i]);
}

} // namespace

std::uint64_t flow_hash(const five_tuple& f, std::uint32_t seed) {
  std::uint64_t h = fnv_offset;
  for (int shift = 0; shift < 32; shift += 8)
    mix(h, static_cast<std::uint8_t>(seed >> shift));
  mix_address(h, f.src);
  mix_address(h, f.dst);
  mix(h, static_cast<std::uint8_t>(f.src_port >> 8));
  mix(h, static_cast<std::uint8_t>(f.src_port));
  mix(h, static_cast<std::uint8_t>(f.dst_port >> 8));
  mix(h, static_cast<std::uint8_t>(f.dst_port));
  mix(h, f.protocol);
  return h;
}

std::size_t pick_next_hop(const five_tuple& f, std::size_t count,
                          std::uint32_t seed) {
  return static_cast<std::size_t>(flow_hash(f, seed) % count);
}

} // namespace porter::sim
