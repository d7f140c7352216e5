// Private to bgp/: the order of net::prefix and nlri (their operator<:
// family, address bytes, length, then path id) as one three-way comparison
// on two 64-bit words. The million-route tables are sorted, searched and
// merge-joined in this order; operator< would compare the bytes twice.
#pragma once

#include <cstdint>
#include <cstring>

#include "bgp/message.hpp"
#include "net/ip_address.hpp"

namespace porter::bgp::detail {

/// 8 address bytes as a number in network order.
inline std::uint64_t address_word(const net::ip_address& a, int half) {
  std::uint64_t w = 0;
  std::memcpy(&w, a.bytes.data() + 8 * half, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

/// <0, 0, >0 as a is before, equal to, after b in prefix order.
inline int compare(const net::prefix& a, const net::prefix& b) {
  if (a.addr.fam != b.addr.fam) {
    return a.addr.fam < b.addr.fam ? -1 : 1;
  }
  for (int half = 0; half < 2; ++half) {
    auto x = address_word(a.addr, half);
    auto y = address_word(b.addr, half);
    if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  return a.length == b.length ? 0 : (a.length < b.length ? -1 : 1);
}

/// The same for nlri: prefix, then path id.
inline int compare(const nlri& a, const nlri& b) {
  if (int c = compare(a.prefix, b.prefix); c != 0) {
    return c;
  }
  return a.path_id == b.path_id ? 0 : (a.path_id < b.path_id ? -1 : 1);
}

} // namespace porter::bgp::detail
