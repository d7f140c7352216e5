// GET of one object, LIST (selectors, limit/continue, Table) and the start
// of a WATCH (k8s-api.md §1.1-1.3, §1.7, §5.2).
#include <charconv>

#include "sim/apiserver/core_state.hpp"
#include "sim/apiserver/watch.hpp"
#include "sim/apiserver/watch_spec.hpp"

namespace porter::sim {

namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty())
    return std::nullopt;
  return v;
}

tl::expected<selection, api_error> parse_selection(op_context& c) {
  selection sel;
  sel.ns = c.info->namespaced ? c.rt.ns : "";
  auto ls = label_selector::parse(c.param("labelSelector").value_or(""));
  if (!ls)
    return tl::make_unexpected(bad_request(ls.error()));
  sel.labels = std::move(*ls);
  auto fs = field_selector::parse(c.param("fieldSelector").value_or(""));
  if (!fs)
    return tl::make_unexpected(bad_request(fs.error()));
  for (const auto& r : fs->requirements()) {
    if (!field_supported(*c.info, r.field))
      return tl::make_unexpected(
        bad_request("field label not supported: " + r.field));
    if (r.field != "metadata.name" && r.field != "metadata.namespace")
      sel.object_fields = true;
  }
  sel.fields = std::move(*fs);
  return sel;
}

include_object parse_include(op_context& c) {
  auto v = c.param("includeObject").value_or("Metadata");
  if (v == "None")
    return include_object::none;
  return v == "Object" ? include_object::object : include_object::metadata;
}

struct continue_token {
  std::uint64_t rv = 0;
  object_key after;
};

std::string encode_token(std::uint64_t rv, const object_key& k) {
  json::document d;
  auto& a = d.GetAllocator();
  d.SetObject();
  json::set_string(d, "v", "meta.k8s.io/v1", a);
  json::set(d, "rv", json::value{static_cast<std::uint64_t>(rv)}, a);
  json::set_string(d, "ns", k.ns, a);
  json::set_string(d, "name", k.name, a);
  return base64_encode(json::to_string(d));
}

tl::expected<continue_token, api_error> decode_token(const std::string& t) {
  auto raw = base64_decode(t);
  auto doc = raw ? json::parse(*raw) : tl::make_unexpected(std::string{});
  const json::value* rv = doc ? json::find(*doc, "rv") : nullptr;
  auto ns = doc ? json::get_string(*doc, "ns") : std::nullopt;
  auto name = doc ? json::get_string(*doc, "name") : std::nullopt;
  if (rv == nullptr || !rv->IsUint64() || !ns || !name)
    return tl::make_unexpected(
      bad_request("continue key is not valid: incorrect encoded start "
                  "resourceVersion (version meta.k8s.io/v1)"));
  return continue_token{rv->GetUint64(),
                        {std::string(*ns), std::string(*name)}};
}

// Objects from `it` on that lie beyond its namespace (they follow it in key
// order).
std::ptrdiff_t count_after_namespace(object_store::table::const_iterator it,
                                     const object_store::table* objs) {
  auto end_of_ns = objs->lower_bound(object_key{it->first.ns + '\0', ""});
  return std::distance(end_of_ns, objs->end());
}

struct page {
  std::vector<const stored_object*> items;
  std::uint64_t rv = 0;
  std::string next;
  std::optional<std::int64_t> remaining;
};

// Where a list starts: a continue token's position and RV, or the top.
tl::expected<std::optional<continue_token>, api_error>
resume_point(op_context& c) {
  auto tok = c.param("continue");
  if (!tok || tok->empty())
    return std::nullopt;
  if (c.param("resourceVersion").value_or("") != "")
    return tl::make_unexpected(bad_request(
      "specifying resource version is not allowed when using continue"));
  auto t = decode_token(*tok);
  if (!t)
    return tl::make_unexpected(t.error());
  if (t->rv < c.st.continue_floor)
    return tl::make_unexpected(
      expired("The provided continue parameter is too old to display a "
              "consistent list result. You can start a new list without the "
              "continue parameter."));
  return t;
}

tl::expected<page, api_error> collect(op_context& c, const selection& sel) {
  page p;
  p.rv = c.st.store.resource_version();
  auto limit = parse_u64(c.param("limit").value_or("")).value_or(0);
  auto from = resume_point(c);
  if (!from)
    return tl::make_unexpected(from.error());
  if (*from)
    p.rv = (*from)->rv;
  const auto* objs = c.st.store.objects(c.info->group, c.info->resource);
  if (objs == nullptr)
    return p;
  auto it = *from ? objs->upper_bound((*from)->after)
                  : objs->lower_bound(object_key{sel.ns, ""});
  auto in_scope = [&](auto i) {
    return i != objs->end() && (sel.ns.empty() || i->first.ns == sel.ns);
  };
  for (; in_scope(it); ++it) {
    if (!sel.matches(it->first, it->second.labels, *it->second.json))
      continue;
    if (limit > 0 && p.items.size() == limit) {
      // Resume after the last key scanned (items in between did not match).
      p.next = encode_token(p.rv, std::prev(it)->first);
      if (sel.labels.empty() && sel.fields.empty())
        p.remaining = std::distance(it, objs->end())
                      - (sel.ns.empty() ? 0 : count_after_namespace(it, objs));
      break;
    }
    p.items.push_back(&it->second);
  }
  return p;
}

