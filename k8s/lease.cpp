#include "k8s/lease.hpp"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "k8s/object_writer.hpp"

namespace porter::k8s {

namespace {

using detail::json_writer;

/// Days since 1970-01-01 → civil date (H. Hinnant's days_from_civil
/// inverse; proleptic Gregorian, valid for any int64 day count we meet).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m,
                     unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

std::string format_utc(std::chrono::system_clock::time_point t, bool micros) {
  using namespace std::chrono;
  const auto us = floor<microseconds>(t).time_since_epoch().count();
  constexpr std::int64_t us_per_day = 86'400'000'000;
  std::int64_t days = us / us_per_day;
  std::int64_t rest = us % us_per_day;
  if (rest < 0)
    rest += us_per_day, --days;
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(days, year, month, day);
  const auto secs = rest / 1'000'000;
  char buf[64];
  int n = std::snprintf(
    buf, sizeof buf, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d", year, month, day,
    static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
    static_cast<int>(secs % 60));
  if (micros)
    n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n),
                       ".%06d", static_cast<int>(rest % 1'000'000));
  return std::string(buf, static_cast<std::size_t>(n)) + "Z";
}

void write_spec(json_writer& w, const leader_election_record& r,
                std::string_view strategy, std::string_view preferred_holder) {
  w.begin_object("spec");
  // Go's LeaseSpec field order; LeaderElectionRecordToLeaseSpec sets the
  // first five pointers always, so holderIdentity "" is written.
  w.member("holderIdentity", r.holder_identity);
  w.member("leaseDurationSeconds", r.lease_duration_seconds);
  w.str("acquireTime", r.acquire_time);
  w.str("renewTime", r.renew_time);
  w.member("leaseTransitions", r.leader_transitions);
  w.str("strategy", strategy);
  w.str("preferredHolder", preferred_holder);
  w.end_object();
}

constexpr std::string_view lease_api_version = "coordination.k8s.io/v1";

/// The cached Lease's metadata as LeaseLock.Update sends it back.
void write_cached_metadata(json_writer& w, const object_meta& m) {
  w.begin_object("metadata");
  w.member("name", m.name);
  w.str("namespace", m.namespace_);
  w.str("uid", m.uid);
  // §2.2: Leases disallow unconditional update; this is the precondition.
  w.member("resourceVersion", m.resource_version);
  w.str("creationTimestamp", m.creation_timestamp);
  w.pairs("labels", m.labels);
  w.pairs("annotations", m.annotations);
  w.strings("finalizers", m.finalizers);
  w.end_object();
}

/// An int32 member of the spec; Go rejects values outside int32.
decoded<std::optional<int>> int32_member(const json_at& spec,
                                         std::string_view key) {
  auto v = spec.optional_int64(key);
  if (!v)
    return tl::make_unexpected(v.error());
  if (!*v)
    return std::optional<int>{};
  if (**v < std::numeric_limits<std::int32_t>::min()
      || **v > std::numeric_limits<std::int32_t>::max()) {
    auto m = spec.required(key);
    return tl::make_unexpected(m->error("out of range for int32"));
  }
  return std::optional<int>{static_cast<int>(**v)};
}

/// TypeMeta may be absent (LIST items) but, when present, must name a
/// coordination.k8s.io/v1 Lease.
decoded<void> check_type_meta(const json_at& object) {
  for (auto [key, want] : {std::pair{"apiVersion", lease_api_version},
                           std::pair{"kind", kind_info<lease>::kind}}) {
    auto v = object.optional_string(key);
    if (!v)
      return tl::make_unexpected(v.error());
    if (*v && **v != want)
      return tl::make_unexpected(object.required(key)->error(
        "expected " + std::string{want} + ", found " + **v));
  }
  return {};
}

