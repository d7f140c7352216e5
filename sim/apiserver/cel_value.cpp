// CEL values and their operators (cel-spec langdef.md "Equality",
// "Ordering", "Arithmetic"): heterogeneous numeric equality and ordering as
// cel-go with cross-type numeric comparisons, checked int/uint arithmetic
// ("integer overflow", "division by zero"), string and list concatenation.
#include <cmath>
#include <limits>
#include <type_traits>

#include "sim/apiserver/cel_ast.hpp"

namespace porter::sim::cel {

namespace {

constexpr std::string_view names[]
  = {"null_type", "bool", "int", "uint", "double", "string", "list", "map"};

tl::unexpected<error> fail(std::string message) {
  return tl::unexpected(error{std::move(message)});
}

tl::unexpected<error> no_overload() {
  return fail("no such overload");
}

bool is_number(kind k) {
  return k == kind::int_type || k == kind::uint_type || k == kind::double_type;
}

// Numbers as long double: exact for every int64/uint64 on x86-64, and an
// ordering that agrees with the exact one for finite doubles.
long double number(const value& v) {
  switch (v.type()) {
    case kind::int_type:
      return static_cast<long double>(v.as_int());
    case kind::uint_type:
      return static_cast<long double>(v.as_uint());
    default:
      return static_cast<long double>(v.as_double());
  }
}

// CEL's int and uint arithmetic: overflow and division by zero are errors,
// never wrapped values (cel-spec, "Numeric values").
template <class T>
result checked_arith(const std::string& op, T a, T b) {
  T r = 0;
  bool overflow = false;
  if (op == "+")
    overflow = __builtin_add_overflow(a, b, &r);
  else if (op == "-")
    overflow = __builtin_sub_overflow(a, b, &r);
  else if (op == "*")
    overflow = __builtin_mul_overflow(a, b, &r);
  else if (b == 0)
    return fail(op == "/" ? "division by zero" : "modulus by zero");
  else if (std::is_signed_v<T> && a == std::numeric_limits<T>::min()
           && b == T(-1))
    overflow = true; // INT64_MIN / -1 does not fit
  else
    r = op == "/" ? a / b : a % b;
  if constexpr (std::is_signed_v<T>) {
    if (overflow)
      return fail("integer overflow");
    return value::integer(r);
  } else {
    if (overflow)
      return fail("unsigned integer overflow");
    return value::uinteger(r);
  }
}

result arithmetic(const std::string& op, const value& a, const value& b) {
  if (a.type() != b.type())
    return no_overload();
  switch (a.type()) {
    case kind::int_type:
      return checked_arith<std::int64_t>(op, a.as_int(), b.as_int());
    case kind::uint_type:
      return checked_arith<std::uint64_t>(op, a.as_uint(), b.as_uint());
    case kind::double_type:
      if (op == "%")
        return no_overload();
      return value::real(op == "+"   ? a.as_double() + b.as_double()
                         : op == "-" ? a.as_double() - b.as_double()
                         : op == "*" ? a.as_double() * b.as_double()
                                     : a.as_double() / b.as_double());
    case kind::string_type:
      if (op == "+")
        return value::string(a.as_string() + b.as_string());
      return no_overload();
    case kind::list_type:
      if (op == "+") {
        list out = a.items();
        out.insert(out.end(), b.items().begin(), b.items().end());
        return value::make_list(std::move(out));
      }
      return no_overload();
    default:
      return no_overload();
  }
}

result unary(const std::string& op, const value& a) {
  if (op == "!") {
    if (a.type() != kind::bool_type)
      return no_overload();
    return value::boolean(!a.as_bool());
  }
  if (a.type() == kind::double_type)
    return value::real(-a.as_double());
  if (a.type() != kind::int_type)
    return no_overload();
  if (a.as_int() == std::numeric_limits<std::int64_t>::min())
    return fail("integer overflow");
  return value::integer(-a.as_int());
}

result membership(const value& elem, const value& container) {
  if (container.type() == kind::list_type) {
    for (const auto& e : container.items())
      if (equal(e, elem))
        return value::boolean(true);
    return value::boolean(false);
  }
  if (container.type() == kind::map_type)
    return value::boolean(container.find(elem) != nullptr);
  return no_overload();
}

} // namespace

std::string_view type_name(kind k) {
  return names[static_cast<std::size_t>(k)];
}

value value::boolean(bool b) {
  value v;
  v.v_ = b;
  return v;
}
value value::integer(std::int64_t i) {
  value v;
  v.v_ = i;
  return v;
}
value value::uinteger(std::uint64_t u) {
  value v;
  v.v_ = u;
  return v;
}
value value::real(double d) {
  value v;
  v.v_ = d;
  return v;
}
value value::string(std::string s) {
  value v;
  v.v_ = std::move(s);
  return v;
}
value value::make_list(list items) {
  value v;
  v.v_ = std::make_shared<const list>(std::move(items));
  return v;
}
value value::make_map(map_entries entries) {
  value v;
  v.v_ = std::make_shared<const map_entries>(std::move(entries));
  return v;
}

const value* value::find(const value& key) const {
  if (type() != kind::map_type)
    return nullptr;
  for (const auto& [k, v] : entries())
    if (equal(k, key))
      return &v;
  return nullptr;
}

const value* value::find(std::string_view key) const {
  if (type() != kind::map_type)
    return nullptr;
  for (const auto& [k, v] : entries())
    if (k.type() == kind::string_type && k.as_string() == key)
      return &v;
  return nullptr;
}

bool equal(const value& a, const value& b) {
  if (is_number(a.type()) && is_number(b.type()))
    return number(a) == number(b);
  if (a.type() != b.type())
    return false;
  switch (a.type()) {
    case kind::null_type:
      return true;
    case kind::bool_type:
      return a.as_bool() == b.as_bool();
    case kind::string_type:
      return a.as_string() == b.as_string();
    case kind::list_type: {
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size())
        return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!equal(x[i], y[i]))
          return false;
      return true;
    }
    case kind::map_type: {
      if (a.entries().size() != b.entries().size())
        return false;
      for (const auto& [k, v] : a.entries()) {
        const value* other = b.find(k);
        if (other == nullptr || !equal(v, *other))
          return false;
      }
      return true;
    }
    default:
      return false;
  }
}

