// Protobuf request bodies as kubectl's typed `create configmap|secret|
// namespace` sends them (magic, runtime.Unknown, generated.proto numbers).
#include <gtest/gtest.h>

#include "sim/apiserver/protobuf.hpp"

namespace porter::sim {
namespace {

std::string varint(std::uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  return out + static_cast<char>(v);
}

std::string bytes_field(int number, const std::string& payload) {
  return varint(static_cast<std::uint64_t>(number) << 3 | 2)
         + varint(payload.size()) + payload;
}

std::string entry(const std::string& k, const std::string& v) {
  return bytes_field(1, k) + bytes_field(2, v);
}

std::string envelope(const std::string& kind, const std::string& raw) {
  auto type_meta = bytes_field(1, "v1") + bytes_field(2, kind);
  return std::string("k8s\0", 4) + bytes_field(1, type_meta)
         + bytes_field(2, raw);
}

TEST(SimProtobuf, ConfigMapWithMetadataAndData) {
  // ObjectMeta as gogo-protobuf writes it: empty generateName/namespace too.
  auto meta = bytes_field(1, "cfg") + bytes_field(2, "") + bytes_field(3, "")
              + bytes_field(11, entry("app", "web"));
  auto raw = bytes_field(1, meta) + bytes_field(2, entry("a", "b"))
             + bytes_field(3, entry("bin", "\x01\x02"));
  auto json = protobuf_to_json(envelope("ConfigMap", raw));
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(*json, R"({"kind":"ConfigMap","apiVersion":"v1","metadata":)"
                   R"({"name":"cfg","labels":{"app":"web"}},"data":{"a":"b"},)"
                   R"("binaryData":{"bin":"AQI="}})");
}

TEST(SimProtobuf, SecretBytesAreBase64AndNamespaceFinalizers) {
  auto secret = protobuf_to_json(envelope(
    "Secret", bytes_field(1, bytes_field(1, "s"))
                + bytes_field(2, entry("k", "v")) + bytes_field(3, "Opaque")));
  ASSERT_TRUE(secret);
  EXPECT_EQ(*secret,
            R"({"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},)"
            R"("data":{"k":"dg=="},"type":"Opaque"})");
  auto ns = protobuf_to_json(
    envelope("Namespace", bytes_field(1, bytes_field(1, "team"))
                            + bytes_field(2, bytes_field(1, "kubernetes"))));
  ASSERT_TRUE(ns);
  EXPECT_NE(ns->find(R"("spec":{"finalizers":["kubernetes"]})"),
            std::string::npos);
}

TEST(SimProtobuf, OtherKindsAndGarbageAreRefused) {
  EXPECT_FALSE(protobuf_to_json(envelope("Service", "")));
  EXPECT_FALSE(protobuf_to_json("{}"));
  EXPECT_FALSE(protobuf_to_json(std::string("k8s\0\x0a\xff", 6)));
}

} // namespace
} // namespace porter::sim
