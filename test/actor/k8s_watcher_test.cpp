// The watcher actor against the API server emulator over TLS (issue #6 §4,
// §7): a subscriber's view, built only from published deltas, equals the
// server's objects — checked object by object — after dropped connections
// and forced 410s; a relist of unchanged objects publishes nothing;
// malformed objects are skipped while the others flow.
#include <map>
#include <mutex>

#include "test/support/k8s_test_client.hpp"
#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "actors/k8s_watched_kinds.hpp"
#include "actors/k8s_watcher_impl.hpp"
#include "k8s/watch_machine.hpp"

namespace porter::k8s {

/// A ConfigMap reduced to what the test compares.
struct test_cm {
  object_meta metadata;
  std::string value; ///< data.v
};

template <>
decoded<test_cm> decode<test_cm>(const json_at& object) {
  auto meta = decode_object_meta(object);
  if (!meta)
    return tl::make_unexpected(meta.error());
  // Stands in for a malformed object: the test marks some with a label.
  if (find_value(meta->labels, "broken") != nullptr)
    return tl::make_unexpected(
      decode_error{"metadata.labels.broken", "rejected by the test"});
  test_cm cm{std::move(*meta), {}};
  auto data = object.member("data");
  if (!data)
    return tl::make_unexpected(data.error());
  if (*data) {
    auto v = (*data)->string("v");
    if (!v)
      return tl::make_unexpected(v.error());
    cm.value = std::move(*v);
  }
  return cm;
}

} // namespace porter::k8s

PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::test_cm)

namespace porter {
namespace {

using namespace std::chrono_literals;
using testing::call;
using testing::eventually;
using view_map = std::map<std::string, std::pair<std::string, std::string>>;

/// What the subscriber saw, shared with the test thread.
struct observed {
  std::mutex mutex;
  view_map view; ///< key → (resourceVersion, data.v)
  int batches = 0;
  int synced_batches = 0;
  int deltas = 0;
  int deltas_in_last_synced = -1;

  view_map copy() {
    std::lock_guard<std::mutex> lock{mutex};
    return view;
  }
};

caf::behavior collector(caf::event_based_actor*,
                        std::shared_ptr<observed> seen) {
  return {[seen](const watch_batch<k8s::test_cm>& batch) {
    std::lock_guard<std::mutex> lock{seen->mutex};
    for (const auto& d : batch.deltas) {
      const auto key = object_key(d.object->metadata);
      if (d.type == k8s::delta_type::deleted)
        seen->view.erase(key);
      else
        seen->view[key]
          = {d.object->metadata.resource_version, d.object->value};
    }
    ++seen->batches;
    seen->deltas += static_cast<int>(batch.deltas.size());
    if (batch.synced) {
      ++seen->synced_batches;
      seen->deltas_in_last_synced = static_cast<int>(batch.deltas.size());
    }
  }};
}

const std::string cms = "/api/v1/namespaces/default/configmaps";

std::string cm_json(const std::string& name, const std::string& v,
                    bool broken = false) {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name
         + R"(")" + (broken ? R"(,"labels":{"broken":"yes"})" : "")
         + R"(},"data":{"v":")" + v + R"("}})";
}

/// The server's ConfigMaps, read straight from the API.
view_map server_view(k8s::io::api_client& c, bool skip_broken = true) {
  view_map out;
  auto r = call(c, "GET", cms);
  if (!r || r->status != 200) {
    ADD_FAILURE() << "list failed";
    return out;
  }
  auto doc = k8s::parse_json(r->body);
  for (const auto& item : (*doc)["items"].GetArray()) {
    const auto& meta = item["metadata"];
    if (skip_broken && meta.HasMember("labels")
        && meta["labels"].HasMember("broken"))
      continue;
    out[std::string{"default/"} + meta["name"].GetString()]
      = {meta["resourceVersion"].GetString(), item["data"]["v"].GetString()};
  }
  return out;
}

struct WatcherTest : ::testing::Test {
  testing::emulator api;
  std::shared_ptr<net::io::io_thread> io
    = std::make_shared<net::io::io_thread>();
  std::shared_ptr<k8s::io::api_client> client
    = testing::make_client(api.config(), io);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<observed> seen = std::make_shared<observed>();
  caf::actor watcher;

