// YAML manifests to API JSON (sim/scenario/yaml_json.hpp; issue #10): the
// YAML 1.2 core schema for plain scalars (§10.3.2), quoted scalars stay
// strings, documents split on "---", errors with line and column.
#include <gtest/gtest.h>

#include "sim/scenario/yaml_json.hpp"

namespace porter::sim {
namespace {

std::string one(const char* yaml) {
  auto docs = yaml_documents_to_json(yaml);
  EXPECT_TRUE(docs) << (docs ? "" : docs.error());
  EXPECT_EQ(docs ? docs->size() : 0U, 1U);
  return docs && !docs->empty() ? docs->front() : "";
}

TEST(YamlJson, CoreSchemaScalars) {
  struct row {
    const char* yaml;
    const char* json;
  };
  const row rows[] = {
    {"a: 1", R"({"a":1})"},
    {"a: -17", R"({"a":-17})"},
    {"a: 0x1f", R"({"a":31})"},
    {"a: 0o17", R"({"a":15})"},
    {"a: 1.5", R"({"a":1.5})"},
    {"a: true\nb: False", R"({"a":true,"b":false})"},
    {"a: null\nb: ~\nc:", R"({"a":null,"b":null,"c":null})"},
    {"a: \"80\"\nb: '1.5'\nc: 'true'", R"({"a":"80","b":"1.5","c":"true"})"},
    {"a: 10.0.0.1", R"({"a":"10.0.0.1"})"},
    {"a: 10.200.0.10-10.200.0.19", R"({"a":"10.200.0.10-10.200.0.19"})"},
    {"a: fd00::1", R"({"a":"fd00::1"})"},
    {"a: [1, x, {b: c}]", R"({"a":[1,"x",{"b":"c"}]})"},
    {"a: |\n  line\n", R"({"a":"line\n"})"},
    {"a: \"quote \\\" and \\\\\"", R"({"a":"quote \" and \\"})"},
  };
  for (const auto& r : rows)
    EXPECT_EQ(one(r.yaml), r.json) << r.yaml;
}

TEST(YamlJson, DocumentsAndErrors) {
  auto docs = yaml_documents_to_json(
    "---\nkind: A\n---\n# only a comment\n---\nkind: B\n");
  ASSERT_TRUE(docs);
  EXPECT_EQ(*docs,
            (std::vector<std::string>{R"({"kind":"A"})", R"({"kind":"B"})"}));
  auto bad = yaml_documents_to_json("kind: A\nspec:\n  a: [1, 2\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().rfind("line ", 0), 0U) << bad.error();
}

} // namespace
} // namespace porter::sim
