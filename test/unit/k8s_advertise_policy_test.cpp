// Who advertises (k8s/advertise_policy.hpp): the leader, and a former
// leader that nobody has replaced (the API server is unreachable).
#include <gtest/gtest.h>

#include "k8s/advertise_policy.hpp"

namespace porter::k8s {
namespace {

TEST(AdvertisePolicy, Table) {
  struct row {
    const char* name;
    bool leading, advertising;
    const char* holder;
    bool want;
  };
  const row rows[] = {
    {"the leader", true, false, "m1", true},
    {"a follower never advertises", false, false, "m1", false},
    {"a follower while nobody leads", false, false, "", false},
    {"lost the Lease, could not renew, last saw itself: keep", false, true,
     "m2", true},
    {"lost the Lease, holder unknown: keep", false, true, "", true},
    {"another replica leads: withdraw", false, true, "m1", false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(keeps_advertising(r.leading, r.advertising, r.holder, "m2"),
              r.want)
      << r.name;
}

} // namespace
} // namespace porter::k8s
