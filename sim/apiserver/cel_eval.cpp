// Evaluation of a compiled rule (cel-spec langdef.md "Evaluation"): strict
// in every operand except `&&`, `||` (commutative: a decisive operand wins
// over an error on the other side) and `?:`; the comprehension macros over
// lists (elements) and maps (keys). Also compile() and the JSON to CEL
// conversion of Kubernetes' CEL type model.
#include <cstdint>
#include <optional>

#include "sim/apiserver/cel_ast.hpp"

namespace porter::sim::cel {

namespace {

tl::unexpected<error> fail(std::string message) {
  return tl::unexpected(error{std::move(message)});
}

class evaluator {
public:
  evaluator(const activation& act, regex_cache& re) : re_(re) {
    if (act.self != nullptr)
      vars_.emplace_back("self", *act.self);
    if (act.old_self != nullptr)
      vars_.emplace_back("oldSelf", *act.old_self);
  }

  result eval(const node& n) {
    switch (n.kind) {
      case node_kind::literal:
        return n.lit;
      case node_kind::ident:
        return ident(n.name);
      case node_kind::select:
      case node_kind::has:
        return select(n);
      case node_kind::index:
        return index(n);
      case node_kind::call:
        return call(n);
      case node_kind::list:
        return make_list(n);
      case node_kind::map:
        return make_map(n);
      case node_kind::conditional: {
        auto c = eval(*n.args[0]);
        if (!c)
          return c;
        if (c->type() != kind::bool_type)
          return fail("no such overload");
        return eval(*n.args[c->as_bool() ? 1 : 2]);
      }
      case node_kind::logical_and:
      case node_kind::logical_or:
        return logical(n);
      case node_kind::comprehension:
        return comprehension(n);
    }
    return fail("unsupported expression");
  }

private:
  result ident(const std::string& name) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
      if (it->first == name)
        return it->second;
    return fail("no such attribute: " + name);
  }

  result select(const node& n) {
    auto operand = eval(*n.args[0]);
    if (!operand)
      return operand;
    if (operand->type() != kind::map_type)
      return fail("no such overload");
    const value* v = operand->find(std::string_view(unescape_field(n.name)));
    if (n.kind == node_kind::has)
      return value::boolean(v != nullptr);
    if (v == nullptr)
      return fail("no such key: " + n.name);
    return *v;
  }

  result index(const node& n) {
    auto c = eval(*n.args[0]);
    if (!c)
      return c;
    auto i = eval(*n.args[1]);
    if (!i)
      return i;
    if (c->type() == kind::map_type) {
      const value* v = c->find(*i);
      if (v == nullptr)
        return fail("no such key: " + key_text(*i));
      return *v;
    }
    if (c->type() != kind::list_type)
      return fail("no such overload");
    std::int64_t at = 0;
    if (i->type() == kind::int_type)
      at = i->as_int();
    else if (i->type() == kind::uint_type
             && i->as_uint() <= std::uint64_t{INT64_MAX})
      at = static_cast<std::int64_t>(i->as_uint());
    else
      return fail("no such overload");
    if (at < 0 || static_cast<std::uint64_t>(at) >= c->items().size())
      return fail("index out of bounds: " + std::to_string(at));
    return c->items()[static_cast<std::size_t>(at)];
  }

  static std::string key_text(const value& k) {
    switch (k.type()) {
      case kind::string_type:
        return k.as_string();
      case kind::int_type:
        return std::to_string(k.as_int());
      case kind::uint_type:
        return std::to_string(k.as_uint());
      case kind::bool_type:
        return k.as_bool() ? "true" : "false";
      default:
        return std::string(type_name(k.type()));
    }
  }

  result call(const node& n) {
    std::vector<value> args;
    args.reserve(n.args.size());
    for (const auto& a : n.args) {
      auto v = eval(*a);
      if (!v)
        return v;
      args.push_back(std::move(*v));
    }
    if (find_function(n.name) == nullptr)
      return apply_operator(n.name, args);
    return call_function(n.name, n.receiver, args, re_);
  }

  result make_list(const node& n) {
    list out;
    for (const auto& a : n.args) {
      auto v = eval(*a);
      if (!v)
        return v;
      out.push_back(std::move(*v));
    }
    return value::make_list(std::move(out));
  }

  result make_map(const node& n) {
    map_entries out;
    for (std::size_t i = 0; i + 1 < n.args.size(); i += 2) {
      auto k = eval(*n.args[i]);
      if (!k)
        return k;
      auto t = k->type();
      if (t != kind::string_type && t != kind::int_type && t != kind::uint_type
          && t != kind::bool_type)
        return fail("unsupported key type");
      auto v = eval(*n.args[i + 1]);
      if (!v)
        return v;
      for (const auto& e : out)
        if (equal(e.first, *k))
          return fail("Failed with repeated key");
      out.emplace_back(std::move(*k), std::move(*v));
    }
    return value::make_map(std::move(out));
  }

