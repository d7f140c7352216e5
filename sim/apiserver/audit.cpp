#include "sim/apiserver/audit.hpp"

#include <vector>

#include "sim/apiserver/request.hpp"

namespace porter::sim {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string verb_of_method(std::string_view method) {
  if (method == "POST")
    return "create";
  if (method == "GET" || method == "HEAD")
    return "get";
  if (method == "PUT")
    return "update";
  if (method == "PATCH")
    return "patch";
  if (method == "DELETE")
    return "delete";
  return "";
}

// Convert_Slice_string_To_bool: any value but 0, f, false (any case) is
// true, so `?watch` and `?watch=1` both watch.
bool query_true(std::string_view v) {
  auto l = lower(v);
  return l != "0" && l != "f" && l != "false";
}

// fields.Selector.RequiresExactMatch("metadata.name"): one `=` or `==`
// term among the comma-separated ones.
std::string name_from_field_selector(std::string_view sel) {
  while (!sel.empty()) {
    auto comma = sel.find(',');
    auto term = sel.substr(0, comma);
    for (std::string_view op : {"==", "="}) {
      std::string_view key = "metadata.name";
      if (term.substr(0, key.size()) == key
          && term.substr(key.size(), op.size()) == op) {
        auto value = term.substr(key.size() + op.size());
        // path.IsValidPathSegmentName
        if (value.empty() || value == "." || value == ".."
            || value.find_first_of("/%") != std::string_view::npos)
          return "";
        return std::string(value);
      }
    }
    if (comma == std::string_view::npos)
      break;
    sel.remove_prefix(comma + 1);
  }
  return "";
}

std::string field(std::string_view s) {
  return s.empty() ? "-" : std::string(s);
}

} // namespace

request_attributes request_attributes_of(std::string_view method,
                                         std::string_view target) {
  request_attributes r;
  auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  auto query = parse_query(q == std::string_view::npos ? std::string_view{}
                                                       : target.substr(q + 1));
  r.verb = lower(method);
  auto parts = split_path(r.path);
  std::size_t i = 0;
  if (parts.empty() || (parts[0] != "api" && parts[0] != "apis"))
    return r;
  // /api/v1/... or /apis/G/V/...; shorter is discovery (non-resource).
  const std::size_t need = parts[0] == "api" ? 2 : 3;
  if (parts.size() < need + 1)
    return r;
  r.resource_request = true;
  if (parts[0] == "apis")
    r.group = parts[1];
  r.version = parts[need - 1];
  i = need;
  r.verb = verb_of_method(method);
  if (parts[i] == "watch" || parts[i] == "proxy") {
    if (parts.size() < i + 2) {
      r.resource_request = false;
      r.verb = lower(method);
      r.group.clear();
      r.version.clear();
      return r;
    }
    r.verb = parts[i++];
  }
  if (parts[i] == "namespaces" && parts.size() > i + 1) {
    r.namespace_ = parts[i + 1];
    if (parts.size() > i + 2 && parts[i + 2] != "status"
        && parts[i + 2] != "finalize")
      i += 2;
  }
  const std::size_t n = parts.size() - i;
  if (n >= 3 && r.verb != "proxy")
    r.subresource = parts[i + 2];
  if (n >= 2)
    r.name = parts[i + 1];
  r.resource = parts[i];
  if (r.name.empty() && r.verb == "get") {
    auto w = query.find("watch");
    r.verb = w != query.end() && query_true(w->second) ? "watch" : "list";
    if (auto f = query.find("fieldSelector"); f != query.end())
      r.name = name_from_field_selector(f->second);
  }
  if (r.name.empty() && r.verb == "delete")
    r.verb = "deletecollection";
  return r;
}

std::string audit_line(std::string_view user, const request_attributes& r,
                       int code) {
  std::string out = field(user) + " " + field(r.verb) + " ";
  if (!r.resource_request)
    return out + "- " + field(r.path) + " - - - " + std::to_string(code);
  return out + field(r.group) + " " + field(r.resource) + " "
         + field(r.subresource) + " " + field(r.namespace_) + " "
         + field(r.name) + " " + std::to_string(code);
}

} // namespace porter::sim
