// The CEL subset of the emulator (sim/apiserver/cel.hpp), one row per
// construct of cel-spec langdef.md or Kubernetes library function, with the
// value or the error cel-go gives.
#include <gtest/gtest.h>

#include "sim/apiserver/cel.hpp"

namespace porter::sim::cel {
namespace {

struct row {
  const char* expr;
  const char* want; // "true", "false" or "error: <message>"
  const char* self = "null";
};

json::document doc(const char* text) {
  auto d = json::parse(text);
  EXPECT_TRUE(d) << text;
  return d ? std::move(*d) : json::document{};
}

std::string run(const char* expr, const char* self_json,
                const char* old_json = nullptr,
                const json::value* schema = nullptr) {
  auto p = compile(expr, scope{schema, false});
  if (!p)
    return "compile: " + p.error();
  auto self_doc = doc(self_json);
  value self = from_json(self_doc, scope{schema, false});
  value old;
  json::document old_doc;
  if (old_json != nullptr) {
    old_doc = doc(old_json);
    old = from_json(old_doc, scope{schema, false});
  }
  regex_cache re;
  auto r = evaluate(*p, activation{&self, old_json ? &old : nullptr}, re);
  if (!r)
    return "error: " + r.error().message;
  if (r->type() != kind::bool_type)
    return "not a bool";
  return r->as_bool() ? "true" : "false";
}

void check_rows(const std::vector<row>& rows) {
  for (const auto& r : rows)
    EXPECT_EQ(run(r.expr, r.self), r.want) << r.expr;
}

TEST(Cel, Literals) {
  check_rows({
    {"1 == 1", "true"},
    {"1u == 1u", "true"},
    {"0x10 == 16", "true"},
    {"1.5e1 == 15.0", "true"},
    {"-9223372036854775808 < 0", "true"},
    {"'a' == \"a\"", "true"},
    {"'''a\nb''' == 'a\\nb'", "true"},
    {"r'\\d' == '\\\\d'", "true"},
    {"'\\x41\\101\\u00e9' == 'AA\u00e9'", "true"},
    {"'\u00e9t\u00e9'.size() == 3", "true"}, // code points, not bytes
    {"null == null", "true"},
    {"true != false", "true"},
  });
}

TEST(Cel, ListsAndMaps) {
  check_rows({
    {"[1, 2, 3][1] == 2", "true"},
    {"[1, 2][2] == 0", "error: index out of bounds: 2"},
    {"{'a': 1}['a'] == 1", "true"},
    {"{'a': 1}['b'] == 1", "error: no such key: b"},
    {"{'a': 1}.a == 1", "true"},
    {"size([1, 2]) == 2 && [1, 2].size() == 2", "true"},
    {"size({'a': 1}) == 1", "true"},
    {"2 in [1, 2] && !(3 in [1, 2])", "true"},
    {"'a' in {'a': 1}", "true"},
    {"[1] + [2] == [1, 2]", "true"},
    {"[1, [2]] == [1, [2]] && {'a': [1]} == {'a': [1]}", "true"},
  });
}

TEST(Cel, Arithmetic) {
  check_rows({
    {"7 / 2 == 3 && -7 / 2 == -3 && 7 % 3 == 1", "true"},
    {"2.0 * 3.0 == 6.0 && 1.0 / 4.0 == 0.25", "true"},
    {"3u - 1u == 2u", "true"},
    {"'a' + 'b' == 'ab'", "true"},
    {"-(1) == 0 - 1", "true"},
    {"1 / 0 == 1", "error: division by zero"},
    {"1 % 0 == 1", "error: modulus by zero"},
    {"9223372036854775807 + 1 > 0", "error: integer overflow"},
    {"0u - 1u > 0u", "error: unsigned integer overflow"},
    {"(-9223372036854775807 - 1) / -1 > 0", "error: integer overflow"},
    {"dyn(1) + dyn(1u) == 2", "error: no such overload"},
  });
}

TEST(Cel, Comparisons) {
  check_rows({
    {"1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3", "true"},
    {"1 < 1.5 && 2u > 1", "true"}, // numbers compare across types
    {"1 == 1.0 && 1u == 1", "true"},
    {"'a' < 'b' && 'ab' > 'a'", "true"},
    {"false < true", "true"},
    {"dyn(1) != 'a'", "true"},
    {"dyn('a') < 1", "error: no such overload"},
  });
}

TEST(Cel, LogicAbsorbsErrorsLikeCelGo) {
  check_rows({
    // cel-spec: && and || are commutative; a decisive side wins.
    {"true || 1 / 0 == 1", "true"},
    {"1 / 0 == 1 || true", "true"},
    {"false && 1 / 0 == 1", "false"},
    {"1 / 0 == 1 && false", "false"},
    {"1 / 0 == 1 && true", "error: division by zero"},
    {"!false && !!true", "true"},
    {"(true ? 1 : 2) == 1 && (false ? 1 : 2) == 2", "true"},
    {"(true ? 1 : 1 / 0) == 1", "true"}, // the other branch is not run
  });
}

TEST(Cel, SelfFieldsAndHas) {
  const char* obj = R"({"spec":{"address":"10.0.0.1","ports":[80]}})";
  check_rows({
    {"self.spec.address == '10.0.0.1'", "true", obj},
    {"has(self.spec.address) && !has(self.spec.interface)", "true", obj},
    {"self.spec.interface == 'eth0'", "error: no such key: interface", obj},
    {"self.spec.ports[0] == 80", "true", obj},
    {"self.spec['address'] == '10.0.0.1'", "true", obj},
    // Kubernetes escapes property names that are not CEL identifiers.
    {"self.a__dash__b == 1 && self.__in__ == 2 && self.x__dot__y == 3", "true",
     R"({"a-b":1,"in":2,"x.y":3})"},
  });
}

TEST(Cel, Functions) {
  check_rows({
    {"'abc'.startsWith('ab') && 'abc'.endsWith('bc')", "true"},
    {"'abc'.contains('b') && !'abc'.contains('d')", "true"},
    {"'10.0.0.1'.matches('^[0-9.]+$')", "true"},
    {"matches('xabcx', 'b')", "true"}, // RE2 MatchString: a search
    {"'a'.matches('(' + '')",
     "error: error parsing regexp: invalid pattern: `(`"},
    {"'a-b'.split('-') == ['a', 'b']", "true"},
    {"'a-b-c'.split('-', 2) == ['a', 'b-c']", "true"},
    {"'ab'.split('') == ['a', 'b'] && ''.split('-') == ['']", "true"},
    {"['a', 'b'].join('-') == 'a-b' && ['a'].join() == 'a'", "true"},
    {"int('42') == 42 && int(2.9) == 2 && int(3u) == 3", "true"},
    {"int('x') == 1", "error: strconv.ParseInt: parsing \"x\": invalid syntax"},
    {"uint(1) == 1u && double(1) == 1.0", "true"},
    {"uint(-1) == 1u", "error: range error converting -1 to uint"},
    {"string(42) == '42' && string(1.5) == '1.5' && string(true) == 'true'",
     "true"},
    {"'AbC'.lowerAscii() == 'abc' && 'AbC'.upperAscii() == 'ABC'", "true"},
    {"'  x '.trim() == 'x'", "true"},
    {"'abcd'.substring(1, 3) == 'bc' && 'abcd'.substring(2) == 'cd'", "true"},
    {"'abc'.indexOf('c') == 2 && 'abc'.indexOf('z') == -1", "true"},
    {"'aaa'.replace('a', 'b', 2) == 'bba' && 'aa'.replace('a', 'c') == 'cc'",
     "true"},
    {"'abc'.charAt(1) == 'b'", "true"},
    {"[1, 2, 2].isSorted() && ![2, 1].isSorted()", "true"},
    {"[1, 2].sum() == 3 && [3, 1].min() == 1 && [3, 1].max() == 3", "true"},
    {"size('abc') == 3 && 'abc'.size() == 3", "true"},
  });
}

TEST(Cel, Macros) {
  check_rows({
    {"[1, 2, 3].all(x, x > 0)", "true"},
    {"[1, 2, 3].exists(x, x == 2)", "true"},
    {"[1, 2, 3].exists_one(x, x > 2)", "true"},
    {"[1, 2, 3].map(x, x * 2) == [2, 4, 6]", "true"},
    {"[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]", "true"},
    {"[1, 2, 3].filter(x, x > 1) == [2, 3]", "true"},
    {"{'a': 1}.all(k, k == 'a')", "true"},
    {"[[1, 2]].map(l, l.map(x, x + 1)) == [[2, 3]]", "true"},
    // An element that decides the result wins over another's error.
    {"[0, 1].exists(x, 1 / x > 0)", "true"},
    {"[0, 1].all(x, 1 / x > 0)", "error: division by zero"},
  });
}

TEST(Cel, TransitionRulesSeeOldSelf) {
  EXPECT_EQ(run("self == oldSelf", "\"a\"", "\"a\""), "true");
  EXPECT_EQ(run("self == oldSelf", "\"b\"", "\"a\""), "false");
  auto p = compile("self == oldSelf", scope{});
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->uses_old_self());
  EXPECT_FALSE(compile("self == 'a'", scope{})->uses_old_self());
}

struct compile_row {
  const char* expr;
  const char* error; // the start of the compile error
};

TEST(Cel, CompileErrorsAreCelGoIssues) {
  auto schema = doc(R"({"type":"object","properties":{
    "spec":{"type":"object","properties":{"address":{"type":"string"}}}}})");
  std::vector<compile_row> rows = {
    {"self.spec.adress == ''", "ERROR: <input>:1:11: undefined field 'adress'\n"
                               " | self.spec.adress == ''\n"
                               " | ..........^"},
    {"foo == 1", "ERROR: <input>:1:1: undeclared reference to 'foo' (in "
                 "container '')"},
    {"self.spec.address.nope()",
     "ERROR: <input>:1:19: undeclared reference to 'nope'"},
    {"size(1, 2) == 1", "ERROR: <input>:1:1: found no matching overload for "
                        "'size' applied to '(int, int)'"},
    {"1 + 'a' == 2", "ERROR: <input>:1:3: found no matching overload for "
                     "'_+_' applied to '(int, string)'"},
    {"self.spec.address", "cel expression must evaluate to a bool"},
    {"self.spec.address.matches('(')",
     "ERROR: <input>:1:27: invalid regular expression '('"},
    {"self.", "ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' "
              "expecting IDENTIFIER"},
    {"1 +", "ERROR: <input>:1:4: Syntax error: mismatched input '<EOF>' "
            "expecting an expression"},
    {"b'x' == b'x'", "ERROR: <input>:1:1: Syntax error: bytes literals"},
    {"'a\\q' == 'a'", "ERROR: <input>:1:3: Syntax error: invalid escape"},
    {"has(self) == true", "ERROR: <input>:1:1: invalid argument to has()"},
    {"[1].all(1, true)", "ERROR: <input>:1:9: argument must be a simple name"},
    {"if == 1", "ERROR: <input>:1:1: Syntax error: reserved identifier: if"},
  };
  for (const auto& r : rows) {
    auto p = compile(r.expr, scope{&schema, false});
    ASSERT_FALSE(p) << r.expr;
    EXPECT_EQ(p.error().substr(0, std::string(r.error).size()), r.error)
      << r.expr;
  }
}