  void SetUp() override { ASSERT_TRUE(client); }
  void TearDown() override {
    if (watcher)
      caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);
  }

  void create(const std::string& name, const std::string& v,
              bool broken = false) {
    auto r = call(*client, "POST", cms, cm_json(name, v, broken));
    ASSERT_TRUE(r && r->status == 201) << (r ? r->body : r.error().what);
  }
  void modify(const std::string& name, const std::string& v) {
    auto r = call(*client, "PATCH", cms + "/" + name,
                  R"({"data":{"v":")" + v + R"("}})",
                  "application/merge-patch+json");
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  }
  void remove(const std::string& name) {
    auto r = call(*client, "DELETE", cms + "/" + name);
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  }
  void fault(const std::string& body) {
    auto r = call(*client, "POST", "/_porter/faults", body);
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().what);
  }

  void start_watcher(int page_size = 7) {
    watcher_args args;
    args.client = client;
    args.resource = k8s::resource_ref{"", "v1", "configmaps", true};
    args.namespace_ = "default";
    args.subscribers = {sys.spawn(collector, seen)};
    args.options.page_size = page_size;
    // client-go's 0.8 s → 30 s would only slow the test down: a dropped
    // connection is a failure, and failures within 2 min keep doubling.
    args.options.backoff.initial = 50ms;
    args.options.backoff.max = 500ms;
    watcher = spawn_watcher<k8s::test_cm>(sys, std::move(args));
  }

  /// The subscriber's view equals the server's, object by object.
  void expect_converged() {
    view_map expected;
    EXPECT_TRUE(eventually([&] {
      expected = server_view(*client);
      return seen->copy() == expected;
    }))
      << "view has " << seen->copy().size() << " objects, server "
      << expected.size();
  }
};

TEST_F(WatcherTest, PaginatedListThenLiveEvents) {
  for (int i = 0; i < 30; ++i)
    create("cm-" + std::to_string(i), "v0");
  start_watcher(7);
  ASSERT_TRUE(eventually([&] { return seen->copy().size() == 30; }));
  modify("cm-3", "v1");
  remove("cm-4");
  create("cm-new", "v0");
  expect_converged();
  EXPECT_EQ(seen->copy().at("default/cm-3").second, "v1");
}

TEST_F(WatcherTest, SurvivesDroppedConnectionsAndForcedExpiry) {
  for (int i = 0; i < 20; ++i)
    create("cm-" + std::to_string(i), "v0");
  start_watcher();
  ASSERT_TRUE(eventually([&] { return seen->copy().size() == 20; }));
  int next = 100;
  for (int round = 0; round < 4; ++round) {
    const std::string r = std::to_string(round);
    create("cm-" + std::to_string(next++), r);
    modify("cm-" + std::to_string(round), "m" + r);
    fault(R"({"dropWatches":true})");
    create("cm-" + std::to_string(next++), r);
    remove("cm-" + std::to_string(10 + round));
    // The watch cache forgets everything: the resumed watch gets 410 and
    // the watcher must relist; changes made meanwhile must still arrive.
    fault(R"({"expireWatchCache":true,"dropWatches":true})");
    modify("cm-" + std::to_string(5 + round), "x" + r);
    remove("cm-" + std::to_string(15 + round));
    expect_converged();
  }
}

TEST_F(WatcherTest, RelistOfUnchangedObjectsPublishesNothing) {
  for (int i = 0; i < 10; ++i)
    create("cm-" + std::to_string(i), "v0");
  start_watcher();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard<std::mutex> lock{seen->mutex};
    return seen->synced_batches == 1 && seen->view.size() == 10;
  }));
  const int deltas_before = [&] {
    std::lock_guard<std::mutex> lock{seen->mutex};
    return seen->deltas;
  }();
  // Forget the history, move the server's version on with a write the
  // watcher does not see (another namespace), and break the watch: the
  // re-watch from the old version gets 410 and the watcher relists.
  fault(R"({"expireWatchCache":true})");
  auto ns = call(*client, "POST", "/api/v1/namespaces",
                 R"({"metadata":{"name":"elsewhere"}})");
  ASSERT_TRUE(ns && ns->status == 201);
  fault(R"({"expireWatchCache":true,"dropWatches":true})");
  ASSERT_TRUE(eventually([&] {
    std::lock_guard<std::mutex> lock{seen->mutex};
    return seen->synced_batches == 2;
  }))
    << "no relist after a 410";
  std::lock_guard<std::mutex> lock{seen->mutex};
  EXPECT_EQ(seen->deltas_in_last_synced, 0);
  EXPECT_EQ(seen->deltas, deltas_before);
}

