// Events a controller writes (k8s-api.md §2.6): core/v1 Event as client-go
// tools/record makes it, events.k8s.io/v1 Event as tools/events makes it,
// their repeat PATCH bodies, and a pure deduplicator after client-go's
// EventCorrelator (tools/record/events_cache.go): repeats of one event
// become a rate-limited count/series PATCH, and a token bucket per involved
// object (burst 25, one more every 5 min) caps API writes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

namespace porter::k8s {

/// core/v1 ObjectReference (the fields an Event carries).
struct object_reference {
  std::string kind;
  std::string namespace_; ///< empty for cluster-scoped objects
  std::string name;
  std::string uid;
  std::string api_version;
  std::string resource_version;
  std::string field_path;
};

enum class event_type { normal, warning };
/// "Normal" / "Warning"
std::string_view to_string(event_type t);

struct event_request {
  object_reference object;
  event_type type = event_type::normal;
  std::string reason; ///< CamelCase, ≤ 128
  std::string message;
  std::string action; ///< required by events.k8s.io/v1, ≤ 128
  std::string reporting_controller = "porter-manager";
  std::string reporting_instance; ///< pod or node name, ≤ 128
};

/// The apiserver's create validation for events.k8s.io/v1 (the stricter
/// API; core/v1 accepts whatever passes it): reason, action,
/// reportingController and reportingInstance required, each ≤ 128 chars.
tl::expected<void, std::string> validate(const event_request& req);

/// util.GenerateEventName: "<refname>.<unix nanoseconds in hex>".
std::string event_name(std::string_view ref_name,
                       std::chrono::system_clock::time_point t);
/// The involved object's namespace, or "default" for cluster-scoped ones.
std::string event_namespace(const object_reference& ref);

/// How often an event happened (`count` 1: first == last).
struct event_occurrences {
  std::chrono::system_clock::time_point first;
  std::chrono::system_clock::time_point last;
  int count = 1;
};

/// core/v1 Event for POST /api/v1/namespaces/{ns}/events, as makeEvent:
/// firstTimestamp/lastTimestamp (meta/v1 Time), count, source{component,
/// host} = reportingComponent/reportingInstance.
std::string encode_core_event(const event_request& req, std::string_view name,
                              std::string_view namespace_,
                              const event_occurrences& seen);
inline std::string
encode_core_event(const event_request& req, std::string_view name,
                  std::string_view namespace_,
                  std::chrono::system_clock::time_point now) {
  return encode_core_event(req, name, namespace_, {now, now, 1});
}

/// events.k8s.io/v1 Event for POST /apis/events.k8s.io/v1/namespaces/{ns}/
/// events: eventTime (MicroTime) = first, `series` only when count > 1;
/// the note is cut to 1024 bytes (on a UTF-8 boundary).
std::string encode_events_v1(const event_request& req, std::string_view name,
                             std::string_view namespace_,
                             const event_occurrences& seen);

/// The repeat PATCH (strategic merge, as client-go): core/v1
/// {"count":N,"lastTimestamp":..,"message":..}; events.k8s.io/v1
/// {"series":{"count":N,"lastObservedTime":..}}.
std::string encode_core_event_patch(const event_request& req,
                                    const event_occurrences& seen);
std::string encode_events_v1_patch(const event_occurrences& seen);

enum class event_api { core_v1, events_v1 };

struct event_dedup_config {
  event_api api = event_api::core_v1;
  /// A repeat this long after the previous occurrence is a new Event.
  std::chrono::milliseconds window{600'000};
  /// At most one PATCH per key per interval; repeats in between are
  /// counted and sent with the next PATCH (or by flush()).
  std::chrono::milliseconds patch_interval{30'000};
  /// EventSourceObjectSpamFilter: defaultSpamBurst = 25,
  /// defaultSpamQPS = 1/300 (one token every 5 min) per involved object.
  int spam_burst = 25;
  std::chrono::milliseconds spam_refill{300'000};
  /// maxLruCacheEntries: beyond this the least recently seen key goes.
  std::size_t max_keys = 4096;
};

class event_deduplicator {
public:
  using steady_time = std::chrono::steady_clock::time_point;
  using wall_time = std::chrono::system_clock::time_point;

  /// POST `body` to the events collection of `namespace_`.
  struct create {
    std::string name, namespace_, body;
  };
  /// PATCH (application/strategic-merge-patch+json) Event `name`; a 404
  /// reply → on_patch_not_found.
  struct patch {
    std::string name, namespace_, body;
  };
  /// Nothing to send (held back for the interval, or spam-limited).
  struct drop {};
  using action = std::variant<create, patch, drop>;

  explicit event_deduplicator(event_dedup_config cfg = {}) : cfg_(cfg) {}

  /// One occurrence at `now` (decisions) / `wall` (timestamps written).
  action on_event(const event_request& req, steady_time now, wall_time wall);
  /// PATCHes for keys with held-back repeats whose interval has passed;
  /// forgets keys idle for longer than the window.
  std::vector<action> flush(steady_time now);
  /// When flush() next has a PATCH to send, if ever.
  std::optional<steady_time> next_flush() const;
  /// The PATCH of Event `name` got 404 (expired server-side): client-go
  /// creates it again, same name, with the count so far.
  action on_patch_not_found(std::string_view name);
  /// Forgets Event `name` (its create failed): the next occurrence creates.
  void forget(std::string_view name);
  std::size_t size() const { return entries_.size(); }

private:
  struct entry {
    event_request req;
    std::string name;
    std::string namespace_;
    event_occurrences seen;
    int written = 0; ///< the count the API has
    steady_time last_seen{};
    steady_time last_write{};
  };
  struct bucket {
    double tokens = 0;
    steady_time last{};
  };

  bool take_token(const object_reference& ref, steady_time now);
  action write_patch(entry& e, steady_time now);
  std::string encode_create(const entry& e) const;
  std::string unique_name(const object_reference& ref, wall_time wall);
  void make_room(steady_time now);

  event_dedup_config cfg_;
  std::map<std::string, entry> entries_;  ///< by getEventKey
  std::map<std::string, bucket> buckets_; ///< by getSpamKey
  /// Nanoseconds of the last generated name (names strictly increase).
  std::int64_t last_name_ns_ = std::numeric_limits<std::int64_t>::min();
};

} // namespace porter::k8s
