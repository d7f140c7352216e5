// HOST:PORT as listen flags take it (--listen, --admin-listen): a host
// name or address, IPv6 in brackets ("[::1]:9610"), port 0-65535 (0: any
// free port). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace porter::net {

struct host_port {
  std::string host; ///< without the brackets of an IPv6 address
  std::uint16_t port = 0;
};

/// The error is one line without the flag name ("must be HOST:PORT, got
/// 'x'"); the caller prefixes it.
tl::expected<host_port, std::string> parse_host_port(std::string_view text);

} // namespace porter::net
