// CRD validation rules in the emulator with Kubernetes' semantics
// (Kubernetes docs "Validation rules"; apiextensions schema/cel/
// validation.go): self bound per schema node, transition rules only on
// updates with a correlated old value, ratcheting of unchanged values,
// rules blocked by schema errors, runtime errors, and CRDs whose rules do
// not compile refused with the rule's path.
#include "sim_test_client.hpp"

namespace porter::sim {
namespace {

using testing::at;
using testing::test_client;

constexpr const char* crds
  = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
constexpr const char* widgets = "/apis/example.com/v1/widgets";

std::string crd_with(const std::string& spec_schema) {
  return R"j({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
 "metadata":{"name":"widgets.example.com"},
 "spec":{"group":"example.com","scope":"Cluster",
  "names":{"kind":"Widget","plural":"widgets","singular":"widget","listKind":"WidgetList"},
  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
   "schema":{"openAPIV3Schema":{"type":"object",
    "x-kubernetes-validations":[{"rule":"self.metadata.name.startsWith('w')","message":"names start with w"}],
    "properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},
     "metadata":{"type":"object"},"status":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
     "spec":)j"
         + spec_schema + "}}}}]}}";
}

const std::string spec_schema = R"j({"type":"object",
  "x-kubernetes-validations":[{"rule":"!has(self.min) || !has(self.max) || self.min <= self.max"}],
  "properties":{
   "name":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"name is immutable"}]},
   "min":{"type":"integer"},"max":{"type":"integer"},"size":{"type":"string"},
   "items":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["key"],
    "items":{"type":"object","required":["key"],"properties":{"key":{"type":"string"},
     "v":{"type":"integer","x-kubernetes-validations":[{"rule":"self >= oldSelf","message":"v may only grow"}]}}}},
   "deep":{"type":"object","x-kubernetes-validations":[{"rule":"self.a.b == 'x'"}],
    "properties":{"a":{"type":"object","properties":{"b":{"type":"string"}}}}}}})j";

std::string widget(const std::string& name, const std::string& spec) {
  return R"j({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":")j"
         + name + R"j("},"spec":)j" + spec + "}";
}

test_client& with_widgets(test_client& t) {
  auto r = t.post(crds, crd_with(spec_schema));
  EXPECT_EQ(r.code, 201) << r.body;
  return t;
}

std::string message(const api_response& r) {
  return at(r.body, {"message"});
}

api_response merge(test_client& t, const std::string& name,
                   const std::string& patch) {
  return t.patch(std::string(widgets) + "/" + name, patch,
                 "application/merge-patch+json");
}

TEST(SimCelRules, RulesRunOnCreateWithTheirMessageOrTheRule) {
  test_client t;
  with_widgets(t);
  EXPECT_EQ(
    t.post(widgets, widget("w1", R"j({"name":"a","min":1,"max":2})j")).code,
    201);
  auto root = t.post(widgets, widget("x1", "{}"));
  EXPECT_EQ(message(root), "Widget.example.com \"x1\" is invalid: <nil>: "
                           "Invalid value: \"object\": names start with w");
  auto spec = t.post(widgets, widget("w2", R"j({"min":3,"max":2})j"));
  EXPECT_EQ(message(spec),
            "Widget.example.com \"w2\" is invalid: spec: Invalid value: "
            "\"object\": failed rule: !has(self.min) || !has(self.max) || "
            "self.min <= self.max");
  auto runtime = t.post(widgets, widget("w3", R"j({"deep":{"a":{}}})j"));
  EXPECT_NE(message(runtime).find(
              "spec.deep: Invalid value: \"object\": no such key: b "
              "evaluating rule: self.a.b == 'x'"),
            std::string::npos)
    << message(runtime);
}

TEST(SimCelRules, TransitionRulesRunOnlyOnUpdatesWithAnOldValue) {
  test_client t;
  with_widgets(t);
  ASSERT_EQ(t.post(widgets, widget("w1", R"j({"name":"a"})j")).code, 201);
  auto changed = merge(t, "w1", R"j({"spec":{"name":"b"}})j");
  EXPECT_EQ(changed.code, 422);
  EXPECT_EQ(message(changed),
            "Widget.example.com \"w1\" is invalid: spec.name: Invalid value: "
            "\"string\": name is immutable");
  EXPECT_EQ(merge(t, "w1", R"j({"spec":{"min":1}})j").code, 200);
  // No old value: a field set for the first time passes.
  ASSERT_EQ(t.post(widgets, widget("w2", "{}")).code, 201);
  EXPECT_EQ(merge(t, "w2", R"j({"spec":{"name":"z"}})j").code, 200);
}

