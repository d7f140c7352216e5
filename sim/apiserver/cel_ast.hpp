// The expression tree of the CEL subset (cel.hpp), shared by the parser,
// the checker and the evaluator. Operators are calls with their symbol as
// the name ("+", "==", "in", "!", "neg"); `&&`, `||` and `?:` have their own
// kinds because they do not evaluate every operand (cel-spec "Logical
// operators": commutative, errors absorbed by a decisive operand).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/apiserver/cel.hpp"

namespace porter::sim::cel {

enum class node_kind {
  literal,       // lit
  ident,         // name
  select,        // args[0].name
  has,           // has(args[0].name): presence test
  index,         // args[0][args[1]]
  call,          // name(args...) or args[0].name(args[1...]) when receiver
  list,          // [args...]
  map,           // {args[0]: args[1], ...}
  conditional,   // args[0] ? args[1] : args[2]
  logical_and,   // args[0] && args[1]
  logical_or,    // args[0] || args[1]
  comprehension, // args[0].macro(name, args[1][, args[2]])
};

struct node {
  node_kind kind = node_kind::literal;
  value lit{};
  /// Identifier, field, function or comprehension variable.
  std::string name{};
  /// Comprehension macro: all, exists, exists_one, map, filter.
  std::string macro{};
  bool receiver = false;
  std::vector<std::unique_ptr<node>> args{};
  /// Offset into the source, for error positions.
  std::size_t pos = 0;
};

using node_ptr = std::unique_ptr<node>;

/// Syntax errors: offset and text ("Syntax error: ...").
struct parse_error {
  std::size_t pos = 0;
  std::string message;
};

tl::expected<node_ptr, parse_error> parse(std::string_view source);

/// cel-go's issue rendering: "ERROR: <input>:L:C: msg\n | line\n | ...^".
std::string format_issue(std::string_view source, std::size_t pos,
                         const std::string& message);

/// The static check: identifiers, functions and arity, fields against the
/// schema, a bool result. Sets `uses_old_self`. Returns the first issue.
tl::expected<void, parse_error> check(const node& root, const scope& self,
                                      bool& uses_old_self);

/// A function the engine knows: argument counts of its global form
/// (`size(x)`: 1; -1 when there is none) and of its method form
/// (`x.size()`: 0..0; min -1 when there is none), and its result type when
/// fixed (nullopt: depends on the arguments).
struct function_info {
  std::string_view name;
  int global_args = -1;
  int min_method_args = -1;
  int max_method_args = -1;
  std::optional<kind> result{};
};

/// nullptr for an unknown function name.
const function_info* find_function(std::string_view name);

/// Calls a function or method (not a macro) on evaluated arguments.
result call_function(const std::string& name, bool receiver,
                     const std::vector<value>& args, regex_cache& re);

/// int(), uint(), double() or string() of `v`; nullopt when `name` is none
/// of them.
std::optional<result> convert(const std::string& name, const value& v);

/// The property name a field selection means: Kubernetes escapes names that
/// are not CEL identifiers (`__dash__` for '-', `__dot__`, `__slash__`,
/// `__underscores__` for "__", `__in__` for the keyword `in`...).
std::string unescape_field(std::string_view name);

/// Arithmetic and relational operators on evaluated operands.
result apply_operator(const std::string& op, const std::vector<value>& args);

} // namespace porter::sim::cel
