// Object-name rules (apimachinery validation: IsDNS1123Subdomain,
// IsDNS1123Label, IsDNS1035Label) and the field selectors each resource
// supports (the fieldSelector conversion funcs registered per kind).
#include <algorithm>

#include "sim/apiserver/strategy.hpp"

namespace porter::sim {

namespace {

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool dns_label(std::string_view s, bool must_start_alpha) {
  if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back()))
    return false;
  if (must_start_alpha && !(s.front() >= 'a' && s.front() <= 'z'))
    return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return alnum(c) || c == '-'; });
}

bool dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253)
    return false;
  while (true) {
    auto dot = s.find('.');
    if (!dns_label(s.substr(0, dot), false))
      return false;
    if (dot == std::string_view::npos)
      return true;
    s.remove_prefix(dot + 1);
  }
}

const char* subdomain_msg
  = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
    "characters, '-' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char* label_msg
  = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
    "characters or '-', and must start and end with an alphanumeric character "
    "(e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char* dns1035_msg
  = "a DNS-1035 label must consist of lower case alphanumeric characters or "
    "'-', start with an alphabetic character, and end with an alphanumeric "
    "character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
    "'[a-z]([-a-z0-9]*[a-z0-9])?')";

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

} // namespace

std::optional<status_cause> validate_name(const resource_info& info,
                                          std::string_view name) {
  bool ok = true;
  const char* msg = subdomain_msg;
  if (info.group.empty() && info.resource == "namespaces") {
    ok = dns_label(name, false);
    msg = label_msg;
  } else if (info.group.empty() && info.resource == "services") {
    ok = dns_label(name, true);
    msg = dns1035_msg;
  } else {
    ok = dns_subdomain(name);
  }
  if (ok)
    return std::nullopt;
  return status_cause{"FieldValueInvalid",
                      "Invalid value: \"" + std::string(name) + "\": " + msg,
                      "metadata.name"};
}

bool field_supported(const resource_info& info, std::string_view field) {
  if (field == "metadata.name" || field == "metadata.namespace")
    return true;
  if (!info.group.empty() && info.group != "events.k8s.io")
    return false;
  const auto& r = info.resource;
  if (r == "events")
    return starts_with(field, "involvedObject.")
           || starts_with(field, "regarding.") || field == "reason"
           || field == "type" || field == "source"
           || field == "reportingComponent" || field == "reportingController";
  if (r == "pods")
    return field == "spec.nodeName" || field == "spec.restartPolicy"
           || field == "spec.schedulerName"
           || field == "spec.serviceAccountName" || field == "status.phase"
           || field == "status.podIP" || field == "status.nominatedNodeName"
           || field == "spec.hostNetwork";
  if (r == "secrets")
    return field == "type";
  if (r == "nodes")
    return field == "spec.unschedulable";
  if (r == "namespaces")
    return field == "status.phase";
  if (r == "services")
    return field == "spec.clusterIP" || field == "spec.type";
  return false;
}

std::optional<std::string> field_value(const json::value& obj,
                                       std::string_view field) {
  if (field == "source")
    field = "source.component";
  const json::value* cur = &obj;
  while (cur != nullptr && !field.empty()) {
    auto dot = field.find('.');
    cur = json::find(*cur, field.substr(0, dot));
    field = dot == std::string_view::npos ? "" : field.substr(dot + 1);
  }
  if (cur == nullptr || cur->IsNull())
    return std::nullopt;
  if (auto s = json::as_string(*cur))
    return std::string(*s);
  return json::to_string(*cur);
}

} // namespace porter::sim
