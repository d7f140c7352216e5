#include "net/capability.hpp"

#include <cstdint>

namespace porter::net {

std::optional<bool> has_effective_capability(std::string_view proc_status,
                                             int capability) {
  constexpr std::string_view key = "CapEff:";
  std::size_t at = 0;
  while (at < proc_status.size()) {
    auto end = proc_status.find('\n', at);
    if (end == std::string_view::npos)
      end = proc_status.size();
    auto line = proc_status.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, key.size()) != key)
      continue;
    line.remove_prefix(key.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      line.remove_prefix(1);
    if (line.empty() || line.size() > 16 || capability < 0 || capability > 63)
      return std::nullopt;
    std::uint64_t mask = 0;
    for (char c : line) {
      int digit = -1;
      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
      if (digit < 0)
        return std::nullopt;
      mask = (mask << 4) | static_cast<std::uint64_t>(digit);
    }
    return ((mask >> capability) & 1U) != 0;
  }
  return std::nullopt;
}

} // namespace porter::net
