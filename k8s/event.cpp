#include "k8s/event.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "k8s/lease.hpp"
#include "k8s/object_writer.hpp"

namespace porter::k8s {

namespace {

using detail::json_writer;

void write_reference(json_writer& w, std::string_view key,
                     const object_reference& r) {
  w.begin_object(key);
  w.str("kind", r.kind);
  w.str("namespace", r.namespace_);
  w.str("name", r.name);
  w.str("uid", r.uid);
  w.str("apiVersion", r.api_version);
  w.str("resourceVersion", r.resource_version);
  w.str("fieldPath", r.field_path);
  w.end_object();
}

/// events.k8s.io/v1 EventSeries.
void write_series(json_writer& w, const event_occurrences& seen) {
  w.begin_object("series");
  w.member("count", seen.count);
  w.member("lastObservedTime", format_micro_time(seen.last));
  w.end_object();
}

/// The first `max` bytes of `s`, not splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max)
    return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;
  return s.substr(0, n);
}

/// getEventKey (without source: one deduplicator per source).
std::string event_key(const event_request& r) {
  const object_reference& o = r.object;
  std::string key;
  for (std::string_view part :
       {std::string_view{o.kind}, std::string_view{o.namespace_},
        std::string_view{o.name}, std::string_view{o.field_path},
        std::string_view{o.uid}, std::string_view{o.api_version},
        to_string(r.type), std::string_view{r.reason},
        std::string_view{r.message}}) {
    key.append(part);
    key.push_back('\x1f'); // client-go joins with ""; this is unambiguous
  }
  return key;
}

/// getSpamKey (without source): the involved object.
std::string spam_key(const object_reference& o) {
  return o.kind + '\x1f' + o.namespace_ + '\x1f' + o.name + '\x1f' + o.uid
         + '\x1f' + o.api_version;
}

} // namespace

std::string_view to_string(event_type t) {
  return t == event_type::warning ? "Warning" : "Normal";
}

tl::expected<void, std::string> validate(const event_request& req) {
  // events.k8s.io/v1 create validation (ValidateEventCreate).
  constexpr std::size_t limit = 128;
  for (auto [field, value] :
       {std::pair{"reportingController", &req.reporting_controller},
        std::pair{"reportingInstance", &req.reporting_instance},
        std::pair{"action", &req.action}, std::pair{"reason", &req.reason}}) {
    if (value->empty())
      return tl::make_unexpected(std::string{field} + ": Required value");
    if (value->size() > limit)
      return tl::make_unexpected(std::string{field}
                                 + ": can have at most 128 characters");
  }
  if (req.object.name.empty() || req.object.kind.empty())
    return tl::make_unexpected("regarding: kind and name are required");
  return {};
}

std::string event_name(std::string_view ref_name,
                       std::chrono::system_clock::time_point t) {
  const auto ns
    = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
        .count();
  char hex[24];
  // Go's %x of an int64: lowercase, no padding, "-" for negatives.
  const auto bits = static_cast<unsigned long long>(ns);
  const auto magnitude = ns < 0 ? 0ULL - bits : bits;
  std::snprintf(hex, sizeof hex, "%s%llx", ns < 0 ? "-" : "", magnitude);
  return std::string{ref_name} + "." + hex;
}

std::string event_namespace(const object_reference& ref) {
  return ref.namespace_.empty() ? "default" : ref.namespace_;
}

std::string encode_core_event(const event_request& req, std::string_view name,
                              std::string_view namespace_,
                              const event_occurrences& seen) {
  json_writer w;
  detail::begin_named(w, "Event", "v1", name, namespace_);
  write_reference(w, "involvedObject", req.object);
  w.str("reason", req.reason);
  w.str("message", req.message);
  w.begin_object("source");
  w.str("component", req.reporting_controller);
  w.str("host", req.reporting_instance);
  w.end_object();
  w.member("firstTimestamp", format_time(seen.first));
  w.member("lastTimestamp", format_time(seen.last));
  w.member("count", seen.count);
  w.member("type", to_string(req.type));
  w.str("action", req.action);
  w.member("reportingComponent", req.reporting_controller);
  w.member("reportingInstance", req.reporting_instance);
  w.end_object();
  return w.take();
}

std::string encode_events_v1(const event_request& req, std::string_view name,
                             std::string_view namespace_,
                             const event_occurrences& seen) {
  json_writer w;
  detail::begin_named(w, "Event", "events.k8s.io/v1", name, namespace_);
  w.member("eventTime", format_micro_time(seen.first));
  if (seen.count > 1)
    write_series(w, seen);
  w.str("reportingController", req.reporting_controller);
  w.str("reportingInstance", req.reporting_instance);
  w.str("action", req.action);
  w.str("reason", req.reason);
  write_reference(w, "regarding", req.object);
  w.str("note", cut_utf8(req.message, 1024));
  w.member("type", to_string(req.type));
  w.end_object();
  return w.take();
}

std::string encode_core_event_patch(const event_request& req,
                                    const event_occurrences& seen) {
  json_writer w;
  w.begin_object();
  w.member("count", seen.count);
  w.member("lastTimestamp", format_time(seen.last));
  w.member("message", req.message);
  w.end_object();
  return w.take();
}

std::string encode_events_v1_patch(const event_occurrences& seen) {
  json_writer w;
  w.begin_object();
  write_series(w, seen);
  w.end_object();
  return w.take();
}

