// The watch state machine (k8s/watch_machine.hpp), one rule per test, each
// citing client-go's reflector or kube-rs's watcher (k8s-api.md §1.8, §7.2).
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "k8s/watch_machine.hpp"

namespace porter::k8s {

/// A minimal kind: metadata plus one field, so the machine is tested
/// without the real models.
struct thing {
  object_meta metadata;
  std::string color;
};

template <>
decoded<thing> decode<thing>(const json_at& object) {
  auto meta = decode_object_meta(object);
  if (!meta)
    return tl::make_unexpected(meta.error());
  thing t;
  t.metadata = std::move(*meta);
  auto spec = object.member("spec");
  if (!spec)
    return tl::make_unexpected(spec.error());
  if (*spec) {
    auto color = (*spec)->string("color");
    if (!color)
      return tl::make_unexpected(color.error());
    t.color = std::move(*color);
  }
  return t;
}

namespace {

using namespace std::chrono_literals;
using machine = watch_machine<thing>;
using step = watch_step<thing>;
const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;

std::string obj(const std::string& name, const std::string& rv,
                const std::string& color = "red") {
  return R"({"metadata":{"name":")" + name
         + R"(","namespace":"ns","resourceVersion":")" + rv
         + R"("},"spec":{"color":")" + color + R"("}})";
}

std::string list(const std::string& rv, const std::vector<std::string>& items,
                 const std::string& cont = "") {
  std::string s = R"({"kind":"ThingList","metadata":{"resourceVersion":")" + rv
                  + R"(","continue":")" + cont + R"("},"items":[)";
  for (size_t i = 0; i < items.size(); ++i)
    s += (i ? "," : "") + items[i];
  return s + "]}";
}

std::string event(const std::string& type, const std::string& object) {
  return R"({"type":")" + type + R"(","object":)" + object + "}";
}

const std::string expired_event = event(
  "ERROR",
  R"j({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (1000)","reason":"Expired","code":410})j");

std::map<std::string, std::string> summary(const step& s) {
  std::map<std::string, std::string> out;
  for (const auto& d : s.deltas)
    out[object_key(d.object->metadata)] = std::string{to_string(d.type)} + "@"
                                          + d.object->metadata.resource_version;
  return out;
}

/// A machine that has listed `items` at rv "10" and is watching.
machine synced_with(const std::vector<std::string>& items) {
  machine m;
  m.start();
  m.on_list_response(200, list("10", items), t0, 0.0);
  return m;
}

TEST(WatchMachine, StartsWithAPaginatedConsistentList) {
  // client-go pager defaultPageSize = 500; relists read the latest state.
  machine m;
  const step s = m.start();
  ASSERT_TRUE(s.list);
  EXPECT_EQ(s.list->limit, 500);
  EXPECT_EQ(s.list->resource_version, "");
  EXPECT_FALSE(s.watch);
}

TEST(WatchMachine, FollowsContinueTokensThenPublishesOnce) {
  // api-concepts: "include a continue value if there are more"; kube-rs
  // InitPage accumulates, InitDone swaps the store once.
  machine m;
  m.start();
  step s = m.on_list_response(200, list("10", {obj("a", "3")}, "tok"), t0, 0);
  ASSERT_TRUE(s.list);
  EXPECT_EQ(s.list->continue_token, "tok");
  EXPECT_TRUE(s.deltas.empty());
  EXPECT_FALSE(m.synced());
  s = m.on_list_response(200, list("10", {obj("b", "4")}), t0, 0);
  EXPECT_TRUE(s.synced);
  EXPECT_EQ(summary(s), (std::map<std::string, std::string>{
                          {"ns/a", "added@3"}, {"ns/b", "added@4"}}));
  EXPECT_EQ(m.cache().size(), 2u);
}

TEST(WatchMachine, WatchesFromTheListVersionWithRandomTimeout) {
  // reflector.go: timeoutSeconds = min + rand·(max−min), min 5 min, max 10.
  machine m;
  m.start();
  step s = m.on_list_response(200, list("10", {}), t0, 0.5);
  ASSERT_TRUE(s.watch);
  EXPECT_EQ(s.watch->resource_version, "10");
  EXPECT_EQ(s.watch->timeout_seconds, 450);
  const std::string target = watch_target(
    resource_ref{"", "v1", "things", true}, "", "app=x", "", *s.watch);
  EXPECT_EQ(target, "/api/v1/things?labelSelector=app%3Dx&watch=true&"
                    "allowWatchBookmarks=true&resourceVersion=10&"
                    "timeoutSeconds=450");
}