tl::expected<int, error> compare(const value& a, const value& b) {
  if (is_number(a.type()) && is_number(b.type())) {
    long double x = number(a);
    long double y = number(b);
    if (std::isnan(x) || std::isnan(y))
      return no_overload();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.type() != b.type())
    return no_overload();
  if (a.type() == kind::string_type)
    return a.as_string().compare(b.as_string()) < 0   ? -1
           : a.as_string().compare(b.as_string()) > 0 ? 1
                                                      : 0;
  if (a.type() == kind::bool_type)
    return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
  return no_overload();
}

result apply_operator(const std::string& op, const std::vector<value>& args) {
  if (args.size() == 1)
    return unary(op, args[0]);
  const value& a = args[0];
  const value& b = args[1];
  if (op == "==" || op == "!=")
    return value::boolean(equal(a, b) == (op == "=="));
  if (op == "in")
    return membership(a, b);
  if (op == "<" || op == "<=" || op == ">" || op == ">=") {
    auto c = compare(a, b);
    if (!c)
      return tl::unexpected(c.error());
    bool r = op == "<"    ? *c < 0
             : op == "<=" ? *c <= 0
             : op == ">"  ? *c > 0
                          : *c >= 0;
    return value::boolean(r);
  }
  return arithmetic(op, a, b);
}

std::string unescape_field(std::string_view name) {
  static const std::string_view keywords[] = {
    "true",     "false",   "null",      "in",       "as",  "break",  "const",
    "continue", "else",    "for",       "function", "if",  "import", "let",
    "loop",     "package", "namespace", "return",   "var", "void",   "while"};
  if (name.size() > 4 && name.substr(0, 2) == "__"
      && name.substr(name.size() - 2) == "__")
    for (auto k : keywords)
      if (name.substr(2, name.size() - 4) == k)
        return std::string(k);
  static const std::pair<std::string_view, char> escapes[]
    = {{"__dash__", '-'}, {"__dot__", '.'}, {"__slash__", '/'}};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    bool done = false;
    if (name.substr(i, 15) == "__underscores__") {
      out += "__";
      i += 15;
      continue;
    }
    for (const auto& [text, c] : escapes)
      if (!done && name.substr(i, text.size()) == text) {
        out += c;
        i += text.size();
        done = true;
      }
    if (!done)
      out += name[i++];
  }
  return out;
}

const std::regex* regex_cache::get(const std::string& pattern) {
  auto it = cache_.find(pattern);
  if (it != cache_.end())
    return it->second.get();
  // RE2's leading case-insensitive flag; everything else as written.
  auto flags = std::regex::ECMAScript;
  std::string body = pattern;
  if (body.rfind("(?i)", 0) == 0) {
    flags |= std::regex::icase;
    body.erase(0, 4);
  }
  // Patterns built from request data could grow the cache without bound.
  if (cache_.size() >= max_cached)
    cache_.clear();
  std::shared_ptr<std::regex> re;
  try {
    re = std::make_shared<std::regex>(body, flags);
  } catch (const std::regex_error&) {
    re = nullptr;
  }
  cache_[pattern] = re;
  return re.get();
}

} // namespace porter::sim::cel
