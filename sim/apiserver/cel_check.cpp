// The compile-time check of a rule, standing in for cel-go's type checker
// with Kubernetes' declarations (`self` and `oldSelf` typed by the schema):
// undeclared identifiers and functions, argument counts, fields that the
// schema does not declare, operators on mismatched known types, regular
// expression literals that do not compile. Types it cannot know (int-or-
// string, preserved unknown fields, results of `dyn`) are left to run time.
#include <optional>

#include "sim/apiserver/cel_ast.hpp"

namespace porter::sim::cel {

namespace {

struct stype {
  std::optional<kind> k{};
  const json::value* schema = nullptr;
  bool root = false;     // a resource root: apiVersion, kind, metadata
  bool metadata = false; // the root's metadata: name, generateName
};

const stype dyn{};

stype of_kind(kind k) {
  return stype{k, nullptr, false, false};
}

stype of_schema(const json::value* s, bool root = false) {
  stype t;
  t.schema = s;
  t.root = root;
  if (s == nullptr || json::get_bool(*s, "x-kubernetes-int-or-string"))
    return t;
  auto type = json::get_string(*s, "type").value_or("");
  if (type == "string")
    t.k = kind::string_type;
  else if (type == "integer")
    t.k = kind::int_type;
  else if (type == "number")
    t.k = kind::double_type;
  else if (type == "boolean")
    t.k = kind::bool_type;
  else if (type == "array")
    t.k = kind::list_type;
  else if (type == "object")
    t.k = kind::map_type;
  return t;
}

std::string name_of(const stype& t) {
  return t.k ? std::string(type_name(*t.k)) : "dyn";
}

class checker {
public:
  explicit checker(bool& uses_old_self) : uses_old_self_(uses_old_self) {}

  using checked = tl::expected<stype, parse_error>;

  void declare(std::string name, stype t) {
    vars_.emplace_back(std::move(name), std::move(t));
  }

  checked run(const node& n) {
    switch (n.kind) {
      case node_kind::literal:
        return of_kind(n.lit.type());
      case node_kind::ident:
        return ident(n);
      case node_kind::select:
      case node_kind::has: {
        auto operand = run(*n.args[0]);
        if (!operand)
          return operand;
        auto field = select(*operand, n);
        if (!field || n.kind == node_kind::select)
          return field;
        return of_kind(kind::bool_type);
      }
      case node_kind::index:
        return index(n);
      case node_kind::call:
        return call(n);
      case node_kind::list:
      case node_kind::map: {
        for (const auto& a : n.args)
          if (auto r = run(*a); !r)
            return r;
        return of_kind(n.kind == node_kind::list ? kind::list_type
                                                 : kind::map_type);
      }
      case node_kind::conditional: {
        auto c = run(*n.args[0]);
        auto a = c ? run(*n.args[1]) : c;
        auto b = a ? run(*n.args[2]) : a;
        if (!b)
          return b;
        return a->k == b->k ? of_kind_or_dyn(a->k) : dyn;
      }
      case node_kind::logical_and:
      case node_kind::logical_or: {
        auto a = run(*n.args[0]);
        auto b = a ? run(*n.args[1]) : a;
        if (!b)
          return b;
        return of_kind(kind::bool_type);
      }
      case node_kind::comprehension:
        return comprehension(n);
    }
    return dyn;
  }

private:
  static stype of_kind_or_dyn(std::optional<kind> k) {
    return k ? of_kind(*k) : dyn;
  }

  static tl::unexpected<parse_error> issue(const node& n, std::string what) {
    return tl::unexpected(parse_error{n.pos, std::move(what)});
  }

  checked ident(const node& n) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
      if (it->first == n.name) {
        if (n.name == "oldSelf")
          uses_old_self_ = true;
        return it->second;
      }
    return issue(n,
                 "undeclared reference to '" + n.name + "' (in container '')");
  }

  checked select(const stype& t, const node& n) {
    if (t.k && *t.k != kind::map_type)
      return issue(n, "type '" + name_of(t) + "' does not support field "
                        + "selection");
    if (t.metadata) {
      if (n.name == "name" || n.name == "generateName")
        return of_kind(kind::string_type);
      return issue(n, "undefined field '" + n.name + "'");
    }
    if (t.root && (n.name == "apiVersion" || n.name == "kind"))
      return of_kind(kind::string_type);
    if (t.root && n.name == "metadata") {
      stype m = of_kind(kind::map_type);
      m.metadata = true;
      return m;
    }
    if (t.schema == nullptr)
      return dyn;
    const json::value* props = json::find(*t.schema, "properties");
    const json::value* extra = json::find(*t.schema, "additionalProperties");
    if (props != nullptr)
      if (const json::value* p = json::find(*props, unescape_field(n.name)))
        return of_schema(p);
    if (extra != nullptr && extra->IsObject())
      return of_schema(extra);
    if (props != nullptr
        && !json::get_bool(*t.schema, "x-kubernetes-preserve-unknown-fields"))
      return issue(n, "undefined field '" + n.name + "'");
    return dyn;
  }