TEST_F(WatcherTest, MalformedObjectsAreSkippedOthersFlow) {
  create("good-1", "a");
  create("bad-1", "a", true);
  start_watcher();
  create("bad-2", "b", true);
  create("good-2", "b");
  expect_converged();
  auto view = seen->copy();
  EXPECT_EQ(view.count("default/bad-1"), 0u);
  EXPECT_EQ(view.count("default/good-2"), 1u);
}

TEST_F(WatcherTest, RecoversFromServerErrorsDuringList) {
  for (int i = 0; i < 5; ++i)
    create("cm-" + std::to_string(i), "v0");
  // More failures than the client retries: the machine backs off and
  // lists again.
  fault(R"({"fail":{"code":503,"count":6,"retryAfterSeconds":0,)"
        R"("pathPrefix":"/api/v1/namespaces/default/configmaps"}})");
  start_watcher();
  expect_converged();
}

TEST_F(WatcherTest, LateSubscriberGetsTheWholeCache) {
  for (int i = 0; i < 4; ++i)
    create("cm-" + std::to_string(i), "v0");
  start_watcher();
  ASSERT_TRUE(eventually([&] { return seen->copy().size() == 4; }));
  auto late = std::make_shared<observed>();
  caf::anon_send(watcher, atoms::subscribe_atom_v, sys.spawn(collector, late));
  ASSERT_TRUE(eventually([&] { return late->copy() == seen->copy(); }));
  std::lock_guard<std::mutex> lock{late->mutex};
  EXPECT_EQ(late->synced_batches, 1);
}

TEST_F(WatcherTest, ServicesArriveTyped) {
  // The real model through the real watcher: kind_info<service> gives the
  // URL, decode<service> the fields.
  auto r = call(*client, "POST", "/api/v1/namespaces/default/services",
                R"({"metadata":{"name":"web","annotations":)"
                R"({"lb.kubesphere.io/v1alpha1":"porter"}},)"
                R"("spec":{"type":"LoadBalancer","externalTrafficPolicy":)"
                R"("Local","ports":[{"name":"http","port":80,)"
                R"("protocol":"TCP","targetPort":8080}]}})");
  ASSERT_TRUE(r && r->status == 201) << (r ? r->body : r.error().what);
  struct seen_services {
    std::mutex m;
    std::vector<std::shared_ptr<const k8s::service>> got;
  };
  auto seen_svc = std::make_shared<seen_services>();
  // CAF 0.17: an actor spawned with no arguments reads a null tuple, so
  // the shared state travels as one.
  auto sink = sys.spawn(
    [](caf::event_based_actor*,
       std::shared_ptr<seen_services> st) -> caf::behavior {
      return {[st](const watch_batch<k8s::service>& b) {
        std::lock_guard<std::mutex> lock{st->m};
        for (const auto& d : b.deltas)
          st->got.push_back(d.object);
      }};
    },
    seen_svc);
  auto& m = seen_svc->m;
  auto& got = seen_svc->got;
  auto args = watch_of<k8s::service>(client);
  args.subscribers = {sink};
  auto w = spawn_watcher<k8s::service>(sys, std::move(args));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard<std::mutex> lock{m};
    return got.size() == 1;
  }));
  caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  std::lock_guard<std::mutex> lock{m};
  const k8s::service& svc = *got[0];
  EXPECT_EQ(svc.metadata.name, "web");
  EXPECT_EQ(svc.spec.type, k8s::service_type::load_balancer);
  EXPECT_EQ(svc.spec.external_traffic_policy, k8s::traffic_policy::local);
  ASSERT_EQ(svc.spec.ports.size(), 1u);
  EXPECT_EQ(svc.spec.ports[0].port, 80);
  EXPECT_FALSE(svc.spec.cluster_ips.empty()); // allocated by the server
}

} // namespace
} // namespace porter
