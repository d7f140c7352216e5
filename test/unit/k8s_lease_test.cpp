// coordination.k8s.io/v1 Lease: decode, the PUT/POST bodies of client-go's
// LeaseLock (k8s-api.md §3.1), and meta/v1 time formats.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "k8s/lease.hpp"

namespace porter::k8s {
namespace {

using std::chrono::system_clock;

system_clock::time_point at_ns(long long ns) {
  return system_clock::time_point{
    std::chrono::duration_cast<system_clock::duration>(
      std::chrono::nanoseconds{ns})};
}

decoded<lease> decode_text(const std::string& text) {
  auto doc = parse_json(text);
  if (!doc)
    return tl::make_unexpected(doc.error());
  return decode<lease>(json_at{*doc});
}

// The example Lease of k8s-api.md §3.3, with the alpha fields added.
const std::string example
  = R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease",)"
    R"("metadata":{"name":"porter-manager","namespace":"porter-system",)"
    R"("resourceVersion":"48213","uid":"5b0c","creationTimestamp":)"
    R"("2026-11-26T22:00:00Z","labels":{"app":"porter"}},)"
    R"("spec":{"holderIdentity":"node-1_4f9c","leaseDurationSeconds":15,)"
    R"("acquireTime":"2026-11-26T22:00:00.123456Z",)"
    R"("renewTime":"2026-11-26T22:05:12.654321Z","leaseTransitions":3,)"
    R"("strategy":"OldestEmulationVersion","preferredHolder":"node-2"}})";

TEST(K8sLease, DecodesEveryLeaseSpecField) {
  auto l = decode_text(example);
  ASSERT_TRUE(l) << to_string(l.error());
  EXPECT_EQ(l->metadata.name, "porter-manager");
  EXPECT_EQ(l->metadata.namespace_, "porter-system");
  EXPECT_EQ(l->metadata.resource_version, "48213");
  EXPECT_EQ(l->spec.holder_identity, "node-1_4f9c");
  EXPECT_EQ(l->spec.lease_duration_seconds, 15);
  EXPECT_EQ(l->spec.acquire_time, "2026-11-26T22:00:00.123456Z");
  EXPECT_EQ(l->spec.renew_time, "2026-11-26T22:05:12.654321Z");
  EXPECT_EQ(l->spec.lease_transitions, 3);
  EXPECT_EQ(l->spec.strategy, "OldestEmulationVersion");
  EXPECT_EQ(l->spec.preferred_holder, "node-2");
}

TEST(K8sLease, AbsentSpecFieldsStayAbsentAndReadAsZeroInTheRecord) {
  // LeaseSpecToLeaderElectionRecord: nil pointers leave zero values.
  auto l = decode_text(R"({"metadata":{"name":"x"},"spec":{}})");
  ASSERT_TRUE(l);
  EXPECT_FALSE(l->spec.holder_identity);
  EXPECT_FALSE(l->spec.lease_duration_seconds);
  const leader_election_record r = to_record(l->spec);
  EXPECT_EQ(r.holder_identity, "");
  EXPECT_EQ(r.lease_duration_seconds, 0);
  EXPECT_EQ(r.leader_transitions, 0);
  EXPECT_TRUE(decode_text(R"({"metadata":{"name":"x"}})"));
}

TEST(K8sLease, BadInputIsADecodeErrorWithItsPath) {
  struct row {
    const char* json;
    const char* error;
  } rows[] = {
    {R"({"metadata":{"name":"x"},"spec":{"leaseDurationSeconds":"15"}})",
     "spec.leaseDurationSeconds: expected an integer, found a string"},
    {R"({"metadata":{"name":"x"},"spec":{"leaseTransitions":4294967296}})",
     "spec.leaseTransitions: out of range for int32"},
    {R"({"metadata":{"name":"x"},"spec":{"holderIdentity":7}})",
     "spec.holderIdentity: expected a string, found a number"},
    {R"({"metadata":{"name":"x"},"spec":[]})",
     "spec: expected an object, found an array"},
    {R"({"kind":"ConfigMap","metadata":{"name":"x"}})",
     "kind: expected Lease, found ConfigMap"},
    {R"({"apiVersion":"coordination.k8s.io/v1beta1","metadata":{"name":"x"}})",
     "apiVersion: expected coordination.k8s.io/v1, found "
     "coordination.k8s.io/v1beta1"},
    {R"({"spec":{}})", "metadata: is required"},
  };
  for (const auto& r : rows) {
    auto l = decode_text(r.json);
    ASSERT_FALSE(l) << r.json;
    EXPECT_EQ(to_string(l.error()), r.error) << r.json;
  }
}

TEST(K8sLease, KindInfo) {
  EXPECT_EQ(kind_info<lease>::api_group, "coordination.k8s.io");
  EXPECT_EQ(kind_info<lease>::version, "v1");
  EXPECT_EQ(kind_info<lease>::plural, "leases");
  EXPECT_EQ(kind_info<lease>::kind, "Lease");
  EXPECT_TRUE(kind_info<lease>::namespaced);
}

leader_election_record sample_record() {
  leader_election_record r;
  r.holder_identity = "node-1_4f9c";
  r.lease_duration_seconds = 15;
  r.acquire_time = "2026-11-26T22:20:53.492026Z";
  r.renew_time = "2026-11-26T22:20:53.492026Z";
  r.leader_transitions = 0;
  return r;
}

TEST(K8sLease, CreateBodyIsMetadataAndTheFiveRecordFields) {
  // LeaseLock.Create: metadata{name, namespace} + LeaderElectionRecordTo-
  // LeaseSpec, Go's field order.
  EXPECT_EQ(
    encode_lease_for_create("porter-manager", "porter-system", sample_record()),
    R"({"kind":"Lease","apiVersion":"coordination.k8s.io/v1",)"
    R"("metadata":{"name":"porter-manager","namespace":"porter-system"},)"
    R"("spec":{"holderIdentity":"node-1_4f9c","leaseDurationSeconds":15,)"
    R"("acquireTime":"2026-11-26T22:20:53.492026Z",)"
    R"("renewTime":"2026-11-26T22:20:53.492026Z","leaseTransitions":0}})");
}

TEST(K8sLease, UpdateBodyCarriesCachedMetadataAndKeepsAlphaFields) {
  // LeaseLock.Update PUTs the cached object: its resourceVersion is the
  // precondition (§2.2: a Lease PUT without one is 422).
  auto cached = decode_text(example);
  ASSERT_TRUE(cached);
  leader_election_record released;
  released.lease_duration_seconds = 1;
  released.acquire_time = "2026-11-26T22:30:00.000001Z";
  released.renew_time = "2026-11-26T22:30:00.000001Z";
  released.leader_transitions = 3;
  EXPECT_EQ(
    encode_lease_for_update(*cached, released),
    R"({"kind":"Lease","apiVersion":"coordination.k8s.io/v1",)"
    R"("metadata":{"name":"porter-manager","namespace":"porter-system",)"
    R"("uid":"5b0c","resourceVersion":"48213",)"
    R"("creationTimestamp":"2026-11-26T22:00:00Z","labels":{"app":"porter"}},)"
    R"("spec":{"holderIdentity":"","leaseDurationSeconds":1,)"
    R"("acquireTime":"2026-11-26T22:30:00.000001Z",)"
    R"("renewTime":"2026-11-26T22:30:00.000001Z","leaseTransitions":3,)"
    R"("strategy":"OldestEmulationVersion","preferredHolder":"node-2"}})");
}

TEST(K8sLease, UpdateBodyDecodesBackToTheRecord) {
  auto cached = decode_text(example);
  ASSERT_TRUE(cached);
  auto back = decode_text(encode_lease_for_update(*cached, sample_record()));
  ASSERT_TRUE(back);
  leader_election_record want = sample_record();
  want.strategy = "OldestEmulationVersion";
  want.preferred_holder = "node-2";
  EXPECT_EQ(to_record(back->spec), want);
  EXPECT_EQ(back->metadata.resource_version, "48213");
}

TEST(K8sLease, CanonicalRecordIsTheJsonOfAllRecordFields) {
  // client-go compares json.Marshal(LeaderElectionRecord) bytes.
  EXPECT_EQ(canonical_record(sample_record()),
            R"({"holderIdentity":"node-1_4f9c","leaseDurationSeconds":15,)"
            R"("acquireTime":"2026-11-26T22:20:53.492026Z",)"
            R"("renewTime":"2026-11-26T22:20:53.492026Z",)"
            R"("leaderTransitions":0,"strategy":"","preferredHolder":""})");
  leader_election_record renewed = sample_record();
  renewed.renew_time = "2026-11-26T22:20:55.492026Z";
  EXPECT_NE(canonical_record(renewed), canonical_record(sample_record()));
}

TEST(K8sLease, MicroTimeIsUtcWithSixTruncatedDigits) {
  // "2006-01-02T15:04:05.000000Z07:00" in UTC (k8s-api.md §3.1).
  struct row {
    long long ns;
    const char* micro;
    const char* seconds;
  } rows[] = {
    {1795731653492026123LL, "2026-11-26T22:20:53.492026Z",
     "2026-11-26T22:20:53Z"},
    {1795731653000000999LL, "2026-11-26T22:20:53.000000Z",
     "2026-11-26T22:20:53Z"},
    {1709251199999999999LL, "2024-02-29T23:59:59.999999Z",
     "2024-02-29T23:59:59Z"},
    {946684800000000000LL, "2000-01-01T00:00:00.000000Z",
     "2000-01-01T00:00:00Z"},
    {0, "1970-01-01T00:00:00.000000Z", "1970-01-01T00:00:00Z"},
    {-1000, "1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59Z"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(format_micro_time(at_ns(r.ns)), r.micro) << r.ns;
    EXPECT_EQ(format_time(at_ns(r.ns)), r.seconds) << r.ns;
  }
}

} // namespace
} // namespace porter::k8s
