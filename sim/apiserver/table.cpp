#include "sim/apiserver/table.hpp"

namespace porter::sim {

namespace {

struct path_step {
  enum { field, index, all, filter } kind = field;
  std::string name; // field name, or filter key path
  std::size_t index_value = 0;
  std::string filter_value;
};

// Parses `[?(@.a.b=="v")]` (also single quotes) starting after "[?(".
bool parse_filter(std::string_view& p, path_step& step) {
  auto close = p.find(")]");
  if (close == std::string_view::npos)
    return false;
  auto expr = p.substr(0, close);
  p.remove_prefix(close + 2);
  auto eq = expr.find("==");
  if (eq == std::string_view::npos || expr.substr(0, 2) != "@.")
    return false;
  step.kind = path_step::filter;
  step.name = std::string(expr.substr(2, eq - 2));
  auto v = expr.substr(eq + 2);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\''))
    v = v.substr(1, v.size() - 2);
  step.filter_value = std::string(v);
  return true;
}

std::optional<std::vector<path_step>> parse_path(std::string_view p) {
  if (p.size() >= 2 && p.front() == '{' && p.back() == '}')
    p = p.substr(1, p.size() - 2);
  std::vector<path_step> out;
  while (!p.empty()) {
    path_step step;
    if (p.front() == '.') {
      p.remove_prefix(1);
      auto end = p.find_first_of(".[");
      step.name = std::string(p.substr(0, end));
      p.remove_prefix(end == std::string_view::npos ? p.size() : end);
    } else if (p.substr(0, 3) == "[?(") {
      p.remove_prefix(3);
      if (!parse_filter(p, step))
        return std::nullopt;
    } else if (p.front() == '[') {
      auto close = p.find(']');
      if (close == std::string_view::npos)
        return std::nullopt;
      auto inner = p.substr(1, close - 1);
      p.remove_prefix(close + 1);
      if (inner == "*") {
        step.kind = path_step::all;
      } else {
        step.kind = path_step::index;
        for (char c : inner) {
          if (c < '0' || c > '9')
            return std::nullopt;
          step.index_value = step.index_value * 10 + (c - '0');
        }
      }
    } else {
      return std::nullopt;
    }
    out.push_back(std::move(step));
  }
  return out;
}

bool filter_matches(const json::value& item, const path_step& step) {
  const json::value* cur = &item;
  std::string_view rest = step.name;
  while (cur != nullptr && !rest.empty()) {
    auto dot = rest.find('.');
    cur = json::find(*cur, rest.substr(0, dot));
    rest = dot == std::string_view::npos ? "" : rest.substr(dot + 1);
  }
  if (cur == nullptr)
    return false;
  if (auto s = json::as_string(*cur))
    return *s == step.filter_value;
  return json::to_string(*cur) == step.filter_value;
}

void apply_step(const path_step& step, const json::value& v,
                std::vector<const json::value*>& out) {
  switch (step.kind) {
    case path_step::field:
      if (const json::value* c = json::find(v, step.name))
        out.push_back(c);
      break;
    case path_step::index:
      if (v.IsArray() && step.index_value < v.Size())
        out.push_back(&v[static_cast<rapidjson::SizeType>(step.index_value)]);
      break;
    case path_step::all:
      if (v.IsArray())
        for (const auto& e : v.GetArray())
          out.push_back(&e);
      break;
    case path_step::filter:
      if (v.IsArray())
        for (const auto& e : v.GetArray())
          if (filter_matches(e, step))
            out.push_back(&e);
      break;
  }
}

json::value column_definition(const printer_column& c, json::allocator& a) {
  json::value d{rapidjson::kObjectType};
  json::set_string(d, "name", c.name, a);
  json::set_string(d, "type", c.type, a);
  json::set_string(d, "format", c.format, a);
  json::set_string(d, "description", c.description, a);
  json::set(d, "priority", json::value{c.priority}, a);
  return d;
}

json::value row_object(const json::value& obj, include_object inc,
                       json::allocator& a) {
  if (inc == include_object::object)
    return json::copy(obj, a);
  json::value o{rapidjson::kObjectType};
  json::set_string(o, "kind", "PartialObjectMetadata", a);
  json::set_string(o, "apiVersion", "meta.k8s.io/v1", a);
  if (const json::value* m = json::find(obj, "metadata"))
    json::set(o, "metadata", json::copy(*m, a), a);
  return o;
}

} // namespace

std::vector<const json::value*> eval_json_path(const json::value& root,
                                               std::string_view path) {
  auto steps = parse_path(path);
  if (!steps)
    return {};
  std::vector<const json::value*> cur{&root};
  for (const auto& step : *steps) {
    std::vector<const json::value*> next;
    for (const json::value* v : cur)
      apply_step(step, *v, next);
    cur = std::move(next);
  }
  return cur;
}

std::string render_table(const resource_info& info,
                         const std::vector<const json::value*>& objects,
                         const table_options& opts, sys_time now) {
  json::document doc;
  auto& a = doc.GetAllocator();
  doc.SetObject();
  json::set_string(doc, "kind", "Table", a);
  json::set_string(doc, "apiVersion", "meta.k8s.io/v1", a);
  json::value& meta = json::ensure_object(doc, "metadata", a);
  if (!opts.resource_version.empty())
    json::set_string(meta, "resourceVersion", opts.resource_version, a);
  if (!opts.continue_token.empty())
    json::set_string(meta, "continue", opts.continue_token, a);
  if (opts.remaining)
    json::set(meta, "remainingItemCount", json::value{*opts.remaining}, a);
  json::value cols{rapidjson::kArrayType};
  if (opts.headers)
    for (const auto& c : table_columns(info))
      cols.PushBack(column_definition(c, a), a);
  json::set(doc, "columnDefinitions", std::move(cols), a);
  json::value rows{rapidjson::kArrayType};
  for (const json::value* obj : objects) {
    json::value row{rapidjson::kObjectType};
    json::set(row, "cells", table_cells(info, *obj, now, a), a);
    if (opts.include != include_object::none)
      json::set(row, "object", row_object(*obj, opts.include, a), a);
    rows.PushBack(std::move(row), a);
  }
  json::set(doc, "rows", std::move(rows), a);
  return json::to_string(doc);
}

} // namespace porter::sim
