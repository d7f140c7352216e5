// List and watch semantics of the emulator core (k8s-api.md §1).
#include "sim_test_client.hpp"

namespace porter::sim {
namespace {

using testing::at;
using testing::test_client;

constexpr const char* cm_url = "/api/v1/namespaces/default/configmaps";

void make_configmaps(test_client& t, int n, const char* label = "a") {
  for (int i = 0; i < n; ++i) {
    auto r = t.post(cm_url, R"({"metadata":{"name":"c)" + std::to_string(i)
                              + R"(","labels":{"grp":")" + label + R"("}}})");
    ASSERT_EQ(r.code, 201) << r.body;
  }
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    EXPECT_NE(nl, std::string::npos) << "every event ends in a newline";
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

TEST(SimList, LimitAndContinuePageThroughInKeyOrder) {
  test_client t;
  make_configmaps(t, 5);
  auto p1 = t.get(std::string(cm_url) + "?limit=2");
  ASSERT_EQ(p1.code, 200);
  EXPECT_EQ(at(p1.body, {"kind"}), "ConfigMapList");
  EXPECT_EQ(at(p1.body, {"metadata", "remainingItemCount"}), "3");
  auto token = at(p1.body, {"metadata", "continue"});
  auto rv = at(p1.body, {"metadata", "resourceVersion"});
  std::vector<std::string> names;
  std::string next = std::string(cm_url) + "?limit=2";
  while (true) {
    auto page = t.get(next);
    auto d = testing::parse(page.body);
    for (const auto& item : (*json::find(d, "items")).GetArray())
      names.emplace_back(*json::string_at(item, {"metadata", "name"}));
    EXPECT_EQ(at(page.body, {"metadata", "resourceVersion"}), rv);
    auto c = at(page.body, {"metadata", "continue"});
    if (c == "<missing>")
      break;
    next = std::string(cm_url) + "?limit=2&continue=" + c;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"c0", "c1", "c2", "c3", "c4"}));
  EXPECT_EQ(t.get(std::string(cm_url) + "?continue=garbage").code, 400);
  t.core.expire_watch_cache();
  EXPECT_EQ(t.get(std::string(cm_url) + "?limit=2&continue=" + token).code,
            410);
}

TEST(SimList, SelectorsFilter) {
  test_client t;
  make_configmaps(t, 2, "a");
  ASSERT_EQ(
    t.post(cm_url, R"({"metadata":{"name":"z","labels":{"grp":"b"}}})").code,
    201);
  auto by_label = t.get(std::string(cm_url) + "?labelSelector=grp%3Db");
  EXPECT_EQ(at(by_label.body, {"items"}).find("\"name\":\"z\"")
              != std::string::npos,
            true);
  EXPECT_EQ(testing::parse(by_label.body)["items"].Size(), 1u);
  auto by_name = t.get("/api/v1/configmaps?fieldSelector=metadata.name%3Dc1");
  EXPECT_EQ(testing::parse(by_name.body)["items"].Size(), 1u);
  auto by_ns
    = t.get("/api/v1/configmaps?fieldSelector=metadata.namespace%21%3Ddefault");
  EXPECT_EQ(testing::parse(by_ns.body)["items"].Size(), 0u);
  EXPECT_EQ(t.get(std::string(cm_url) + "?fieldSelector=spec.foo%3D1").code,
            400);
  EXPECT_EQ(t.get(std::string(cm_url) + "?labelSelector=a%20in%20b").code, 400);
}

TEST(SimWatch, SnapshotThenChangesAsNewlineDelimitedEvents) {
  test_client t;
  make_configmaps(t, 2);
  auto w = t.raw("GET", std::string(cm_url) + "?watch=True");
  ASSERT_TRUE(w.watch);
  auto first = lines(w.watch->poll(t.now));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(at(first[0], {"type"}), "ADDED");
  EXPECT_EQ(at(first[0], {"object", "kind"}), "ConfigMap");
  EXPECT_TRUE(w.watch->poll(t.now).empty());
  t.patch(std::string(cm_url) + "/c0", R"({"data":{"x":"y"}})",
          "application/merge-patch+json");
  t.call("DELETE", std::string(cm_url) + "/c1");
  auto next = lines(w.watch->poll(t.now));
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(at(next[0], {"type"}), "MODIFIED");
  EXPECT_EQ(at(next[1], {"type"}), "DELETED");
  // DELETED carries the delete's own resourceVersion.
  EXPECT_EQ(at(next[1], {"object", "metadata", "resourceVersion"}),
            std::to_string(t.core.resource_version()));
}

TEST(SimWatch, FromResourceVersionHasNoSnapshotAndSelectorTransitions) {
  test_client t;
  make_configmaps(t, 1, "a");
  auto rv = std::to_string(t.core.resource_version());
  auto w
    = t.raw("GET", std::string(cm_url)
                     + "?watch=1&labelSelector=grp%3Da&resourceVersion=" + rv);
  ASSERT_TRUE(w.watch);
  EXPECT_TRUE(w.watch->poll(t.now).empty());
  t.patch(std::string(cm_url) + "/c0", R"({"metadata":{"labels":{"grp":"b"}}})",
          "application/merge-patch+json");
  t.patch(std::string(cm_url) + "/c0", R"({"metadata":{"labels":{"grp":"a"}}})",
          "application/merge-patch+json");
  auto ev = lines(w.watch->poll(t.now));
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(at(ev[0], {"type"}), "DELETED"); // left the selection
  EXPECT_EQ(at(ev[1], {"type"}), "ADDED");   // came back
}

