// Finalizer patches, REST paths and Status decoding (k8s/patch.hpp,
// k8s/resource_path.hpp, k8s/api_status.hpp).
#include <gtest/gtest.h>

#include "k8s/api_status.hpp"
#include "k8s/patch.hpp"
#include "k8s/resource_path.hpp"

namespace porter::k8s {
namespace {

object_meta with_finalizers(std::vector<std::string> f) {
  object_meta m;
  m.name = "web";
  m.finalizers = std::move(f);
  return m;
}

TEST(FinalizerPatch, AddToNoneTestsForNull) {
  // k8s-api.md §2.3: a `test` of a missing path against null succeeds
  // (evanphx/json-patch), which kube-rs's finalizer helper relies on.
  EXPECT_EQ(*add_finalizer_patch(with_finalizers({}), "f/x"),
            R"([{"op":"test","path":"/metadata/finalizers","value":null},)"
            R"({"op":"add","path":"/metadata/finalizers","value":["f/x"]}])");
}

TEST(FinalizerPatch, AddToOthersTestsTheWholeListAndAppends) {
  // kube-rs#964: finalizers are not deduplicated; the test makes a
  // concurrent add fail instead of being lost.
  EXPECT_EQ(*add_finalizer_patch(with_finalizers({"a", "b"}), "f"),
            R"([{"op":"test","path":"/metadata/finalizers","value":["a","b"]},)"
            R"({"op":"add","path":"/metadata/finalizers/-","value":"f"}])");
}

TEST(FinalizerPatch, AddWhenPresentIsNothing) {
  EXPECT_FALSE(add_finalizer_patch(with_finalizers({"f"}), "f"));
}

TEST(FinalizerPatch, RemoveTestsTheIndexFirst) {
  // kube-rs finalizer.rs: "Test ensures that we fail instead of deleting
  // someone else's finalizer."
  EXPECT_EQ(*remove_finalizer_patch(with_finalizers({"a", "f"}), "f"),
            R"([{"op":"test","path":"/metadata/finalizers/1","value":"f"},)"
            R"({"op":"remove","path":"/metadata/finalizers/1"}])");
  EXPECT_FALSE(remove_finalizer_patch(with_finalizers({"a"}), "f"));
}

TEST(JsonQuote, EscapesPerRfc8259) {
  EXPECT_EQ(json_quote("a\"b\\c\n\x01"), R"("a\"b\\c\n\u0001")");
}

TEST(ResourcePath, CoreGroupAndNamedGroups) {
  // k8s-api.md §1.1 URL forms.
  const resource_ref services{"", "v1", "services", true};
  const resource_ref eips{"network.kubesphere.io", "v1alpha2", "eips", false};
  EXPECT_EQ(collection_path(services, ""), "/api/v1/services");
  EXPECT_EQ(collection_path(services, "default"),
            "/api/v1/namespaces/default/services");
  EXPECT_EQ(object_path(services, "default", "web", "status"),
            "/api/v1/namespaces/default/services/web/status");
  EXPECT_EQ(object_path(eips, "ignored", "pool"),
            "/apis/network.kubesphere.io/v1alpha2/eips/pool");
}

TEST(ResourcePath, QueryValuesArePercentEncoded) {
  EXPECT_EQ(with_query("/x", {{"labelSelector", "a=b,c!=d"}, {"limit", ""}}),
            "/x?labelSelector=a%3Db%2Cc%21%3Dd");
}

TEST(ApiStatus, DecodesTheStatusOfAConflict) {
  const api_status s = status_from_response(
    409,
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled","reason":"Conflict","details":{"name":"web","kind":"services"},"code":409})");
  EXPECT_TRUE(is_conflict(s));
  EXPECT_EQ(s.reason, "Conflict");
  EXPECT_EQ(to_string(s), "409 Conflict: Operation cannot be fulfilled");
}

TEST(ApiStatus, ExpiredAndGoneAreBothExpired) {
  // client-go isExpiredError: IsResourceExpired || IsGone.
  EXPECT_TRUE(is_expired(api_status{410, "Expired", "", {}}));
  EXPECT_TRUE(is_expired(api_status{0, "Gone", "", {}}));
  EXPECT_FALSE(is_expired(api_status{409, "Conflict", "", {}}));
}

TEST(ApiStatus, NonStatusBodyKeepsTheHttpCode) {
  const api_status s = status_from_response(502, "<html>bad gateway</html>");
  EXPECT_EQ(s.code, 502);
  EXPECT_EQ(s.message, "<html>bad gateway</html>");
}

TEST(ApiStatus, RetryAfterFromDetails) {
  const api_status s = status_from_response(
    429,
    R"({"code":429,"reason":"TooManyRequests","details":{"retryAfterSeconds":3}})");
  EXPECT_EQ(s.retry_after_seconds, 3);
}

} // namespace
} // namespace porter::k8s
