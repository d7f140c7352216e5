// HOST:PORT of the listen flags (net/host_port.hpp).
#include <gtest/gtest.h>

#include "net/host_port.hpp"

namespace porter::net {
namespace {

struct row {
  const char* text;
  const char* host; ///< nullptr: an error containing `error`
  std::uint16_t port;
  const char* error;
};

TEST(HostPort, Table) {
  const row rows[] = {
    {"127.0.0.1:9610", "127.0.0.1", 9610, ""},
    {"0.0.0.0:0", "0.0.0.0", 0, ""}, // port 0: any free port
    {"localhost:65535", "localhost", 65535, ""},
    {"[::1]:9610", "::1", 9610, ""},
    {"[fd00::1]:80", "fd00::1", 80, ""},
    {"9610", nullptr, 0, "must be HOST:PORT"},
    {":9610", nullptr, 0, "must be HOST:PORT"},
    {"127.0.0.1:", nullptr, 0, "must be HOST:PORT"},
    {"127.0.0.1:65536", nullptr, 0, "0-65535"},
    {"127.0.0.1:99999999999999999999", nullptr, 0, "0-65535"},
    {"127.0.0.1:-1", nullptr, 0, "0-65535"},
    {"127.0.0.1:http", nullptr, 0, "0-65535"},
    {"::1:9610", nullptr, 0, "needs brackets"},
    {"[::1:9610", nullptr, 0, "must be HOST:PORT"},
    {"[]:9610", nullptr, 0, "must be HOST:PORT"},
  };
  for (const auto& r : rows) {
    auto hp = parse_host_port(r.text);
    if (r.host != nullptr) {
      ASSERT_TRUE(hp) << r.text << ": " << hp.error();
      EXPECT_EQ(hp->host, r.host) << r.text;
      EXPECT_EQ(hp->port, r.port) << r.text;
    } else {
      ASSERT_FALSE(hp) << r.text;
      EXPECT_NE(hp.error().find(r.error), std::string::npos)
        << r.text << ": " << hp.error();
      EXPECT_NE(hp.error().find(r.text), std::string::npos) << hp.error();
    }
  }
}

} // namespace
} // namespace porter::net
