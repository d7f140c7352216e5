// /healthz and /readyz answers (net/health.hpp).
#include <gtest/gtest.h>

#include "net/health.hpp"
#include "net/io/readiness.hpp"

namespace porter::net {
namespace {

readiness_snapshot
checks(std::initializer_list<std::pair<const char*, check_state>> list) {
  readiness_snapshot out;
  for (const auto& [name, c] : list)
    out.emplace(name, c);
  return out;
}

TEST(Health, Table) {
  struct row {
    const char* target;
    readiness_snapshot checks;
    int status;
    const char* body_has;
  };
  const row rows[] = {
    // Liveness does not depend on readiness: a manager that cannot reach
    // the API server must not be restarted for it.
    {"/healthz", checks({{"watch services", {false, "not synced"}}}), 200,
     "ok"},
    {"/livez", {}, 200, "ok"},
    {"/readyz", checks({{"watch services", {true, ""}}}), 200,
     "[+]watch services ok"},
    {"/readyz?verbose", checks({{"watch services", {true, ""}}}), 200,
     "readyz check passed"},
    {"/readyz",
     checks(
       {{"watch services", {true, ""}}, {"watch eips", {false, "not synced"}}}),
     503, "[-]watch eips failed: not synced"},
    {"/readyz", {}, 503, "no checks registered"},
    {"/metrics", {}, 404, "not found"},
    {"/healthzx", {}, 404, "not found"},
  };
  for (const auto& r : rows) {
    auto a = answer_health(r.target, r.checks);
    EXPECT_EQ(a.status, r.status) << r.target << "\n" << a.body;
    EXPECT_NE(a.body.find(r.body_has), std::string::npos) << r.target << "\n"
                                                          << a.body;
  }
}

TEST(Health, ReadinessKeepsTheLastStateOfEachCheck) {
  io::readiness r;
  r.set("watch services", false, "starting");
  r.set("watch services", true);
  r.set("leader election", false, "no Lease answer");
  auto s = r.snapshot();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TRUE(s["watch services"].ok);
  EXPECT_EQ(s["leader election"].detail, "no Lease answer");
}

TEST(DebugAccess, LoopbackOrBearerToken) {
  struct row {
    bool loopback;
    const char* authorization;
    const char* token;
    int status;
  };
  const row rows[] = {
    {true, "", "", 200},
    {true, "", "s3cret", 200},
    {false, "", "", 403},
    {false, "Bearer s3cret", "", 403},
    {false, "", "s3cret", 401},
    {false, "Bearer wrong", "s3cret", 401},
    {false, "bearer s3cret", "s3cret", 401},
    {false, "Bearer s3cret", "s3cret", 200},
  };
  for (const auto& r : rows)
    EXPECT_EQ(check_debug_access(r.loopback, r.authorization, r.token).status,
              r.status)
      << r.loopback << " '" << r.authorization << "' '" << r.token << "'";
}

} // namespace
} // namespace porter::net
