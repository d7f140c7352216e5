// coordination.k8s.io/v1 Lease as client-go's LeaseLock uses it
// (k8s-api.md §3.1): decode, the leader-election record it carries, and the
// two write bodies — POST for Create, PUT of the cached object (its
// resourceVersion is the optimistic-concurrency precondition, §2.2) for
// Update. Also the meta/v1 time formats (Time, MicroTime). Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "k8s/json_reader.hpp"
#include "k8s/object_meta.hpp"

namespace porter::k8s {

/// LeaseSpec; every field is a pointer in Go, so absent stays absent.
struct lease_spec {
  std::optional<std::string> holder_identity;
  std::optional<int> lease_duration_seconds;
  std::optional<std::string> acquire_time; ///< MicroTime text, verbatim
  std::optional<std::string> renew_time;   ///< MicroTime text, verbatim
  std::optional<int> lease_transitions;
  /// Coordinated leader election (alpha): never interpreted, preserved.
  std::optional<std::string> strategy;
  std::optional<std::string> preferred_holder;
};

struct lease {
  object_meta metadata;
  lease_spec spec;
};

/// client-go's resourcelock.LeaderElectionRecord: what the election reads
/// from and writes into a LeaseSpec. Times stay text: they are only ever
/// compared for change, never against a local clock (§3.3 clock skew).
struct leader_election_record {
  std::string holder_identity;
  int lease_duration_seconds = 0;
  std::string acquire_time; ///< "" when unset
  std::string renew_time;   ///< "" when unset
  int leader_transitions = 0;
  std::string strategy;
  std::string preferred_holder;

  friend bool operator==(const leader_election_record& a,
                         const leader_election_record& b);
};

/// LeaseSpecToLeaderElectionRecord: absent fields read as zero values.
leader_election_record to_record(const lease_spec& spec);

/// The record's canonical serialization (client-go compares
/// json.Marshal(record) bytes to notice a renewal): keys holderIdentity,
/// leaseDurationSeconds, acquireTime, renewTime, leaderTransitions,
/// strategy, preferredHolder in that order. Times stay verbatim: client-go's
/// record holds metav1.Time (whole seconds), so porter also notices a
/// sub-second renewal, which can only make a follower wait longer.
std::string canonical_record(const leader_election_record& r);

/// The primary templates, as k8s/objects.hpp declares them.
template <class T>
decoded<T> decode(const json_at& object);

template <class T>
struct kind_info;

/// A Lease object (metadata.name required; spec optional).
template <>
decoded<lease> decode<lease>(const json_at& object);

template <>
struct kind_info<lease> {
  static constexpr std::string_view api_group = "coordination.k8s.io";
  static constexpr std::string_view version = "v1";
  static constexpr std::string_view plural = "leases";
  static constexpr std::string_view kind = "Lease";
  static constexpr bool namespaced = true;
};

/// LeaseLock.Create's body: metadata{name, namespace} plus the spec of
/// LeaderElectionRecordToLeaseSpec (first five fields always present).
std::string encode_lease_for_create(std::string_view name,
                                    std::string_view namespace_,
                                    const leader_election_record& record);

/// LeaseLock.Update's body: the cached Lease with its metadata (name,
/// namespace, uid, resourceVersion, creationTimestamp, labels,
/// annotations, finalizers) and the record as spec; the cached strategy and
/// preferredHolder are kept (the record's win when set).
std::string encode_lease_for_update(const lease& cached,
                                    const leader_election_record& record);

/// meta/v1 MicroTime: "2026-11-26T22:20:53.492026Z" (UTC, microseconds,
/// truncated like Go's Format).
std::string format_micro_time(std::chrono::system_clock::time_point t);

/// meta/v1 Time: "2026-11-26T22:20:53Z" (RFC 3339, whole seconds).
std::string format_time(std::chrono::system_clock::time_point t);

} // namespace porter::k8s
