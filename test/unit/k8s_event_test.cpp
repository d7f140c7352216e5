// Events (k8s-api.md §2.6): exact core/v1 and events.k8s.io/v1 bodies,
// client-go's name format, and the deduplicator's flood control after
// tools/record/events_cache.go.
#include <string>

#include <gtest/gtest.h>

#include "k8s/event.hpp"

namespace porter::k8s {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using dedup = event_deduplicator;

// 2026-11-26T22:20:53.492026123Z
const auto t0 = std::chrono::system_clock::time_point{
  std::chrono::duration_cast<std::chrono::system_clock::duration>(
    std::chrono::nanoseconds{1795731653492026123LL})};
const auto s0 = std::chrono::steady_clock::time_point{seconds{5000}};

event_request service_event() {
  event_request r;
  r.object = {"Service", "prod", "web", "0c1d", "v1", "4711", ""};
  r.type = event_type::warning;
  r.reason = "AllocationFailed";
  r.message = "pool eip-a is exhausted";
  r.action = "Allocate";
  r.reporting_instance = "node-1";
  return r;
}

TEST(K8sEvent, NameIsRefNameDotHexUnixNanos) {
  // util.GenerateEventName: fmt.Sprintf("%s.%x", refName, t.UnixNano()).
  EXPECT_EQ(event_name("web", t0), "web.18ebb86cb6512b0b");
}

TEST(K8sEvent, ClusterScopedObjectsGetNamespaceDefault) {
  // makeEvent: namespace = ref.Namespace, or metav1.NamespaceDefault.
  EXPECT_EQ(event_namespace({"Eip", "", "eip-a", "", "", "", ""}), "default");
  EXPECT_EQ(event_namespace(service_event().object), "prod");
}

TEST(K8sEvent, CoreEventIsWhatToolsRecordWrites) {
  EXPECT_EQ(
    encode_core_event(service_event(), "web.18ebb86cb6512b0b", "prod", t0),
    R"({"kind":"Event","apiVersion":"v1",)"
    R"("metadata":{"name":"web.18ebb86cb6512b0b","namespace":"prod"},)"
    R"("involvedObject":{"kind":"Service","namespace":"prod","name":"web",)"
    R"("uid":"0c1d","apiVersion":"v1","resourceVersion":"4711"},)"
    R"("reason":"AllocationFailed","message":"pool eip-a is exhausted",)"
    R"("source":{"component":"porter-manager","host":"node-1"},)"
    R"("firstTimestamp":"2026-11-26T22:20:53Z",)"
    R"("lastTimestamp":"2026-11-26T22:20:53Z","count":1,"type":"Warning",)"
    R"("action":"Allocate","reportingComponent":"porter-manager",)"
    R"("reportingInstance":"node-1"})");
}

TEST(K8sEvent, EventsV1HasEventTimeAndSeriesOnlyForRepeats) {
  // tools/events makeEvent; eventTime required, deprecated* fields unset.
  const std::string head = R"({"kind":"Event","apiVersion":"events.k8s.io/v1",)"
                           R"("metadata":{"name":"web.1","namespace":"prod"},)"
                           R"("eventTime":"2026-11-26T22:20:53.492026Z",)";
  const std::string tail
    = R"("reportingController":"porter-manager","reportingInstance":"node-1",)"
      R"("action":"Allocate","reason":"AllocationFailed",)"
      R"("regarding":{"kind":"Service","namespace":"prod","name":"web",)"
      R"("uid":"0c1d","apiVersion":"v1","resourceVersion":"4711"},)"
      R"("note":"pool eip-a is exhausted","type":"Warning"})";
  EXPECT_EQ(encode_events_v1(service_event(), "web.1", "prod", {t0, t0, 1}),
            head + tail);
  EXPECT_EQ(encode_events_v1(service_event(), "web.1", "prod",
                             {t0, t0 + seconds{90}, 3}),
            head + R"("series":{"count":3,)"
              + R"("lastObservedTime":"2026-11-26T22:22:23.492026Z"},)" + tail);
}

TEST(K8sEvent, RepeatPatchesTouchOnlyCountAndTime) {
  // eventObserve's two-way merge patch / createPatchBytesForSeries.
  EXPECT_EQ(encode_core_event_patch(service_event(), {t0, t0 + seconds{5}, 4}),
            R"({"count":4,"lastTimestamp":"2026-11-26T22:20:58Z",)"
            R"("message":"pool eip-a is exhausted"})");
  EXPECT_EQ(encode_events_v1_patch({t0, t0 + seconds{5}, 4}),
            R"({"series":{"count":4,)"
            R"("lastObservedTime":"2026-11-26T22:20:58.492026Z"}})");
}

TEST(K8sEvent, NoteIsCutTo1024BytesOnACharacterBoundary) {
  // ValidateEventCreate: note at most 1024 characters.
  event_request r = service_event();
  r.message = std::string(1023, 'a') + "\xC3\xA9"; // 1025 bytes
  const std::string body = encode_events_v1(r, "n", "prod", {t0, t0, 1});
  EXPECT_NE(body.find("\"note\":\"" + std::string(1023, 'a') + "\""),
            std::string::npos);
}

TEST(K8sEvent, ValidationFollowsTheEventsV1CreateRules) {
  struct row {
    void (*edit)(event_request&);
    const char* error; // nullptr: valid
  } rows[] = {
    {[](event_request&) {}, nullptr},
    {[](event_request& r) { r.action.clear(); }, "action: Required value"},
    {[](event_request& r) { r.reason.clear(); }, "reason: Required value"},
    {[](event_request& r) { r.reporting_instance.clear(); },
     "reportingInstance: Required value"},
    {[](event_request& r) { r.reason.assign(129, 'R'); },
     "reason: can have at most 128 characters"},
    {[](event_request& r) { r.object.name.clear(); },
     "regarding: kind and name are required"},
  };
  for (const auto& row : rows) {
    event_request r = service_event();
    row.edit(r);
    auto v = validate(r);
    EXPECT_EQ(v ? "" : v.error(), row.error ? row.error : "");
  }
}

template <class A>
const A* as(const dedup::action& a) {
  return std::get_if<A>(&a);
}

TEST(K8sEventDedup, RepeatsBecomeOnePatchPerInterval) {
  // First occurrence: create. Repeats within the window: counted, sent as
  // a PATCH at most once per 30 s; flush() sends what is held back.
  dedup d;
  const event_request r = service_event();
  auto first = d.on_event(r, s0, t0);
  ASSERT_TRUE(as<dedup::create>(first));
  const std::string name = as<dedup::create>(first)->name;
  EXPECT_EQ(name, "web.18ebb86cb6512b0b");
  EXPECT_TRUE(as<dedup::drop>(d.on_event(r, s0 + seconds{1}, t0)));
  EXPECT_EQ(d.next_flush(), s0 + seconds{30});
  auto p = d.on_event(r, s0 + seconds{31}, t0 + seconds{31});
  ASSERT_TRUE(as<dedup::patch>(p));
  EXPECT_EQ(as<dedup::patch>(p)->name, name);
  EXPECT_NE(as<dedup::patch>(p)->body.find("\"count\":3"), std::string::npos);
  EXPECT_FALSE(d.next_flush());
  EXPECT_TRUE(as<dedup::drop>(d.on_event(r, s0 + seconds{40}, t0)));
  EXPECT_TRUE(d.flush(s0 + seconds{60}).empty());
  auto flushed = d.flush(s0 + seconds{61});
  ASSERT_EQ(flushed.size(), 1u);
  EXPECT_NE(as<dedup::patch>(flushed[0])->body.find("\"count\":4"),
            std::string::npos);
  // Another message is another key; an idle key past the window is new.
  event_request other = r;
  other.message = "pool eip-b is exhausted";
  EXPECT_TRUE(as<dedup::create>(d.on_event(other, s0 + seconds{62}, t0)));
  auto again = d.on_event(r, s0 + seconds{40 + 601}, t0 + seconds{641});
  ASSERT_TRUE(as<dedup::create>(again));
  EXPECT_NE(as<dedup::create>(again)->name, name);
}

TEST(K8sEventDedup, EventsV1RepeatsPatchTheSeries) {
  event_dedup_config cfg;
  cfg.api = event_api::events_v1;
  dedup d{cfg};
  const event_request r = service_event();
  auto c = d.on_event(r, s0, t0);
  ASSERT_TRUE(as<dedup::create>(c));
  EXPECT_EQ(as<dedup::create>(c)->body.find("series"), std::string::npos);
  auto p = d.on_event(r, s0 + seconds{30}, t0 + seconds{30});
  ASSERT_TRUE(as<dedup::patch>(p));
  EXPECT_EQ(as<dedup::patch>(p)->body,
            R"({"series":{"count":2,)"
            R"("lastObservedTime":"2026-11-26T22:21:23.492026Z"}})");
}

TEST(K8sEventDedup, FlappingConditionCannotFloodTheApi) {
  // One occurrence per second for an hour: 1 create, then PATCHes limited
  // by the interval and the per-object bucket (burst 25, +1 per 5 min).
  dedup d;
  const event_request r = service_event();
  int creates = 0, patches = 0;
  for (int s = 0; s < 3600; ++s) {
    auto a = d.on_event(r, s0 + seconds{s}, t0 + seconds{s});
    creates += as<dedup::create>(a) ? 1 : 0;
    patches += as<dedup::patch>(a) ? 1 : 0;
  }
  EXPECT_EQ(creates, 1);
  EXPECT_LE(creates + patches, 25 + 3600 / 300);
  EXPECT_GE(creates + patches, 25);
}

TEST(K8sEventDedup, SpamFilterIsPerInvolvedObject) {
  // EventSourceObjectSpamFilter: the key is source + involved object.
  dedup d;
  event_request r = service_event();
  int created = 0;
  for (int i = 0; i < 30; ++i) {
    r.message = "condition " + std::to_string(i);
    created += as<dedup::create>(d.on_event(r, s0, t0)) ? 1 : 0;
  }
  EXPECT_EQ(created, 25);
  event_request node = r;
  node.object = {"Node", "", "node-1", "9", "v1", "", ""};
  auto a = d.on_event(node, s0, t0);
  ASSERT_TRUE(as<dedup::create>(a));
  EXPECT_EQ(as<dedup::create>(a)->namespace_, "default");
  r.message = "condition 99";
  EXPECT_TRUE(as<dedup::drop>(d.on_event(r, s0 + seconds{299}, t0)));
  EXPECT_TRUE(as<dedup::create>(d.on_event(r, s0 + seconds{300}, t0)));
}

TEST(K8sEventDedup, PatchNotFoundRecreatesWithTheCountSoFar) {
  // recordToSink: a PATCH answered 404 falls back to Create, same name.
  dedup d;
  const event_request r = service_event();
  d.on_event(r, s0, t0);
  auto p = d.on_event(r, s0 + seconds{30}, t0 + seconds{30});
  const std::string name = as<dedup::patch>(p)->name;
  auto c = d.on_patch_not_found(name);
  ASSERT_TRUE(as<dedup::create>(c));
  EXPECT_EQ(as<dedup::create>(c)->name, name);
  const std::string& body = as<dedup::create>(c)->body;
  EXPECT_NE(body.find(R"("firstTimestamp":"2026-11-26T22:20:53Z",)"
                      R"("lastTimestamp":"2026-11-26T22:21:23Z","count":2)"),
            std::string::npos);
  EXPECT_TRUE(as<dedup::drop>(d.on_patch_not_found("unknown")));
  d.forget(name);
  EXPECT_EQ(d.size(), 0u);
  EXPECT_TRUE(as<dedup::create>(d.on_event(r, s0 + seconds{31}, t0)));
}

TEST(K8sEventDedup, KeysBeyondTheLimitEvictTheLeastRecentlySeen) {
  event_dedup_config cfg;
  cfg.max_keys = 2;
  dedup d{cfg};
  event_request r = service_event();
  for (int i = 0; i < 3; ++i) {
    r.message = std::to_string(i);
    ASSERT_TRUE(as<dedup::create>(d.on_event(r, s0 + seconds{i}, t0)));
  }
  EXPECT_EQ(d.size(), 2u);
  r.message = "0"; // evicted: a new create, never a name used before
  auto a = d.on_event(r, s0 + seconds{3}, t0);
  ASSERT_TRUE(as<dedup::create>(a));
  EXPECT_EQ(as<dedup::create>(a)->name, "web.18ebb86cb6512b0e");
}

} // namespace
} // namespace porter::k8s
