// Linux socket options for BGP transports: TCP MD5 (RFC 2385), TTL and GTSM
// (RFC 5082), TCP_USER_TIMEOUT. Plain setsockopt on the native handle,
// errors returned as one line of text.
#include "net/io/socket_options.hpp"

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace porter::net::io {

namespace {

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

sockaddr_storage to_sockaddr(const ip_address& a, bool socket_v6) {
  sockaddr_storage ss{};
  if (a.is_v4() && socket_v6) {
    // An IPv6 socket keys IPv4 peers by their v4-mapped address.
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_addr.s6_addr[10] = 0xff;
    sin6->sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&sin6->sin6_addr.s6_addr[12], a.bytes.data(), 4);
  } else if (a.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, a.bytes.data(), 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, a.bytes.data(), 16);
  }
  return ss;
}

} // namespace

std::string set_md5_key(int fd, const ip_address& peer,
                        const std::string& password, bool socket_v6) {
  if (password.size() > TCP_MD5SIG_MAXKEYLEN)
    return "TCP MD5 password longer than 80 bytes";
  tcp_md5sig sig{};
  auto ss = to_sockaddr(peer, socket_v6);
  std::memcpy(&sig.tcpm_addr, &ss, sizeof ss);
  sig.tcpm_keylen = static_cast<std::uint16_t>(password.size());
  std::memcpy(sig.tcpm_key, password.data(), password.size());
  if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof sig) != 0)
    return errno_text("TCP_MD5SIG");
  return {};
}

std::string set_ttl(int fd, bool v4, int ttl) {
  if (ttl <= 0)
    return {};
  int rc
    = v4 ? setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl)
         : setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl);
  return rc == 0 ? std::string() : errno_text(v4 ? "IP_TTL" : "IPV6_HOPS");
}

std::string set_min_ttl(int fd, bool v4, int min_ttl) {
  if (min_ttl <= 0)
    return {};
  int rc = v4 ? setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min_ttl, sizeof min_ttl)
              : setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min_ttl,
                           sizeof min_ttl);
  return rc == 0 ? std::string()
                 : errno_text(v4 ? "IP_MINTTL" : "IPV6_MINHOPCOUNT");
}

std::string set_user_timeout(int fd, std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0)
    return {};
  auto ms = static_cast<unsigned>(timeout.count());
  if (setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof ms) != 0)
    return errno_text("TCP_USER_TIMEOUT");
  return {};
}

} // namespace porter::net::io