decoded<lease_spec> decode_spec(const json_at& spec) {
  lease_spec s;
  for (auto [key, field] :
       {std::pair{"holderIdentity", &s.holder_identity},
        std::pair{"acquireTime", &s.acquire_time},
        std::pair{"renewTime", &s.renew_time},
        std::pair{"strategy", &s.strategy},
        std::pair{"preferredHolder", &s.preferred_holder}}) {
    auto v = spec.optional_string(key);
    if (!v)
      return tl::make_unexpected(v.error());
    *field = std::move(*v);
  }
  for (auto [key, field] :
       {std::pair{"leaseDurationSeconds", &s.lease_duration_seconds},
        std::pair{"leaseTransitions", &s.lease_transitions}}) {
    auto v = int32_member(spec, key);
    if (!v)
      return tl::make_unexpected(v.error());
    *field = *v;
  }
  return s;
}

} // namespace

bool operator==(const leader_election_record& a,
                const leader_election_record& b) {
  return a.holder_identity == b.holder_identity
         && a.lease_duration_seconds == b.lease_duration_seconds
         && a.acquire_time == b.acquire_time && a.renew_time == b.renew_time
         && a.leader_transitions == b.leader_transitions
         && a.strategy == b.strategy
         && a.preferred_holder == b.preferred_holder;
}

leader_election_record to_record(const lease_spec& spec) {
  leader_election_record r;
  r.holder_identity = spec.holder_identity.value_or("");
  r.lease_duration_seconds = spec.lease_duration_seconds.value_or(0);
  r.acquire_time = spec.acquire_time.value_or("");
  r.renew_time = spec.renew_time.value_or("");
  r.leader_transitions = spec.lease_transitions.value_or(0);
  r.strategy = spec.strategy.value_or("");
  r.preferred_holder = spec.preferred_holder.value_or("");
  return r;
}

std::string canonical_record(const leader_election_record& r) {
  json_writer w;
  w.begin_object();
  w.member("holderIdentity", r.holder_identity);
  w.member("leaseDurationSeconds", r.lease_duration_seconds);
  w.member("acquireTime", r.acquire_time);
  w.member("renewTime", r.renew_time);
  w.member("leaderTransitions", r.leader_transitions);
  w.member("strategy", r.strategy);
  w.member("preferredHolder", r.preferred_holder);
  w.end_object();
  return w.take();
}

template <>
decoded<lease> decode<lease>(const json_at& object) {
  if (auto t = check_type_meta(object); !t)
    return tl::make_unexpected(t.error());
  auto meta = decode_object_meta(object);
  if (!meta)
    return tl::make_unexpected(meta.error());
  lease l;
  l.metadata = std::move(*meta);
  auto spec = object.member("spec");
  if (!spec)
    return tl::make_unexpected(spec.error());
  if (*spec) {
    auto s = decode_spec(**spec);
    if (!s)
      return tl::make_unexpected(s.error());
    l.spec = std::move(*s);
  }
  return l;
}

std::string encode_lease_for_create(std::string_view name,
                                    std::string_view namespace_,
                                    const leader_election_record& record) {
  json_writer w;
  detail::begin_named(w, kind_info<lease>::kind, lease_api_version, name,
                      namespace_);
  write_spec(w, record, record.strategy, record.preferred_holder);
  w.end_object();
  return w.take();
}

std::string encode_lease_for_update(const lease& cached,
                                    const leader_election_record& record) {
  json_writer w;
  w.begin_object();
  w.member("kind", kind_info<lease>::kind);
  w.member("apiVersion", lease_api_version);
  write_cached_metadata(w, cached.metadata);
  write_spec(w, record,
             !record.strategy.empty() ? record.strategy
                                      : cached.spec.strategy.value_or(""),
             !record.preferred_holder.empty()
               ? record.preferred_holder
               : cached.spec.preferred_holder.value_or(""));
  w.end_object();
  return w.take();
}

std::string format_micro_time(std::chrono::system_clock::time_point t) {
  return format_utc(t, true);
}

std::string format_time(std::chrono::system_clock::time_point t) {
  return format_utc(t, false);
}

} // namespace porter::k8s
