// Whether the process holds a capability, read from the CapEff line of
// /proc/self/status (proc(5)): the agent says at start that it cannot
// change rules without CAP_NET_ADMIN (capability.h: 12) instead of failing
// on every change later. Pure: the caller reads the file.
#pragma once

#include <optional>
#include <string_view>

namespace porter::net {

inline constexpr int cap_net_admin = 12;

/// nullopt when `proc_status` has no readable CapEff line.
std::optional<bool> has_effective_capability(std::string_view proc_status,
                                             int capability);

} // namespace porter::net
