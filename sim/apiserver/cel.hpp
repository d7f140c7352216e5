// A subset of the Common Expression Language (cel-spec langdef.md) for the
// emulator's CRD `x-kubernetes-validations` rules (Kubernetes "Validation
// rules", k8s-api.md): literals, lists and maps, `self`/`oldSelf`, field
// selection, indexing, the operators and macros of the spec, the standard
// functions and the parts of the Kubernetes libraries (strings, lists) the
// CRDs use. Compiled once per rule (parse + a check against the schema of
// `self`), evaluated per write. Dynamically typed underneath; errors carry
// cel-go's wording so the apiserver messages read like kube-apiserver's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

#include "sim/apiserver/json.hpp"

namespace porter::sim::cel {

class value;
using list = std::vector<value>;
using map_entries = std::vector<std::pair<value, value>>;

/// CEL's runtime types (no bytes, timestamps, durations or protobufs).
enum class kind {
  null_type,
  bool_type,
  int_type,
  uint_type,
  double_type,
  string_type,
  list_type,
  map_type,
};

/// CEL's name of a type, as in `type(x)` and in error messages.
std::string_view type_name(kind k);

/// One immutable CEL value; lists and maps share their elements.
class value {
public:
  value() = default; // null
  static value boolean(bool b);
  static value integer(std::int64_t i);
  static value uinteger(std::uint64_t u);
  static value real(double d);
  static value string(std::string s);
  static value make_list(list items);
  static value make_map(map_entries entries);

  kind type() const { return static_cast<kind>(v_.index()); }
  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  std::uint64_t as_uint() const { return std::get<std::uint64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const list& items() const { return *std::get<list_ptr>(v_); }
  const map_entries& entries() const { return *std::get<map_ptr>(v_); }
  /// The value under `key` in a map, nullptr when absent (or not a map).
  const value* find(const value& key) const;
  const value* find(std::string_view key) const;

private:
  using list_ptr = std::shared_ptr<const list>;
  using map_ptr = std::shared_ptr<const map_entries>;
  std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double,
               std::string, list_ptr, map_ptr>
    v_{nullptr};
};

/// A runtime error: "no such key: x", "index out of bounds: 3",
/// "no such overload", "division by zero", "integer overflow"...
struct error {
  std::string message;
};
using result = tl::expected<value, error>;

/// CEL equality (`==`): numbers compare by value across int/uint/double,
/// other mixed types are unequal; lists and maps element-wise.
bool equal(const value& a, const value& b);
/// CEL ordering for `<` etc.: -1, 0, 1; an error for incomparable types.
tl::expected<int, error> compare(const value& a, const value& b);

/// The parsed expression tree (cel_ast.hpp); opaque outside the engine.
struct node;

/// A compiled rule: the tree and what the checker learnt about it.
class program {
public:
  program(std::shared_ptr<const node> root, bool uses_old_self)
      : root_(std::move(root)), uses_old_self_(uses_old_self) {}
  const node& root() const { return *root_; }
  /// A transition rule: evaluated on updates only, when an old value exists.
  bool uses_old_self() const { return uses_old_self_; }

private:
  std::shared_ptr<const node> root_;
  bool uses_old_self_ = false;
};

/// What `self` is: its OpenAPI schema (nullptr: dynamic) and whether it is a
/// resource root, where `metadata` shows only `name` and `generateName`.
struct scope {
  const json::value* schema = nullptr;
  bool resource_root = false;
};

/// Parses and checks `source`. The error is cel-go's issue text, e.g.
/// "ERROR: <input>:1:6: undefined field 'adress'\n | self.adress\n | .....^".
tl::expected<program, std::string> compile(std::string_view source,
                                           const scope& self);

/// Compiled regular expressions for `matches()` (RE2 syntax, searched like
/// Go's MatchString; run on std::regex ECMAScript, which shares the subset
/// rules use). Kept across evaluations.
class regex_cache {
public:
  /// nullptr when `pattern` does not compile.
  const std::regex* get(const std::string& pattern);

private:
  static constexpr std::size_t max_cached = 256;
  std::map<std::string, std::shared_ptr<std::regex>> cache_;
};

/// The variables of one evaluation; `old_self` is nullptr on creates.
struct activation {
  const value* self = nullptr;
  const value* old_self = nullptr;
};

result evaluate(const program& p, const activation& vars, regex_cache& re);

/// A JSON value as CEL sees it under `schema` (Kubernetes' CEL type model):
/// integer → int, number → double, objects and maps → maps; at a resource
/// root only metadata.name and metadata.generateName are visible.
value from_json(const json::value& v, const scope& s);

} // namespace porter::sim::cel
