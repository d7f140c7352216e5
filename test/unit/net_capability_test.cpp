// CapEff parsing (net/capability.hpp; proc(5) /proc/pid/status, capability
// numbers from linux/capability.h).
#include <gtest/gtest.h>

#include "net/capability.hpp"

namespace porter::net {
namespace {

TEST(Capability, Table) {
  struct row {
    const char* name;
    const char* status;
    int cap;
    std::optional<bool> want;
  };
  const row rows[] = {
    {"root: every capability",
     "Name:\tporter\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n",
     cap_net_admin, true},
    {"NET_ADMIN alone (bit 12 = 0x1000), as the DaemonSet grants",
     "CapEff:\t0000000000001000\n", cap_net_admin, true},
    {"NET_RAW (13) but not NET_ADMIN", "CapEff:\t0000000000002000\n",
     cap_net_admin, false},
    {"unprivileged", "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n",
     cap_net_admin, false},
    {"no CapEff line", "Name:\tporter\n", cap_net_admin, std::nullopt},
    {"garbage in the mask", "CapEff:\t00000000zz001000\n", cap_net_admin,
     std::nullopt},
    {"last line without a newline", "Uid:\t0\nCapEff:\t0000000000001000",
     cap_net_admin, true},
  };
  for (const auto& r : rows)
    EXPECT_EQ(has_effective_capability(r.status, r.cap), r.want) << r.name;
}

} // namespace
} // namespace porter::net
