// The Kubernetes API client adapter (issue #6 §2), watches: one connection
// per watch, events split across chunks, non-200 bodies, idle timeout,
// dropped connections, cancel (k8s-api.md §1.4, §1.9).
#include "test/actor/k8s_api_client_fixture.hpp"

namespace porter::k8s::io {
namespace {

// --- watches ----------------------------------------------------------------

// What a watch delivered, with bounded waits.
struct recorder : std::enable_shared_from_this<recorder> {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<int> status;
  std::optional<std::string> error_body;
  std::vector<std::string> lines;
  int closed = 0;
  std::optional<transport_error> close_error;

  watch_callbacks callbacks() {
    auto self = shared_from_this();
    watch_callbacks cb;
    cb.on_status = [self](int s) { self->update([&] { self->status = s; }); };
    cb.on_error_body = [self](std::string b) {
      self->update([&] { self->error_body = std::move(b); });
    };
    cb.on_line = [self](std::string l) {
      self->update([&] { self->lines.push_back(std::move(l)); });
    };
    cb.on_closed = [self](std::optional<transport_error> e) {
      self->update([&] {
        ++self->closed;
        self->close_error = std::move(e);
      });
    };
    return cb;
  }
  template <class F>
  void update(F f) {
    std::lock_guard<std::mutex> lock(mutex);
    f();
    changed.notify_all();
  }
  template <class Pred>
  bool wait(Pred p, std::chrono::milliseconds limit = 5000ms) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, limit, [&] { return p(*this); });
  }
  std::size_t lines_with(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex);
    std::size_t n = 0;
    for (const auto& l : lines)
      n += l.find(text) != std::string::npos;
    return n;
  }
};

std::shared_ptr<recorder> make_recorder() {
  return std::make_shared<recorder>();
}

std::string watch_target(const std::string& query = "") {
  return std::string(configmaps) + "?watch=1" + query;
}

TEST(K8sApiClientWatch, DeliversEventsAsLinesUntilTheServerEndsTheStream) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w
    = f.client->watch(watch_target("&timeoutSeconds=2"), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  EXPECT_EQ(*rec->status, 200);
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("a", "1"))),
            201);
  ASSERT_EQ(status_of(call(*f.client, "PATCH", std::string(configmaps) + "/a",
                           R"({"data":{"k":"2"}})", no_retries(),
                           "application/merge-patch+json")),
            200);
  ASSERT_TRUE(rec->wait([](auto& r) { return r.lines.size() >= 2; }));
  EXPECT_EQ(rec->lines_with(R"("type":"ADDED")"), 1u);
  EXPECT_EQ(rec->lines_with(R"("type":"MODIFIED")"), 1u);
  for (const auto& l : rec->lines) {
    EXPECT_TRUE(sim::json::parse(l)) << l;
    EXPECT_EQ(l.find('\n'), std::string::npos);
  }
  // timeoutSeconds=2: the server ends the chunked body normally.
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }, 5000ms));
  EXPECT_EQ(rec->closed, 1);
  EXPECT_FALSE(rec->close_error);
}

TEST(K8sApiClientWatch, AnEventLargerThanAnyChunkArrivesAsOneLine) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  const std::string big(300'000, 'x'); // > 64 KiB reads, > 16 KiB TLS records
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("b", big))),
            201);
  ASSERT_TRUE(rec->wait([](auto& r) { return !r.lines.empty(); }));
  std::lock_guard<std::mutex> lock(rec->mutex);
  ASSERT_EQ(rec->lines.size(), 1u);
  auto doc = sim::json::parse(rec->lines[0]);
  ASSERT_TRUE(doc);
  EXPECT_EQ(sim::json::string_at(*doc, {"object", "data", "k"}).value_or(""),
            big);
}

TEST(K8sApiClientWatch, DroppedByTheServerCloses) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  inject(*f.client, R"({"dropWatches":true})");
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }));
  EXPECT_EQ(rec->closed, 1);
  if (rec->close_error) { // a TLS connection cut without close_notify
    EXPECT_FALSE(rec->close_error->what.empty());
  }
}

TEST(K8sApiClientWatch, SilenceLongerThanTheIdleTimeoutEndsTheWatch) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto start = steady_clock::now();
  auto w = f.client->watch(watch_target(), 400ms, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }, 3000ms));
  EXPECT_GE(steady_clock::now() - start, 400ms);
  ASSERT_TRUE(rec->close_error);
  EXPECT_EQ(rec->close_error->what, "watch idle for 400 ms");
  EXPECT_EQ(rec->status, 200);
}

TEST(K8sApiClientWatch, TooOldResourceVersionArrivesAsAnErrorEvent) {
  emulator api;
  fixture f{api.config()};
  for (const char* name : {"x", "y"})
    ASSERT_EQ(
      status_of(call(*f.client, "POST", configmaps, configmap(name, "1"))),
      201);
  inject(*f.client, R"({"expireWatchCache":true})");
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target("&resourceVersion=1"), 10s,
                           rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }));
  EXPECT_EQ(rec->status, 200);
  ASSERT_EQ(rec->lines.size(), 1u);
  EXPECT_NE(rec->lines[0].find(R"("type":"ERROR")"), std::string::npos);
  EXPECT_NE(rec->lines[0].find(R"("code":410)"), std::string::npos);
  EXPECT_FALSE(rec->close_error);
}

TEST(K8sApiClientWatch, ErrorStatusDeliversTheBodyThenCloses) {
  emulator api;
  auto cfg = api.config();
  cfg.token = "wrong";
  fixture f{cfg};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.closed > 0; }));
  EXPECT_EQ(rec->status, 401);
  ASSERT_TRUE(rec->error_body);
  EXPECT_NE(rec->error_body->find("Unauthorized"), std::string::npos);
  EXPECT_FALSE(rec->close_error);
}

TEST(K8sApiClientWatch, NoCallbackAfterCancel) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  w->cancel();
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("c", "1"))),
            201);
  EXPECT_FALSE(
    rec->wait([](auto& r) { return !r.lines.empty() || r.closed; }, 300ms));
  w->cancel(); // twice is harmless
}

TEST(K8sApiClientWatch, DroppingTheHandleCancels) {
  emulator api;
  fixture f{api.config()};
  auto rec = make_recorder();
  auto w = f.client->watch(watch_target(), 10s, rec->callbacks());
  ASSERT_TRUE(rec->wait([](auto& r) { return r.status.has_value(); }));
  w.reset();
  ASSERT_EQ(status_of(call(*f.client, "POST", configmaps, configmap("d", "1"))),
            201);
  EXPECT_FALSE(
    rec->wait([](auto& r) { return !r.lines.empty() || r.closed; }, 300ms));
}

} // namespace
} // namespace porter::k8s::io