std::string list_json(op_context& c, const page& p) {
  std::string out = "{\"kind\":\"" + c.info->list_kind()
                    + "\",\"apiVersion\":\"" + c.info->api_version()
                    + "\",\"metadata\":{\"resourceVersion\":\""
                    + std::to_string(p.rv) + "\"";
  if (!p.next.empty())
    out += ",\"continue\":\"" + p.next + "\"";
  if (p.remaining)
    out += ",\"remainingItemCount\":" + std::to_string(*p.remaining);
  out += "},\"items\":[";
  bool first = true;
  for (const auto* o : p.items) {
    out += first ? "" : ",";
    out += *served_json(*o, *c.info);
    first = false;
  }
  return out + "]}";
}

std::string list_table(op_context& c, const page& p) {
  std::vector<json::document> docs;
  docs.reserve(p.items.size());
  std::vector<const json::value*> ptrs;
  for (const auto* o : p.items) {
    docs.push_back(parse_stored(*served_json(*o, *c.info)));
    ptrs.push_back(&docs.back());
  }
  table_options opts;
  opts.include = parse_include(c);
  opts.resource_version = std::to_string(p.rv);
  opts.continue_token = p.next;
  opts.remaining = p.remaining;
  return render_table(*c.info, ptrs, opts, c.now);
}

} // namespace

api_response handle_get(op_context& c) {
  const auto* o
    = c.st.store.get(c.info->group, c.info->resource, {c.rt.ns, c.rt.name});
  if (o == nullptr)
    return error_response(not_found(c.subject(c.rt.name)));
  auto body = served_json(*o, *c.info);
  if (!accepts_table(c.req.accept))
    return json_response(200, *body);
  json::document doc = parse_stored(*body);
  table_options opts;
  opts.include = parse_include(c);
  opts.resource_version = std::to_string(o->rv);
  return json_response(200, render_table(*c.info, {&doc}, opts, c.now));
}

api_response handle_list(op_context& c) {
  auto sel = parse_selection(c);
  if (!sel)
    return error_response(sel.error());
  auto rv_text = c.param("resourceVersion").value_or("");
  auto rv = parse_u64(rv_text.empty() ? "0" : rv_text);
  if (!rv)
    return error_response(bad_request("invalid resource version"));
  if (*rv > c.st.store.resource_version())
    return error_response(make_error(
      504, "Timeout",
      "Too large resource version: " + std::to_string(*rv)
        + ", current: " + std::to_string(c.st.store.resource_version())));
  auto p = collect(c, *sel);
  if (!p)
    return error_response(p.error());
  if (accepts_table(c.req.accept))
    return json_response(200, list_table(c, *p));
  return json_response(200, list_json(c, *p));
}

namespace {

// k8s-api.md §1.7: without WatchList support, refuse rather than hang.
std::optional<api_error> refuse_watch_list(op_context& c) {
  auto forbid = [](const char* field, const char* why) {
    return invalid(
      "ListOptions.meta.k8s.io", "",
      {{"FieldValueForbidden", std::string("Forbidden: ") + why, field}});
  };
  if (c.param("sendInitialEvents"))
    return forbid("sendInitialEvents",
                  "sendInitialEvents is forbidden for watch unless the "
                  "WatchList feature gate is enabled");
  if (c.param("resourceVersionMatch"))
    return forbid("resourceVersionMatch",
                  "resourceVersionMatch is forbidden for watch unless "
                  "sendInitialEvents is provided");
  return std::nullopt;
}

} // namespace

handle_result handle_watch(op_context& c) {
  if (auto e = refuse_watch_list(c))
    return {error_response(*e), nullptr};
  auto sel = parse_selection(c);
  if (!sel)
    return {error_response(sel.error()), nullptr};
  watch_spec spec;
  spec.info = c.info;
  spec.sel = std::move(*sel);
  auto rv_text = c.param("resourceVersion").value_or("");
  if (rv_text.empty() || rv_text == "0") {
    spec.snapshot = true;
  } else if (auto rv = parse_u64(rv_text)) {
    spec.rv = *rv;
    spec.too_old = *rv < c.st.store.compacted_rv();
  } else {
    return {error_response(bad_request("invalid resource version: " + rv_text)),
            nullptr};
  }
  spec.table = accepts_table(c.req.accept);
  spec.include = parse_include(c);
  spec.bookmarks
    = parse_go_bool(c.param("allowWatchBookmarks").value_or("false"))
        .value_or(false);
  if (auto t = parse_u64(c.param("timeoutSeconds").value_or("")))
    spec.timeout = std::chrono::seconds{static_cast<std::int64_t>(*t)};
  handle_result r;
  r.watch = std::make_unique<watch_stream>(c.st, std::move(spec));
  return r;
}

} // namespace porter::sim