TEST(WatchMachine, ContinuePagesCarryNoResourceVersion) {
  // api-concepts: limit + continue + a resourceVersion is a 400.
  EXPECT_EQ(list_target(
              resource_ref{"network.kubesphere.io", "v1alpha2", "eips", false},
              "", "", "", list_request{"", "a b", 500}),
            "/apis/network.kubesphere.io/v1alpha2/eips?limit=500&"
            "continue=a%20b");
}

TEST(WatchMachine, EventsUpdateCacheAndVersion) {
  machine m = synced_with({obj("a", "3")});
  step s = m.on_watch_line(event("ADDED", obj("b", "11")), t0, 0);
  EXPECT_EQ(summary(s),
            (std::map<std::string, std::string>{{"ns/b", "added@11"}}));
  s = m.on_watch_line(event("MODIFIED", obj("a", "12", "blue")), t0, 0);
  EXPECT_EQ(summary(s),
            (std::map<std::string, std::string>{{"ns/a", "modified@12"}}));
  EXPECT_EQ(m.cache().at("ns/a")->color, "blue");
  s = m.on_watch_line(event("DELETED", obj("b", "13")), t0, 0);
  // The delete carries the last state the cache held.
  EXPECT_EQ(summary(s),
            (std::map<std::string, std::string>{{"ns/b", "deleted@11"}}));
  EXPECT_EQ(m.resource_version(), "13");
  EXPECT_EQ(m.cache().size(), 1u);
}

TEST(WatchMachine, BookmarkOnlyMovesTheVersion) {
  // reflector.go: "A Bookmark means watch has synced here, just update the
  // resourceVersion".
  machine m = synced_with({obj("a", "3")});
  step s = m.on_watch_line(
    event("BOOKMARK",
          R"({"kind":"Thing","metadata":{"resourceVersion":"77"}})"),
    t0, 0);
  EXPECT_TRUE(s.deltas.empty());
  EXPECT_EQ(m.resource_version(), "77");
  s = m.on_watch_closed(std::nullopt, t0 + 300s, 0);
  ASSERT_TRUE(s.watch);
  EXPECT_EQ(s.watch->resource_version, "77");
}

TEST(WatchMachine, NormalCloseRewatchesFromLastVersionWithoutRelist) {
  machine m = synced_with({});
  m.on_watch_line(event("ADDED", obj("a", "15")), t0, 0);
  step s = m.on_watch_closed(std::nullopt, t0 + 400s, 0);
  EXPECT_FALSE(s.list);
  ASSERT_TRUE(s.watch);
  EXPECT_EQ(s.watch->resource_version, "15");
  EXPECT_EQ(s.delay, 0ms);
}

TEST(WatchMachine, VeryShortEmptyWatchBacksOff) {
  // client-go VeryShortWatchError: < 1 s and no events is a failure.
  machine m = synced_with({});
  step s = m.on_watch_closed(std::nullopt, t0 + 100ms, 0);
  ASSERT_TRUE(s.watch);
  EXPECT_EQ(s.delay, 800ms);
}

TEST(WatchMachine, ExpiredErrorEventRelistsAndPublishesOnlyTheDifference) {
  // k8s-api.md §1.5: 410 arrives as an ERROR event; kube-rs → Empty.
  machine m = synced_with({obj("a", "3"), obj("b", "4"), obj("c", "5")});
  const auto* a_before = m.cache().at("ns/a").get();
  step s = m.on_watch_line(expired_event, t0, 0);
  EXPECT_TRUE(s.cancel_watch);
  ASSERT_TRUE(s.list);
  EXPECT_EQ(s.delay, 0ms);
  // Server now: a unchanged, b modified, c deleted, d added.
  s = m.on_list_response(
    200, list("50", {obj("a", "3"), obj("b", "40"), obj("d", "41")}), t0, 0);
  EXPECT_EQ(summary(s),
            (std::map<std::string, std::string>{{"ns/b", "modified@40"},
                                                {"ns/c", "deleted@5"},
                                                {"ns/d", "added@41"}}));
  EXPECT_TRUE(s.synced);
  EXPECT_EQ(m.cache().at("ns/a").get(), a_before); // no spurious change
  ASSERT_TRUE(s.watch);
  EXPECT_EQ(s.watch->resource_version, "50");
}

TEST(WatchMachine, ExpiredHttpStatusRelists) {
  machine m = synced_with({});
  step s = m.on_watch_refused(
    410, R"({"kind":"Status","code":410,"reason":"Expired"})", t0, 0);
  ASSERT_TRUE(s.list);
  EXPECT_EQ(s.delay, 0ms);
}

TEST(WatchMachine, ServerTroubleRewatchesAfterBackoffOthersRelist) {
  // reflector isWatchErrorRetriable: 429 / 5xx re-watch; others relist.
  machine m = synced_with({});
  step s = m.on_watch_refused(503, "", t0, 0);
  EXPECT_TRUE(s.watch);
  EXPECT_EQ(s.delay, 800ms);
  machine n = synced_with({});
  s = n.on_watch_refused(403, R"({"code":403,"reason":"Forbidden"})", t0, 0);
  EXPECT_TRUE(s.list);
  EXPECT_EQ(s.delay, 800ms);
}

