#include "net/host_port.hpp"

namespace porter::net {

tl::expected<host_port, std::string> parse_host_port(std::string_view text) {
  const std::string quoted = "'" + std::string{text} + "'";
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
    return tl::make_unexpected("must be HOST:PORT, got " + quoted);
  host_port hp;
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']')
      return tl::make_unexpected("must be HOST:PORT, got " + quoted);
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    // An IPv6 address without brackets: its last group would read as the
    // port.
    return tl::make_unexpected("an IPv6 host needs brackets ([::1]:PORT), got "
                               + quoted);
  }
  unsigned long port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9')
      return tl::make_unexpected("port must be a number 0-65535, got "
                                 + quoted);
    port = port * 10 + static_cast<unsigned long>(c - '0');
    if (port > 65535)
      return tl::make_unexpected("port must be a number 0-65535, got "
                                 + quoted);
  }
  hp.host = std::string{host};
  hp.port = static_cast<std::uint16_t>(port);
  return hp;
}

} // namespace porter::net