  // cel-spec: `false && error` and `error && false` are false; `||` alike.
  result logical(const node& n) {
    bool is_and = n.kind == node_kind::logical_and;
    auto decisive = [&](const result& r) {
      return r && r->type() == kind::bool_type && r->as_bool() != is_and;
    };
    auto a = eval(*n.args[0]);
    if (decisive(a))
      return a;
    auto b = eval(*n.args[1]);
    if (decisive(b))
      return b;
    for (const auto* r : {&a, &b}) {
      if (!*r)
        return *r;
      if ((*r)->type() != kind::bool_type)
        return fail("no such overload");
    }
    return value::boolean(is_and);
  }

  result comprehension(const node& n) {
    auto range = eval(*n.args[0]);
    if (!range)
      return range;
    list elems;
    if (range->type() == kind::list_type)
      elems = range->items();
    else if (range->type() == kind::map_type)
      for (const auto& e : range->entries())
        elems.push_back(e.first);
    else
      return fail("no such overload");
    const std::string& m = n.macro;
    bool transform_only = m == "map" && n.args.size() == 2;
    list mapped;
    std::int64_t count = 0;
    // all/exists: an error that a later decisive element still overrides.
    std::optional<error> pending;
    for (const auto& e : elems) {
      vars_.emplace_back(n.name, e);
      auto r = eval(*n.args[1]);
      bool keep
        = !transform_only && r && r->type() == kind::bool_type && r->as_bool();
      result t = transform_only ? r : keep && m == "map" ? eval(*n.args[2]) : r;
      vars_.pop_back();
      if (transform_only || (keep && m == "map")) {
        if (!t)
          return t;
        mapped.push_back(std::move(*t));
        continue;
      }
      if (!r && (m == "all" || m == "exists")) {
        pending = pending ? pending : r.error();
        continue;
      }
      if (!r)
        return r;
      if (r->type() != kind::bool_type)
        return fail("no such overload");
      if (m == "all" && !keep)
        return value::boolean(false);
      if (m == "exists" && keep)
        return value::boolean(true);
      count += keep ? 1 : 0;
      if (m == "filter" && keep)
        mapped.push_back(e);
    }
    if (pending)
      return tl::unexpected(*pending);
    if (m == "all" || m == "exists")
      return value::boolean(m == "all");
    if (m == "exists_one")
      return value::boolean(count == 1);
    return value::make_list(std::move(mapped));
  }

  regex_cache& re_;
  std::vector<std::pair<std::string, value>> vars_;
};

value object_from_json(const json::value& v, const scope& s) {
  const json::value* props
    = s.schema != nullptr ? json::find(*s.schema, "properties") : nullptr;
  const json::value* extra = s.schema != nullptr
                               ? json::find(*s.schema, "additionalProperties")
                               : nullptr;
  map_entries out;
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    std::string key(m->name.GetString(), m->name.GetStringLength());
    const json::value* child
      = props != nullptr ? json::find(*props, key) : nullptr;
    if (child == nullptr && extra != nullptr && extra->IsObject())
      child = extra;
    if (s.resource_root && key == "metadata" && m->value.IsObject()) {
      // Only name and generateName are visible to rules (Kubernetes docs,
      // "Validation rules": metadata at the root).
      map_entries meta;
      for (const char* k : {"name", "generateName"})
        if (auto str = json::get_string(m->value, k))
          meta.emplace_back(value::string(k), value::string(std::string(*str)));
      out.emplace_back(value::string(key), value::make_map(std::move(meta)));
      continue;
    }
    out.emplace_back(value::string(std::move(key)),
                     from_json(m->value, scope{child, false}));
  }
  return value::make_map(std::move(out));
}

} // namespace

value from_json(const json::value& v, const scope& s) {
  if (v.IsBool())
    return value::boolean(v.GetBool());
  if (v.IsString())
    return value::string(std::string(v.GetString(), v.GetStringLength()));
  if (v.IsNumber()) {
    auto type = s.schema != nullptr ? json::get_string(*s.schema, "type")
                                    : std::nullopt;
    auto i = json::as_int(v);
    if (type != "number" && i)
      return value::integer(*i);
    return value::real(v.GetDouble());
  }
  if (v.IsArray()) {
    const json::value* items
      = s.schema != nullptr ? json::find(*s.schema, "items") : nullptr;
    list out;
    for (const auto& e : v.GetArray())
      out.push_back(from_json(e, scope{items, false}));
    return value::make_list(std::move(out));
  }
  if (v.IsObject())
    return object_from_json(v, s);
  return value{};
}

result evaluate(const program& p, const activation& vars, regex_cache& re) {
  return evaluator(vars, re).eval(p.root());
}

tl::expected<program, std::string> compile(std::string_view source,
                                           const scope& self) {
  auto tree = parse(source);
  if (!tree)
    return tl::unexpected(
      format_issue(source, tree.error().pos, tree.error().message));
  bool uses_old_self = false;
  if (auto ok = check(**tree, self, uses_old_self); !ok) {
    if (ok.error().pos == std::string::npos)
      return tl::unexpected(ok.error().message);
    return tl::unexpected(
      format_issue(source, ok.error().pos, ok.error().message));
  }
  return program(std::shared_ptr<const node>(std::move(*tree)), uses_old_self);
}

} // namespace porter::sim::cel