TEST(WatchMachine, BackoffDoublesWithJitterUpToThirtySeconds) {
  // reflector.go: 800 ms → 30 s, factor 2, jitter 1.0.
  machine m = synced_with({});
  std::vector<std::chrono::milliseconds> delays;
  auto now = t0;
  for (int i = 0; i < 8; ++i) {
    step s = m.on_watch_closed(std::string{"connection refused"}, now, 0.0);
    delays.push_back(s.delay);
    now += s.delay;
  }
  EXPECT_EQ(delays, (std::vector<std::chrono::milliseconds>{
                      800ms, 1600ms, 3200ms, 6400ms, 12800ms, 25600ms, 30000ms,
                      30000ms}));
  step j = m.on_watch_closed(std::string{"reset"}, now, 0.5);
  EXPECT_EQ(j.delay, 30000ms); // jitter never exceeds the cap
}

TEST(WatchMachine, BackoffResetsAfterTwoHealthyMinutes) {
  machine m = synced_with({});
  m.on_watch_closed(std::string{"x"}, t0, 0.0);
  m.on_watch_closed(std::string{"x"}, t0 + 1s, 0.0);
  step s = m.on_watch_closed(std::string{"x"}, t0 + 200s, 0.0);
  EXPECT_EQ(s.delay, 800ms);
}

TEST(WatchMachine, MalformedObjectIsReportedAndSkipped) {
  machine m = synced_with({obj("a", "3")});
  step s = m.on_watch_line(
    event(
      "MODIFIED",
      R"({"metadata":{"name":"a","namespace":"ns","resourceVersion":"20"},"spec":{"color":7}})"),
    t0, 0);
  EXPECT_TRUE(s.deltas.empty());
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0], "MODIFIED ns/a: spec.color: expected a string, "
                         "found a number");
  EXPECT_EQ(m.cache().at("ns/a")->color, "red"); // last good state kept
  EXPECT_EQ(m.resource_version(), "20");
  s = m.on_watch_line(event("ADDED", obj("b", "21")), t0, 0);
  EXPECT_EQ(s.deltas.size(), 1u); // carries on with the others
}

TEST(WatchMachine, MalformedItemInRelistKeepsLastGoodState) {
  machine m = synced_with({obj("a", "3")});
  m.on_watch_line(expired_event, t0, 0);
  step s = m.on_list_response(
    200,
    list(
      "60",
      {R"({"metadata":{"name":"a","namespace":"ns","resourceVersion":"55"},"spec":[]})"}),
    t0, 0);
  EXPECT_TRUE(s.deltas.empty());
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(m.cache().count("ns/a"), 1u);
}

TEST(WatchMachine, ExpiredContinueTokenFallsBackToOneUnpagedList) {
  // client-go pager FullListIfExpired.
  machine m;
  m.start();
  m.on_list_response(200, list("10", {obj("a", "3")}, "tok"), t0, 0);
  step s = m.on_list_response(410, R"({"code":410,"reason":"Expired"})", t0, 0);
  ASSERT_TRUE(s.list);
  EXPECT_EQ(s.list->limit, 0);
  EXPECT_EQ(s.list->continue_token, "");
}

TEST(WatchMachine, ListWithoutVersionIsRetried) {
  // kube-rs Error::NoResourceVersion.
  machine m;
  m.start();
  step s = m.on_list_response(200, R"({"items":[]})", t0, 0);
  ASSERT_TRUE(s.list);
  EXPECT_EQ(s.delay, 800ms);
  EXPECT_FALSE(m.synced());
}

TEST(WatchMachine, StaleInputsAfterRelistAreIgnored) {
  machine m = synced_with({});
  m.on_watch_line(expired_event, t0, 0);
  // A line from the cancelled stream must not touch the cache.
  step s = m.on_watch_line(event("ADDED", obj("z", "99")), t0, 0);
  EXPECT_TRUE(s.deltas.empty());
  EXPECT_EQ(m.cache().count("ns/z"), 0u);
}

TEST(WatchMachine, BadJsonLineIsReportedNotFatal) {
  machine m = synced_with({});
  step s = m.on_watch_line("{\"type\":\"ADDED\",\"obj", t0, 0);
  ASSERT_EQ(s.errors.size(), 1u);
  s = m.on_watch_line(event("ADDED", obj("b", "21")), t0, 0);
  EXPECT_EQ(s.deltas.size(), 1u);
}

} // namespace
} // namespace porter::k8s