// --- event_deduplicator -----------------------------------------------------

bool event_deduplicator::take_token(const object_reference& ref,
                                    steady_time now) {
  auto [it, fresh] = buckets_.try_emplace(
    spam_key(ref), bucket{static_cast<double>(cfg_.spam_burst), now});
  bucket& b = it->second;
  if (!fresh) {
    const double refilled = std::chrono::duration<double>(now - b.last)
                            / std::chrono::duration<double>(cfg_.spam_refill);
    b.tokens = std::min(static_cast<double>(cfg_.spam_burst),
                        b.tokens + std::max(refilled, 0.0));
    b.last = std::max(b.last, now);
  }
  if (b.tokens < 1.0 - 1e-9) // refills summed in steps stay exact enough
    return false;
  b.tokens -= 1.0;
  return true;
}

std::string event_deduplicator::encode_create(const entry& e) const {
  return cfg_.api == event_api::core_v1
           ? encode_core_event(e.req, e.name, e.namespace_, e.seen)
           : encode_events_v1(e.req, e.name, e.namespace_, e.seen);
}

event_deduplicator::action event_deduplicator::write_patch(entry& e,
                                                           steady_time now) {
  // A spam-limited PATCH counts as this interval's write: the count stays
  // pending for the next one, and flush() never spins on an empty bucket.
  e.last_write = now;
  if (!take_token(e.req.object, now))
    return drop{};
  e.written = e.seen.count;
  return patch{e.name, e.namespace_,
               cfg_.api == event_api::core_v1
                 ? encode_core_event_patch(e.req, e.seen)
                 : encode_events_v1_patch(e.seen)};
}

std::string event_deduplicator::unique_name(const object_reference& ref,
                                            wall_time wall) {
  // Two events in the same nanosecond would get one name (AlreadyExists;
  // client-go loses one): names use strictly increasing nanoseconds.
  const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            wall.time_since_epoch())
                            .count();
  last_name_ns_ = std::max(ns, last_name_ns_ + 1);
  return event_name(ref.name,
                    wall_time{std::chrono::duration_cast<wall_time::duration>(
                      std::chrono::nanoseconds{last_name_ns_})});
}

void event_deduplicator::make_room(steady_time now) {
  if (entries_.size() < cfg_.max_keys)
    return;
  for (auto it = entries_.begin(); it != entries_.end();)
    it = now - it->second.last_seen > cfg_.window ? entries_.erase(it)
                                                  : std::next(it);
  while (!entries_.empty() && entries_.size() >= cfg_.max_keys)
    entries_.erase(std::min_element(
      entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
        return a.second.last_seen < b.second.last_seen;
      }));
  // Buckets that would be full again carry no information.
  for (auto it = buckets_.begin(); it != buckets_.end();)
    it = now - it->second.last >= cfg_.spam_refill * cfg_.spam_burst
           ? buckets_.erase(it)
           : std::next(it);
}

event_deduplicator::action
event_deduplicator::on_event(const event_request& req, steady_time now,
                             wall_time wall) {
  const std::string key = event_key(req);
  if (auto it = entries_.find(key); it != entries_.end()) {
    entry& e = it->second;
    if (now - e.last_seen <= cfg_.window) {
      // A repeat: count it; PATCH at most once per interval.
      ++e.seen.count;
      e.seen.last = wall;
      e.last_seen = now;
      if (now - e.last_write >= cfg_.patch_interval)
        return write_patch(e, now);
      return drop{};
    }
    entries_.erase(it); // idle for longer than the window: a new Event
  }
  if (!take_token(req.object, now))
    return drop{};
  make_room(now);
  entry e{req,
          unique_name(req.object, wall),
          event_namespace(req.object),
          event_occurrences{wall, wall, 1},
          1,
          now,
          now};
  create c{e.name, e.namespace_, encode_create(e)};
  entries_.emplace(key, std::move(e));
  return c;
}

std::vector<event_deduplicator::action>
event_deduplicator::flush(steady_time now) {
  std::vector<action> out;
  for (auto it = entries_.begin(); it != entries_.end();) {
    entry& e = it->second;
    if (now - e.last_seen > cfg_.window) {
      it = entries_.erase(it);
      continue;
    }
    if (e.seen.count > e.written && now - e.last_write >= cfg_.patch_interval)
      if (auto a = write_patch(e, now); !std::holds_alternative<drop>(a))
        out.push_back(std::move(a));
    ++it;
  }
  return out;
}

std::optional<event_deduplicator::steady_time>
event_deduplicator::next_flush() const {
  std::optional<steady_time> due;
  for (const auto& [key, e] : entries_)
    if (e.seen.count > e.written) {
      const steady_time t = e.last_write + cfg_.patch_interval;
      due = due ? std::min(*due, t) : t;
    }
  return due;
}

event_deduplicator::action
event_deduplicator::on_patch_not_found(std::string_view name) {
  for (auto& [key, e] : entries_)
    if (e.name == name) {
      e.written = e.seen.count;
      return create{e.name, e.namespace_, encode_create(e)};
    }
  return drop{};
}

void event_deduplicator::forget(std::string_view name) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->second.name == name) {
      entries_.erase(it);
      return;
    }
}

} // namespace porter::k8s
