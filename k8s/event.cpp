#include "k8s/event.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "k8s/lease.hpp"

namespace porter::k8s {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void put(writer& w, std::string_view key, std::string_view value) {
  put(w, key);
  put(w, value);
}

/// A Go `json:",omitempty"` string field.
void put_nonempty(writer& w, std::string_view key, std::string_view value) {
  if (!value.empty())
    put(w, key, value);
}

void put_reference(writer& w, std::string_view key, const object_reference& r) {
  put(w, key);
  w.StartObject();
  put_nonempty(w, "kind", r.kind);
  put_nonempty(w, "namespace", r.namespace_);
  put_nonempty(w, "name", r.name);
  put_nonempty(w, "uid", r.uid);
  put_nonempty(w, "apiVersion", r.api_version);
  put_nonempty(w, "resourceVersion", r.resource_version);
  put_nonempty(w, "fieldPath", r.field_path);
  w.EndObject();
}

void put_head(writer& w, std::string_view api_version, std::string_view name,
              std::string_view namespace_) {
  put(w, "kind", "Event");
  put(w, "apiVersion", api_version);
  put(w, "metadata");
  w.StartObject();
  put(w, "name", name);
  put(w, "namespace", namespace_);
  w.EndObject();
}

std::string text(const rapidjson::StringBuffer& buf) {
  return {buf.GetString(), buf.GetSize()};
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
  rapidjson::StringBuffer buf;
  writer w(buf);
  w.StartObject();
  put_head(w, "v1", name, namespace_);
  put_reference(w, "involvedObject", req.object);
  put_nonempty(w, "reason", req.reason);
  put_nonempty(w, "message", req.message);
  put(w, "source");
  w.StartObject();
  put_nonempty(w, "component", req.reporting_controller);
  put_nonempty(w, "host", req.reporting_instance);
  w.EndObject();
  put(w, "firstTimestamp", format_time(seen.first));
  put(w, "lastTimestamp", format_time(seen.last));
  put(w, "count");
  w.Int(seen.count);
  put(w, "type", to_string(req.type));
  put_nonempty(w, "action", req.action);
  put(w, "reportingComponent", req.reporting_controller);
  put(w, "reportingInstance", req.reporting_instance);
  w.EndObject();
  return text(buf);
}

std::string encode_events_v1(const event_request& req, std::string_view name,
                             std::string_view namespace_,
                             const event_occurrences& seen) {
  rapidjson::StringBuffer buf;
  writer w(buf);
  w.StartObject();
  put_head(w, "events.k8s.io/v1", name, namespace_);
  put(w, "eventTime", format_micro_time(seen.first));
  if (seen.count > 1) {
    put(w, "series");
    w.StartObject();
    put(w, "count");
    w.Int(seen.count);
    put(w, "lastObservedTime", format_micro_time(seen.last));
    w.EndObject();
  }
  put_nonempty(w, "reportingController", req.reporting_controller);
  put_nonempty(w, "reportingInstance", req.reporting_instance);
  put_nonempty(w, "action", req.action);
  put_nonempty(w, "reason", req.reason);
  put_reference(w, "regarding", req.object);
  put_nonempty(w, "note", cut_utf8(req.message, 1024));
  put(w, "type", to_string(req.type));
  w.EndObject();
  return text(buf);
}

std::string encode_core_event_patch(const event_request& req,
                                    const event_occurrences& seen) {
  rapidjson::StringBuffer buf;
  writer w(buf);
  w.StartObject();
  put(w, "count");
  w.Int(seen.count);
  put(w, "lastTimestamp", format_time(seen.last));
  put(w, "message", req.message);
  w.EndObject();
  return text(buf);
}

std::string encode_events_v1_patch(const event_occurrences& seen) {
  rapidjson::StringBuffer buf;
  writer w(buf);
  w.StartObject();
  put(w, "series");
  w.StartObject();
  put(w, "count");
  w.Int(seen.count);
  put(w, "lastObservedTime", format_micro_time(seen.last));
  w.EndObject();
  w.EndObject();
  return text(buf);
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