TEST(Cel, ResourceRootShowsOnlyNameOfMetadata) {
  auto schema = doc(R"({"type":"object","properties":{
    "metadata":{"type":"object"},"spec":{"type":"object"}}})");
  auto obj = doc(R"({"apiVersion":"v1","kind":"X",
    "metadata":{"name":"a","labels":{"x":"y"}},"spec":{}})");
  EXPECT_FALSE(compile("self.metadata.labels.x == 'y'", scope{&schema, true}));
  auto p = compile("self.metadata.name == 'a' && self.kind == 'X'",
                   scope{&schema, true});
  ASSERT_TRUE(p) << p.error();
  value self = from_json(obj, scope{&schema, true});
  regex_cache re;
  auto r = evaluate(*p, activation{&self, nullptr}, re);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->as_bool());
  EXPECT_EQ(self.find("metadata")->find("labels"), nullptr);
}

TEST(Cel, SchemaTypesTheValues) {
  // "number" is always a double, "integer" an int (Kubernetes' CEL types).
  auto schema = doc(R"({"type":"object","properties":{
    "n":{"type":"number"},"i":{"type":"integer"}}})");
  auto obj = doc(R"({"n":1,"i":1})");
  value v = from_json(obj, scope{&schema, false});
  EXPECT_EQ(v.find("n")->type(), kind::double_type);
  EXPECT_EQ(v.find("i")->type(), kind::int_type);
}

TEST(Cel, LongMatchInputIsAnErrorNotACrash) {
  std::string long_value = "\"" + std::string(100000, 'a') + "\"";
  EXPECT_EQ(run("self.matches('^(a|b)*$')", long_value.c_str()),
            "error: regex input of 100000 bytes is over the emulator's limit "
            "of 4096");
}

TEST(Cel, DeepNestingIsASyntaxErrorNotACrash) {
  std::string deep(5000, '(');
  deep += "true";
  deep += std::string(5000, ')');
  EXPECT_FALSE(compile(deep, scope{}));
  std::string nots(5000, '!');
  EXPECT_FALSE(compile(nots + "true", scope{}));
}

} // namespace
} // namespace porter::sim::cel
