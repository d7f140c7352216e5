// setsockopt wrappers for BGP transports (RFC 2385 MD5, RFC 5082 GTSM, TTL,
// TCP_USER_TIMEOUT). Each returns an empty string or a one-line error.
#pragma once

#include <chrono>
#include <string>

#include "net/ip_address.hpp"

namespace porter::net::io {

/// `socket_v6`: the socket is AF_INET6 (IPv4 peers are then v4-mapped).
std::string set_md5_key(int fd, const ip_address& peer,
                        const std::string& password, bool socket_v6);
std::string set_ttl(int fd, bool v4, int ttl);
std::string set_min_ttl(int fd, bool v4, int min_ttl);
std::string set_user_timeout(int fd, std::chrono::milliseconds timeout);

} // namespace porter::net::io
