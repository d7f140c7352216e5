// Writes against the emulator over TLS (issue #6 §5): read-modify-write
// that re-reads and decides again on 409, finalizer JSON patches guarded by
// `test`, the /status subresource, and Events deduplicated so a flapping
// condition does not flood the API (events.k8s.io/v1, core/v1 fallback).
#include <atomic>
#include <future>

#include "test/support/k8s_test_client.hpp"
#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "actors/event_recorder.hpp"
#include "actors/messages.hpp"
#include "k8s/io/api_ops.hpp"
#include "k8s/json_reader.hpp"
#include "k8s/patch.hpp"

namespace porter {
namespace {

using namespace std::chrono_literals;
using testing::call;
using testing::eventually;

const k8s::resource_ref configmaps{"", "v1", "configmaps", true};
const k8s::resource_ref services{"", "v1", "services", true};

rapidjson::Document parse(const std::string& s) {
  auto d = k8s::parse_json(s);
  EXPECT_TRUE(d) << s;
  return d ? std::move(*d) : rapidjson::Document{};
}

k8s::io::api_result wait(std::future<k8s::io::api_result>& f) {
  if (f.wait_for(20s) != std::future_status::ready)
    return tl::make_unexpected(k8s::api_status{0, "", "test: no answer", {}});
  return f.get();
}

struct WritesTest : ::testing::Test {
  testing::emulator api;
  std::shared_ptr<net::io::io_thread> io
    = std::make_shared<net::io::io_thread>();
  std::shared_ptr<net::io::io_thread> other_io
    = std::make_shared<net::io::io_thread>();
  std::shared_ptr<k8s::io::api_client> client
    = testing::make_client(api.config(), io);
  /// A second writer on its own thread: the "someone else" of a race.
  std::shared_ptr<k8s::io::api_client> other
    = testing::make_client(api.config(), other_io);

  void post(const std::string& path, const std::string& body) {
    auto r = call(*client, "POST", path, body);
    ASSERT_TRUE(r && r->status == 201) << (r ? r->body : r.error().what);
  }
  std::string get(const std::string& path) {
    auto r = call(*client, "GET", path);
    EXPECT_TRUE(r && r->status == 200);
    return r ? r->body : "";
  }
};

TEST_F(WritesTest, ConflictRereadsAndDecidesAgainNeverOverwrites) {
  post("/api/v1/namespaces/default/configmaps",
       R"({"metadata":{"name":"cm"},"data":{"mine":"0","theirs":"0"}})");
  std::atomic<int> decisions{0};
  auto decide = [&](rapidjson::Document& live) {
    if (decisions++ == 0) {
      // Someone else writes between our GET and our PUT.
      auto r
        = call(*other, "PATCH", "/api/v1/namespaces/default/configmaps/cm",
               R"({"data":{"theirs":"1"}})", "application/merge-patch+json");
      EXPECT_TRUE(r && r->status == 200);
    }
    live["data"]["mine"].SetString("1");
    return true;
  };
  std::promise<k8s::io::api_result> done;
  auto f = done.get_future();
  k8s::io::read_modify_write(
    client, {configmaps, "default", "cm", ""}, decide,
    [&](k8s::io::api_result r) { done.set_value(std::move(r)); });
  auto r = wait(f);
  ASSERT_TRUE(r) << k8s::to_string(r.error());
  EXPECT_EQ(decisions.load(), 2); // 409 → re-read → decided again
  auto stored = parse(get("/api/v1/namespaces/default/configmaps/cm"));
  EXPECT_STREQ(stored["data"]["mine"].GetString(), "1");
  EXPECT_STREQ(stored["data"]["theirs"].GetString(), "1"); // not lost
}

TEST_F(WritesTest, NoChangeMeansNoWrite) {
  post("/api/v1/namespaces/default/configmaps",
       R"({"metadata":{"name":"cm"},"data":{"a":"b"}})");
  const std::string before = parse(get(
    "/api/v1/namespaces/default/configmaps/cm"))["metadata"]["resourceVersion"]
                               .GetString();
  std::promise<k8s::io::api_result> done;
  auto f = done.get_future();
  k8s::io::read_modify_write(
    client, {configmaps, "default", "cm", ""},
    [](rapidjson::Document&) { return false; },
    [&](k8s::io::api_result r) { done.set_value(std::move(r)); });
  ASSERT_TRUE(wait(f));
  EXPECT_EQ(
    parse(get("/api/v1/namespaces/default/configmaps/cm"))["metadata"]
                                                          ["resourceVersion"]
                                                            .GetString(),
    before);
}

TEST_F(WritesTest, FinalizerPatchFailsInsteadOfLosingAnotherFinalizer) {
  post("/api/v1/namespaces/default/configmaps",
       R"({"metadata":{"name":"cm"}})");
  k8s::object_meta seen; // what we read: no finalizers
  seen.name = "cm";
  // Meanwhile another controller adds its finalizer.
  auto r = call(*other, "PATCH", "/api/v1/namespaces/default/configmaps/cm",
                *k8s::add_finalizer_patch(seen, "other.io/f"),
                "application/json-patch+json");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  std::promise<k8s::io::api_result> done;
  auto f = done.get_future();
  k8s::io::json_patch(*client, {configmaps, "default", "cm", ""},
                      *k8s::add_finalizer_patch(seen, "porter.io/f"),
                      [&](k8s::io::api_result x) { done.set_value(x); });
  auto ours = wait(f);
  ASSERT_FALSE(ours) << "stale patch must fail";
  auto stored = parse(get("/api/v1/namespaces/default/configmaps/cm"));
  ASSERT_EQ(stored["metadata"]["finalizers"].Size(), 1u);
  EXPECT_STREQ(stored["metadata"]["finalizers"][0].GetString(), "other.io/f");
  // Re-read and retry: both survive; then remove ours by index.
  seen.finalizers = {"other.io/f"};
  r = call(*client, "PATCH", "/api/v1/namespaces/default/configmaps/cm",
           *k8s::add_finalizer_patch(seen, "porter.io/f"),
           "application/json-patch+json");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  seen.finalizers = {"other.io/f", "porter.io/f"};
  r = call(*client, "PATCH", "/api/v1/namespaces/default/configmaps/cm",
           *k8s::remove_finalizer_patch(seen, "porter.io/f"),
           "application/json-patch+json");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  stored = parse(get("/api/v1/namespaces/default/configmaps/cm"));
  ASSERT_EQ(stored["metadata"]["finalizers"].Size(), 1u);
  EXPECT_STREQ(stored["metadata"]["finalizers"][0].GetString(), "other.io/f");
}

TEST_F(WritesTest, StatusSubresourceMergePatchLeavesSpecAlone) {
  post("/api/v1/namespaces/default/services",
       R"({"metadata":{"name":"web"},"spec":{"type":"LoadBalancer",)"
       R"("ports":[{"port":80,"protocol":"TCP"}]}})");
  std::promise<k8s::io::api_result> done;
  auto f = done.get_future();
  k8s::io::merge_patch(
    *client, {services, "default", "web", "status"},
    R"({"status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.100","ipMode":"VIP"}]}},"spec":{"type":"ClusterIP"}})",
    [&](k8s::io::api_result x) { done.set_value(x); });
  ASSERT_TRUE(wait(f));
  auto stored = parse(get("/api/v1/namespaces/default/services/web"));
  EXPECT_STREQ(stored["status"]["loadBalancer"]["ingress"][0]["ip"].GetString(),
               "192.168.0.100");
  EXPECT_STREQ(stored["spec"]["type"].GetString(), "LoadBalancer");
}

k8s::event_request flapping() {
  k8s::event_request req;
  req.object = {"Service", "default", "web", "uid-1", "v1", "", ""};
  req.type = k8s::event_type::warning;
  req.reason = "AllocationFailed";
  req.message = "pool eip-pool is exhausted";
  req.action = "Allocate";
  req.reporting_instance = "manager-0";
  return req;
}

struct RecorderTest : WritesTest {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::actor recorder;