  checked index(const node& n) {
    auto c = run(*n.args[0]);
    auto i = c ? run(*n.args[1]) : c;
    if (!i)
      return i;
    if (c->schema == nullptr)
      return dyn;
    const char* key
      = c->k == kind::list_type ? "items" : "additionalProperties";
    const json::value* s = json::find(*c->schema, key);
    return s != nullptr && s->IsObject() ? of_schema(s) : dyn;
  }

  checked call(const node& n) {
    std::vector<stype> args;
    for (const auto& a : n.args) {
      auto r = run(*a);
      if (!r)
        return r;
      args.push_back(*r);
    }
    if (const auto* op = operator_result(n, args))
      return *op;
    const function_info* f = find_function(n.name);
    if (f == nullptr)
      return issue(n, "undeclared reference to '" + n.name
                        + "' (in container '')");
    auto argc = static_cast<int>(args.size()) - (n.receiver ? 1 : 0);
    bool fits = n.receiver
                  ? f->min_method_args >= 0 && argc >= f->min_method_args
                      && argc <= f->max_method_args
                  : argc == f->global_args;
    if (!fits)
      return issue(n, "found no matching overload for '" + n.name
                        + "' applied to '" + signature(n, args) + "'");
    if (n.name == "matches" && n.args[1]->kind == node_kind::literal
        && n.args[1]->lit.type() == kind::string_type
        && regexes_.get(n.args[1]->lit.as_string()) == nullptr)
      return issue(*n.args[1], "invalid regular expression '"
                                 + n.args[1]->lit.as_string() + "'");
    return of_kind_or_dyn(f->result);
  }

  // Operators: the result type, or an issue for known mismatched operands.
  const checked* operator_result(const node& n, const std::vector<stype>& a) {
    static const std::string_view bools[]
      = {"==", "!=", "<", "<=", ">", ">=", "in", "!"};
    static const std::string_view arith[] = {"+", "-", "*", "/", "%", "neg"};
    for (auto b : bools)
      if (n.name == b) {
        result_ = of_kind(kind::bool_type);
        return &result_;
      }
    for (auto op : arith)
      if (n.name == op) {
        bool binary = a.size() == 2;
        if (binary && a[0].k && a[1].k && a[0].k != a[1].k)
          result_ = issue(n, "found no matching overload for '_" + n.name
                               + "_' applied to '(" + name_of(a[0]) + ", "
                               + name_of(a[1]) + ")'");
        else
          result_ = of_kind_or_dyn(a[0].k ? a[0].k : binary ? a[1].k : a[0].k);
        return &result_;
      }
    return nullptr;
  }

  static std::string signature(const node& n, const std::vector<stype>& a) {
    std::string out;
    for (std::size_t i = n.receiver ? 1 : 0; i < a.size(); ++i)
      out += (out.empty() ? "" : ", ") + name_of(a[i]);
    return n.receiver ? name_of(a[0]) + ".(" + out + ")" : "(" + out + ")";
  }

  checked comprehension(const node& n) {
    auto range = run(*n.args[0]);
    if (!range)
      return range;
    stype elem = dyn;
    if (range->schema != nullptr && range->k == kind::list_type)
      if (const json::value* items = json::find(*range->schema, "items"))
        elem = of_schema(items);
    if (range->k == kind::map_type)
      elem = of_kind(kind::string_type);
    vars_.emplace_back(n.name, elem);
    for (std::size_t i = 1; i < n.args.size(); ++i)
      if (auto r = run(*n.args[i]); !r) {
        vars_.pop_back();
        return r;
      }
    vars_.pop_back();
    bool is_list = n.macro == "map" || n.macro == "filter";
    return of_kind(is_list ? kind::list_type : kind::bool_type);
  }

  bool& uses_old_self_;
  std::vector<std::pair<std::string, stype>> vars_;
  regex_cache regexes_;
  checked result_{dyn};
};

} // namespace

tl::expected<void, parse_error> check(const node& root, const scope& self,
                                      bool& uses_old_self) {
  checker c(uses_old_self);
  c.declare("self", of_schema(self.schema, self.resource_root));
  c.declare("oldSelf", of_schema(self.schema, self.resource_root));
  auto t = c.run(root);
  if (!t)
    return tl::unexpected(t.error());
  if (t->k && *t->k != kind::bool_type)
    return tl::unexpected(
      parse_error{std::string::npos, "cel expression must evaluate to a bool"});
  return {};
}

} // namespace porter::sim::cel