TEST(SimCelRules, MapListItemsCorrelateByKey) {
  test_client t;
  with_widgets(t);
  ASSERT_EQ(
    t.post(widgets, widget("w1", R"j({"items":[{"key":"a","v":1}]})j")).code,
    201);
  auto shrink = merge(t, "w1", R"j({"spec":{"items":[{"key":"a","v":0}]}})j");
  EXPECT_NE(message(shrink).find("spec.items[0].v: Invalid value: "
                                 "\"integer\": v may only grow"),
            std::string::npos)
    << message(shrink);
  // "b" is new (no old value); "a" moved to index 1 and grew.
  EXPECT_EQ(
    merge(t, "w1",
          R"j({"spec":{"items":[{"key":"b","v":0},{"key":"a","v":2}]}})j")
      .code,
    200);
}

TEST(SimCelRules, SchemaErrorsBlockTheRules) {
  test_client t;
  with_widgets(t);
  auto r = t.post(widgets, widget("x1", R"j({"min":"one"})j"));
  ASSERT_EQ(r.code, 422);
  EXPECT_NE(message(r).find("spec.min: Invalid value: \"string\": spec.min in "
                            "body must be of type integer"),
            std::string::npos);
  EXPECT_NE(message(r).find("<nil>: Invalid value: \"null\": some validation "
                            "rules were not checked because the object was "
                            "invalid; correct the existing errors to complete "
                            "validation"),
            std::string::npos)
    << message(r);
  EXPECT_EQ(message(r).find("names start with w"), std::string::npos);
}

TEST(SimCelRules, UnchangedValuesAreRatcheted) {
  test_client t;
  with_widgets(t);
  ASSERT_EQ(t.post(widgets, widget("w1", R"j({"size":"long"})j")).code, 201);
  // A stricter CRD: existing objects keep their value (Kubernetes 1.30+).
  auto add = t.patch(
    std::string(crds) + "/widgets.example.com",
    R"j([{"op":"add","path":"/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size/x-kubernetes-validations","value":[{"rule":"self.size() < 3","message":"short"}]}])j",
    "application/json-patch+json");
  ASSERT_EQ(add.code, 200) << add.body;
  EXPECT_EQ(merge(t, "w1", R"j({"spec":{"min":1}})j").code, 200);
  auto grow = merge(t, "w1", R"j({"spec":{"size":"longer"}})j");
  EXPECT_NE(message(grow).find("spec.size: Invalid value: \"string\": short"),
            std::string::npos)
    << message(grow);
  EXPECT_EQ(t.post(widgets, widget("w2", R"j({"size":"long"})j")).code, 422);
}

TEST(SimCelRules, CrdsWhoseRulesDoNotCompileAreRefused) {
  test_client t;
  auto r = t.post(crds, crd_with(R"j({"type":"object",
    "properties":{"a":{"type":"string"}},
    "x-kubernetes-validations":[{"rule":"self.nope == 1"}]})j"));
  ASSERT_EQ(r.code, 422);
  EXPECT_NE(
    r.body.find(
      R"j("field":"spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule")j"),
    std::string::npos)
    << r.body;
  EXPECT_NE(message(r).find(
              "Invalid value: apiextensions.ValidationRule{Rule:\"self.nope "
              "== 1\", Message:\"\"}: compilation failed: ERROR: <input>:1:6: "
              "undefined field 'nope'"),
            std::string::npos)
    << message(r);

  auto list = t.post(crds, crd_with(R"j({"type":"object","properties":{
    "tags":{"type":"array","items":{"type":"string",
      "x-kubernetes-validations":[{"rule":"self == oldSelf"}]}}}})j"));
  EXPECT_NE(message(list).find(
              "oldSelf cannot be used on the uncorrelatable portion of the "
              "schema within spec.versions[0].schema.openAPIV3Schema."
              "properties[spec].properties[tags]"),
            std::string::npos)
    << message(list);

  auto lines = t.post(crds, crd_with(R"j({"type":"object",
    "x-kubernetes-validations":[{"rule":"true &&\ntrue"}]})j"));
  EXPECT_NE(message(lines).find("x-kubernetes-validations[0].message: "
                                "Required value: message must be specified "
                                "if rule contains line breaks"),
            std::string::npos)
    << message(lines);
  EXPECT_EQ(t.get(widgets).code, 404); // none of them was created
}

} // namespace
} // namespace porter::sim