TEST(SimWatch, TooOldResourceVersionIsAnExpiredErrorEvent) {
  test_client t; // watch window 50
  make_configmaps(t, 60);
  auto w = t.raw("GET", std::string(cm_url) + "?watch=true&resourceVersion=2");
  ASSERT_TRUE(w.watch);
  EXPECT_EQ(w.response.code, 200);
  auto ev = lines(w.watch->poll(t.now));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(at(ev[0], {"type"}), "ERROR");
  EXPECT_EQ(at(ev[0], {"object", "code"}), "410");
  EXPECT_EQ(at(ev[0], {"object", "reason"}), "Expired");
  EXPECT_EQ(
    at(ev[0], {"object", "message"}).rfind("too old resource version: 2 (", 0),
    0u);
  EXPECT_TRUE(w.watch->finished());
}

TEST(SimWatch, ExpiringTheCacheEndsLiveWatchesWith410) {
  test_client t;
  make_configmaps(t, 1);
  auto rv = std::to_string(t.core.resource_version());
  auto w
    = t.raw("GET", std::string(cm_url) + "?watch=true&resourceVersion=" + rv);
  t.post(cm_url, R"({"metadata":{"name":"late"}})");
  t.core.expire_watch_cache();
  auto ev = lines(w.watch->poll(t.now));
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(at(ev.back(), {"object", "code"}), "410");
  // A relist then a watch from the list's RV works again.
  auto list = t.get(cm_url);
  auto w2 = t.raw("GET", std::string(cm_url) + "?watch=true&resourceVersion="
                           + at(list.body, {"metadata", "resourceVersion"}));
  EXPECT_TRUE(w2.watch->poll(t.now).empty());
  EXPECT_FALSE(w2.watch->finished());
}

TEST(SimWatch, BookmarksOnlyWhenAllowed) {
  test_client t;
  make_configmaps(t, 1);
  auto rv = std::to_string(t.core.resource_version());
  auto plain
    = t.raw("GET", std::string(cm_url) + "?watch=true&resourceVersion=" + rv);
  EXPECT_TRUE(plain.watch->bookmark().empty());
  auto w = t.raw("GET", std::string(cm_url)
                          + "?watch=true&allowWatchBookmarks=true&"
                            "timeoutSeconds=30&resourceVersion="
                          + rv);
  EXPECT_EQ(w.watch->timeout(), std::chrono::seconds{30});
  t.post("/api/v1/namespaces/default/secrets", R"({"metadata":{"name":"s"}})");
  EXPECT_TRUE(w.watch->poll(t.now).empty());
  auto b = w.watch->bookmark();
  EXPECT_EQ(at(b, {"type"}), "BOOKMARK");
  EXPECT_EQ(at(b, {"object", "kind"}), "ConfigMap");
  EXPECT_EQ(at(b, {"object", "metadata", "resourceVersion"}),
            std::to_string(t.core.resource_version()));
}

TEST(SimWatch, SendInitialEventsIsRefusedWith422) {
  test_client t;
  auto r = t.raw(
    "GET",
    std::string(cm_url)
      + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");
  EXPECT_FALSE(r.watch);
  EXPECT_EQ(r.response.code, 422);
}

TEST(SimWatch, TableWatchSendsHeadersOnce) {
  test_client t;
  make_configmaps(t, 2);
  auto w = t.raw("GET", std::string(cm_url) + "?watch=true", "", "",
                 testing::table_accept);
  auto ev = lines(w.watch->poll(t.now));
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(at(ev[0], {"object", "kind"}), "Table");
  EXPECT_NE(at(ev[0], {"object", "columnDefinitions"}), "[]");
  EXPECT_EQ(at(ev[1], {"object", "columnDefinitions"}), "[]");
  EXPECT_EQ(at(ev[1], {"object", "rows"}).find("\"c1\"") != std::string::npos,
            true);
}

TEST(SimState, SaveAndLoadKeepObjectsCrdsAndResourceVersion) {
  test_client t;
  make_configmaps(t, 3);
  auto saved = t.core.save_state();
  auto rv = t.core.resource_version();
  testing::test_client fresh;
  ASSERT_TRUE(fresh.core.load_state(saved, fresh.now));
  EXPECT_EQ(fresh.core.resource_version(), rv);
  EXPECT_EQ(fresh.get(std::string(cm_url) + "/c2").code, 200);
  // History is not persisted: resuming from an old RV is 410.
  auto w
    = fresh.raw("GET", std::string(cm_url) + "?watch=true&resourceVersion=3");
  EXPECT_EQ(at(w.watch->poll(fresh.now), {"object", "code"}), "410");
  EXPECT_FALSE(fresh.core.load_state("{}", fresh.now));
}

} // namespace
} // namespace porter::sim
