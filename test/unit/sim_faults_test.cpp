// Fault settings, kubeconfig text and encodings of the emulator.
#include <gtest/gtest.h>

#include "sim/apiserver/encoding.hpp"
#include "sim/apiserver/faults.hpp"
#include "sim/apiserver/kubeconfig.hpp"

namespace porter::sim {
namespace {

TEST(SimFaults, FailCountsDownAndMatchesPrefixAndMethod) {
  fault_state f;
  auto a = f.apply(R"({"fail":{"code":503,"count":2,"retryAfterSeconds":3,)"
                   R"("pathPrefix":"/api/v1","methods":["GET"]}})");
  ASSERT_TRUE(a);
  EXPECT_FALSE(f.take_failure("GET", "/apis/x"));
  EXPECT_FALSE(f.take_failure("POST", "/api/v1/pods"));
  auto e = f.take_failure("GET", "/api/v1/pods");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 503);
  EXPECT_EQ(e->reason, "ServiceUnavailable");
  EXPECT_EQ(e->retry_after_seconds, 3);
  EXPECT_TRUE(f.take_failure("GET", "/api/v1/pods"));
  EXPECT_FALSE(f.take_failure("GET", "/api/v1/pods")); // count spent
}

TEST(SimFaults, OneShotActionsAndClear) {
  fault_state f;
  auto a
    = f.apply(R"({"dropWatches":true,"expireWatchCache":true,"delayMs":50,)"
              R"("fail":{"code":429}})");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->drop_watches);
  EXPECT_TRUE(a->expire_watch_cache);
  EXPECT_FALSE(a->restart_keep_state);
  EXPECT_EQ(f.delay("/api").count(), 50);
  EXPECT_TRUE(f.take_failure("GET", "/x")); // no count: until cleared
  EXPECT_TRUE(f.take_failure("GET", "/x"));
  ASSERT_TRUE(f.apply(R"({"clear":true})"));
  EXPECT_FALSE(f.take_failure("GET", "/x"));
  EXPECT_EQ(f.delay("/api").count(), 0);
  auto r = f.apply(R"({"restart":{"keepState":false}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->restart_keep_state, false);
  EXPECT_TRUE(f.apply(R"({"fail":{"code":404}})")); // an API not served
  EXPECT_FALSE(f.apply(R"({"fail":{"code":418}})"));
  EXPECT_FALSE(f.apply("[1]"));
}

TEST(SimKubeconfig, ClusterUserAndContext) {
  auto text = make_kubeconfig({"https://127.0.0.1:6443", "PEM", "t\"k"});
  EXPECT_NE(text.find("    server: https://127.0.0.1:6443\n"),
            std::string::npos);
  EXPECT_NE(text.find("    certificate-authority-data: UEVN\n"),
            std::string::npos);
  EXPECT_NE(text.find("    token: \"t\\\"k\"\n"), std::string::npos);
  EXPECT_NE(text.find("current-context: porter-sim\n"), std::string::npos);
  auto plain = make_kubeconfig({"http://127.0.0.1:8080", "", ""});
  EXPECT_EQ(plain.find("certificate-authority-data"), std::string::npos);
}

TEST(SimEncoding, Base64RoundTripAndUuid) {
  // RFC 4648 §10 test vectors.
  const char* vectors[][2] = {{"", ""},
                              {"f", "Zg=="},
                              {"fo", "Zm8="},
                              {"foo", "Zm9v"},
                              {"foob", "Zm9vYg=="},
                              {"fooba", "Zm9vYmE="},
                              {"foobar", "Zm9vYmFy"}};
  for (auto& v : vectors) {
    EXPECT_EQ(base64_encode(v[0]), v[1]);
    EXPECT_EQ(base64_decode(v[1]).value_or("?"), v[0]);
  }
  EXPECT_FALSE(base64_decode("a*b"));
  splitmix64 rng{42};
  auto id = make_uuid(rng);
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4'); // RFC 9562 version 4
  EXPECT_NE(make_uuid(rng), id);
  EXPECT_EQ(generate_name("web-", rng).size(), 9u);
}

} // namespace
} // namespace porter::sim