  void start(k8s::event_api api) {
    event_recorder_args args;
    args.client = client;
    args.dedup.api = api;
    args.dedup.patch_interval = 300ms;
    recorder = spawn_event_recorder(sys, args);
  }
  void TearDown() override {
    caf::anon_send_exit(recorder, caf::exit_reason::user_shutdown);
  }
  rapidjson::Document events(const std::string& api_path) {
    return parse(get(api_path + "/namespaces/default/events"));
  }
};

TEST_F(RecorderTest, FlappingConditionBecomesOneEventWithACount) {
  start(k8s::event_api::events_v1);
  for (int i = 0; i < 40; ++i)
    caf::anon_send(recorder, flapping());
  ASSERT_TRUE(eventually([&] {
    auto list = events("/apis/events.k8s.io/v1");
    if (list["items"].Size() != 1)
      return false;
    const auto& e = list["items"][0];
    return e.HasMember("series") && e["series"]["count"].GetInt() == 40;
  }))
    << get("/apis/events.k8s.io/v1/namespaces/default/events");
  auto list = events("/apis/events.k8s.io/v1");
  const auto& e = list["items"][0];
  EXPECT_STREQ(e["reason"].GetString(), "AllocationFailed");
  EXPECT_STREQ(e["type"].GetString(), "Warning");
  EXPECT_STREQ(e["regarding"]["name"].GetString(), "web");
  EXPECT_STREQ(e["reportingController"].GetString(), "porter-manager");
}

TEST_F(RecorderTest, FallsBackToCoreV1WhenEventsApiIsMissing) {
  auto r = call(
    *client, "POST", "/_porter/faults",
    R"({"fail":{"code":404,"count":-1,"pathPrefix":"/apis/events.k8s.io"}})");
  ASSERT_TRUE(r && r->status == 200);
  start(k8s::event_api::events_v1);
  caf::anon_send(recorder, flapping());
  ASSERT_TRUE(
    eventually([&] { return events("/api/v1")["items"].Size() == 1; }));
  auto list = events("/api/v1");
  const auto& e = list["items"][0];
  EXPECT_STREQ(e["involvedObject"]["name"].GetString(), "web");
  EXPECT_EQ(e["count"].GetInt(), 1);
  EXPECT_STREQ(e["source"]["component"].GetString(), "porter-manager");
}

} // namespace
} // namespace porter
