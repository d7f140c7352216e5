#include <gtest/gtest.h>

#include "sim/apiserver/json_patch.hpp"
#include "sim/apiserver/strategic_merge.hpp"

namespace porter::sim {
namespace {

json::document doc(const char* text) {
  auto d = json::parse(text);
  EXPECT_TRUE(d) << text;
  return d ? std::move(*d) : json::document{};
}

std::string merged(const char* target, const char* patch) {
  auto t = doc(target);
  auto p = doc(patch);
  apply_merge_patch(t, p, t.GetAllocator());
  return json::to_string(t);
}

// RFC 7386 Appendix A, one row per example.
TEST(SimMergePatch, Rfc7386AppendixA) {
  EXPECT_EQ(merged(R"({"a":"b"})", R"({"a":"c"})"), R"({"a":"c"})");
  EXPECT_EQ(merged(R"({"a":"b"})", R"({"b":"c"})"), R"({"a":"b","b":"c"})");
  EXPECT_EQ(merged(R"({"a":"b"})", R"({"a":null})"), R"({})");
  EXPECT_EQ(merged(R"({"a":"b","b":"c"})", R"({"a":null})"), R"({"b":"c"})");
  EXPECT_EQ(merged(R"({"a":["b"]})", R"({"a":"c"})"), R"({"a":"c"})");
  EXPECT_EQ(merged(R"({"a":"c"})", R"({"a":["b"]})"), R"({"a":["b"]})");
  EXPECT_EQ(merged(R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})"),
            R"({"a":{"b":"d"}})");
  EXPECT_EQ(merged(R"({"a":[{"b":"c"}]})", R"({"a":[1]})"), R"({"a":[1]})");
  EXPECT_EQ(merged(R"(["a","b"])", R"(["c","d"])"), R"(["c","d"])");
  EXPECT_EQ(merged(R"({"e":null})", R"({"a":1})"), R"({"e":null,"a":1})");
  EXPECT_EQ(merged(R"({})", R"({"a":{"bb":{"ccc":null}}})"),
            R"({"a":{"bb":{}}})");
}

tl::expected<std::string, std::string> patched(const char* target,
                                               const char* ops) {
  auto t = doc(target);
  auto o = doc(ops);
  auto r = apply_json_patch(t, o, t.GetAllocator());
  if (!r)
    return tl::make_unexpected(r.error());
  return json::to_string(t);
}

// RFC 6902 Appendix A examples, plus evanphx/json-patch's test-null rule.
TEST(SimJsonPatch, Rfc6902Examples) {
  EXPECT_EQ(
    patched(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])")
      .value(),
    R"({"foo":"bar","baz":"qux"})");
  EXPECT_EQ(patched(R"({"foo":["bar","baz"]})",
                    R"([{"op":"add","path":"/foo/1","value":"qux"}])")
              .value(),
            R"({"foo":["bar","qux","baz"]})");
  EXPECT_EQ(patched(R"({"foo":["bar","qux","baz"]})",
                    R"([{"op":"remove","path":"/foo/1"}])")
              .value(),
            R"({"foo":["bar","baz"]})");
  EXPECT_EQ(patched(R"({"baz":"qux","foo":"bar"})",
                    R"([{"op":"replace","path":"/baz","value":"boo"}])")
              .value(),
            R"({"baz":"boo","foo":"bar"})");
  EXPECT_EQ(
    patched(R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
            R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])")
      .value(),
    R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})");
  EXPECT_EQ(patched(R"({"foo":["bar"]})",
                    R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])")
              .value(),
            R"({"foo":["bar",["abc","def"]]})");
  EXPECT_EQ(patched(R"({"a/b":1,"m~n":2})",
                    R"([{"op":"copy","from":"/a~1b","path":"/m~0n"}])")
              .value(),
            R"({"a/b":1,"m~n":1})");
}

TEST(SimJsonPatch, TestOperation) {
  const char* obj = R"({"metadata":{"finalizers":["a"]}})";
  EXPECT_TRUE(patched(
    obj, R"([{"op":"test","path":"/metadata/finalizers/0","value":"a"}])"));
  EXPECT_FALSE(patched(
    obj, R"([{"op":"test","path":"/metadata/finalizers/0","value":"b"}])"));
  // kube-rs finalizer helper: a missing path tests equal to null.
  EXPECT_TRUE(
    patched(R"({"metadata":{}})",
            R"([{"op":"test","path":"/metadata/finalizers","value":null},)"
            R"({"op":"add","path":"/metadata/finalizers","value":["x"]}])"));
  EXPECT_FALSE(patched(obj, R"([{"op":"remove","path":"/metadata/labels"}])"));
  EXPECT_FALSE(patched(obj, R"([{"op":"add","path":"/a/b","value":1}])"));
  EXPECT_FALSE(patched(obj, R"({"op":"add"})"));
}

std::string smp(const char* target, const char* patch, const char* group,
                const char* kind) {
  auto t = doc(target);
  auto p = doc(patch);
  auto r = apply_strategic_merge_patch(t, p, smp_schema_for(group, kind),
                                       t.GetAllocator());
  EXPECT_TRUE(r) << (r ? "" : r.error());
  return json::to_string(t);
}

// The patch `kubectl apply` sends when a Service port changes 80 -> 81
// (k8s-api.md §5.1).
TEST(SimStrategicMergePatch, KubectlApplyServicePorts) {
  auto out = smp(
    R"({"spec":{"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080,"nodePort":31000}],"type":"LoadBalancer"}})",
    R"({"spec":{"$setElementOrder/ports":[{"port":81}],"ports":[{"name":"http","port":81,"protocol":"TCP","targetPort":8080},{"$patch":"delete","port":80}]}})",
    "", "Service");
  EXPECT_EQ(
    out,
    R"({"spec":{"ports":[{"name":"http","port":81,"protocol":"TCP","targetPort":8080}],"type":"LoadBalancer"}})");
}

TEST(SimStrategicMergePatch, MergeKeysAndDirectives) {
  // Ports merge by key, keeping server-side fields of the same port.
  EXPECT_EQ(
    smp(R"({"spec":{"ports":[{"port":80,"nodePort":30001},{"port":443}]}})",
        R"({"spec":{"ports":[{"port":80,"name":"http"}]}})", "", "Service"),
    R"({"spec":{"ports":[{"port":80,"nodePort":30001,"name":"http"},{"port":443}]}})");
  // metadata.finalizers is a set: SMP adds, $deleteFromPrimitiveList removes.
  EXPECT_EQ(smp(R"({"metadata":{"finalizers":["a"]}})",
                R"({"metadata":{"finalizers":["b","a"]}})", "", "Service"),
            R"({"metadata":{"finalizers":["a","b"]}})");
  EXPECT_EQ(smp(R"({"metadata":{"finalizers":["a","b"]}})",
                R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})",
                "", "Service"),
            R"({"metadata":{"finalizers":["b"]}})");
  // Node conditions merge by type; ingress (no strategy) is replaced.
  EXPECT_EQ(
    smp(
      R"({"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"DiskPressure","status":"False"}]}})",
      R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})", "",
      "Node"),
    R"({"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"DiskPressure","status":"False"}]}})");
  EXPECT_EQ(smp(R"({"status":{"loadBalancer":{"ingress":[{"ip":"1.1.1.1"}]}}})",
                R"({"status":{"loadBalancer":{"ingress":[{"ip":"2.2.2.2"}]}}})",
                "", "Service"),
            R"({"status":{"loadBalancer":{"ingress":[{"ip":"2.2.2.2"}]}}})");
  // $patch: replace on a map, $retainKeys, null deletes.
  EXPECT_EQ(smp(R"({"spec":{"selector":{"a":"1","b":"2"}}})",
                R"({"spec":{"selector":{"$patch":"replace","c":"3"}}})", "",
                "Service"),
            R"({"spec":{"selector":{"c":"3"}}})");
  EXPECT_EQ(smp(R"({"spec":{"x":1,"y":2,"z":3}})",
                R"({"spec":{"$retainKeys":["x","z"],"z":4}})", "", "Service"),
            R"({"spec":{"x":1,"z":4}})");
  EXPECT_EQ(smp(R"({"metadata":{"labels":{"a":"1","b":"2"}}})",
                R"({"metadata":{"labels":{"a":null}}})", "", "Service"),
            R"({"metadata":{"labels":{"b":"2"}}})");
  // Containers by name, their env by name.
  EXPECT_EQ(
    smp(
      R"({"spec":{"containers":[{"name":"a","image":"x","env":[{"name":"K","value":"1"}]}]}})",
      R"({"spec":{"containers":[{"name":"a","env":[{"name":"L","value":"2"}]}]}})",
      "", "Pod"),
    R"({"spec":{"containers":[{"name":"a","image":"x","env":[{"name":"K","value":"1"},{"name":"L","value":"2"}]}]}})");
}

TEST(SimStrategicMergePatch, MissingMergeKeyIsAnError) {
  auto t = doc(R"({"spec":{"ports":[]}})");
  auto p = doc(R"({"spec":{"ports":[{"name":"x"}]}})");
  EXPECT_FALSE(apply_strategic_merge_patch(t, p, smp_schema_for("", "Service"),
                                           t.GetAllocator()));
}

} // namespace
} // namespace porter::sim
