// Columns and cells of the built-in printers (kube-apiserver
// pkg/printers/internalversion/printers.go: printService, printNode, ...)
// and of CRD additionalPrinterColumns (apiextensions tableconvertor: date
// columns are rendered as ages, a missing value is a null cell).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "sim/apiserver/table.hpp"

namespace porter::sim {

namespace {

using cells = std::vector<std::string>;

std::string s(const json::value& v, std::initializer_list<std::string_view> p) {
  return std::string(json::string_at(v, p).value_or(""));
}

std::string or_none(std::string v) {
  return v.empty() ? "<none>" : v;
}

std::string join(const std::vector<std::string>& v, const char* sep = ",") {
  std::string out;
  for (const auto& e : v)
    out += (out.empty() ? "" : sep) + e;
  return out;
}

const json::value& empty_array() {
  static const json::value a{rapidjson::kArrayType};
  return a;
}

const json::value& arr(const json::value& v,
                       std::initializer_list<std::string_view> p) {
  const json::value* x = json::find_path(v, p);
  return x != nullptr && x->IsArray() ? *x : empty_array();
}

std::string age(const json::value& obj, sys_time now) {
  return age_since(s(obj, {"metadata", "creationTimestamp"}), now);
}

std::string map_string(const json::value* m) {
  if (m == nullptr || !m->IsObject())
    return "";
  std::vector<std::string> parts;
  for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it)
    parts.push_back(std::string(it->name.GetString()) + "="
                    + std::string(json::as_string(it->value).value_or("")));
  std::sort(parts.begin(), parts.end());
  return join(parts);
}

std::string service_external_ip(const json::value& svc) {
  auto type = s(svc, {"spec", "type"});
  std::vector<std::string> ips;
  for (const auto& e : arr(svc, {"spec", "externalIPs"}).GetArray())
    ips.emplace_back(json::as_string(e).value_or(""));
  if (type == "ExternalName")
    return s(svc, {"spec", "externalName"});
  if (type == "ClusterIP" || type == "NodePort" || type.empty())
    return or_none(join(ips));
  if (type != "LoadBalancer")
    return "<unknown>";
  std::vector<std::string> lb;
  for (const auto& i :
       arr(svc, {"status", "loadBalancer", "ingress"}).GetArray()) {
    auto ip = s(i, {"ip"});
    lb.push_back(ip.empty() ? s(i, {"hostname"}) : ip);
  }
  lb.insert(lb.end(), ips.begin(), ips.end());
  return lb.empty() ? "<pending>" : join(lb);
}

std::string service_ports(const json::value& svc) {
  std::vector<std::string> out;
  for (const auto& p : arr(svc, {"spec", "ports"}).GetArray()) {
    auto port = std::to_string(json::get_int(p, "port").value_or(0));
    auto proto = s(p, {"protocol"});
    auto node = json::get_int(p, "nodePort").value_or(0);
    out.push_back(node > 0 ? port + ":" + std::to_string(node) + "/" + proto
                           : port + "/" + proto);
  }
  return or_none(join(out));
}

cells service_cells(const json::value& o, sys_time now) {
  std::vector<std::string> cips;
  for (const auto& ip : arr(o, {"spec", "clusterIPs"}).GetArray())
    cips.emplace_back(json::as_string(ip).value_or(""));
  auto cip = cips.empty() ? s(o, {"spec", "clusterIP"}) : join(cips);
  return {s(o, {"metadata", "name"}),
          s(o, {"spec", "type"}),
          or_none(cip),
          service_external_ip(o),
          service_ports(o),
          age(o, now),
          or_none(map_string(json::find_path(o, {"spec", "selector"})))};
}

std::string node_status(const json::value& o) {
  std::string status = "Unknown";
  for (const auto& c : arr(o, {"status", "conditions"}).GetArray())
    if (s(c, {"type"}) == "Ready")
      status = s(c, {"status"}) == "True" ? "Ready" : "NotReady";
  const json::value* spec = json::find(o, "spec");
  if (spec != nullptr && json::get_bool(*spec, "unschedulable").value_or(false))
    status += ",SchedulingDisabled";
  return status;
}

std::string node_roles(const json::value& o) {
  std::set<std::string> roles;
  const json::value* labels = json::find_path(o, {"metadata", "labels"});
  if (labels != nullptr && labels->IsObject())
    for (auto it = labels->MemberBegin(); it != labels->MemberEnd(); ++it) {
      std::string_view k{it->name.GetString(), it->name.GetStringLength()};
      constexpr std::string_view prefix = "node-role.kubernetes.io/";
      if (k.substr(0, prefix.size()) == prefix && k.size() > prefix.size())
        roles.emplace(k.substr(prefix.size()));
      else if (k == "kubernetes.io/role")
        roles.emplace(json::as_string(it->value).value_or(""));
    }
  return or_none(join({roles.begin(), roles.end()}));
}

std::string node_address(const json::value& o, std::string_view type) {
  for (const auto& a : arr(o, {"status", "addresses"}).GetArray())
    if (s(a, {"type"}) == type)
      return s(a, {"address"});
  return "<none>";
}

cells node_cells(const json::value& o, sys_time now) {
  return {s(o, {"metadata", "name"}),
          node_status(o),
          node_roles(o),
          age(o, now),
          s(o, {"status", "nodeInfo", "kubeletVersion"}),
          node_address(o, "InternalIP"),
          node_address(o, "ExternalIP"),
          or_none(s(o, {"status", "nodeInfo", "osImage"})),
          or_none(s(o, {"status", "nodeInfo", "kernelVersion"})),
          or_none(s(o, {"status", "nodeInfo", "containerRuntimeVersion"}))};
}

cells pod_cells(const json::value& o, sys_time now) {
  int ready = 0;
  std::int64_t restarts = 0;
  for (const auto& c : arr(o, {"status", "containerStatuses"}).GetArray()) {
    ready += json::get_bool(c, "ready").value_or(false) ? 1 : 0;
    restarts += json::get_int(c, "restartCount").value_or(0);
  }
  auto total = arr(o, {"spec", "containers"}).Size();
  auto phase = s(o, {"status", "phase"});
  if (json::find_path(o, {"metadata", "deletionTimestamp"}) != nullptr)
    phase = "Terminating";
  return {s(o, {"metadata", "name"}),
          std::to_string(ready) + "/" + std::to_string(total),
          phase,
          std::to_string(restarts),
          age(o, now),
          or_none(s(o, {"status", "podIP"})),
          or_none(s(o, {"spec", "nodeName"})),
          "<none>",
          "<none>"};
}

std::string truncated_list(const std::vector<std::string>& items) {
  if (items.empty())
    return "<none>";
  if (items.size() <= 3)
    return join(items);
  return join({items.begin(), items.begin() + 3}) + " + "
         + std::to_string(items.size() - 3) + " more...";
}

cells endpoints_cells(const json::value& o, sys_time now) {
  std::vector<std::string> eps;
  for (const auto& sub : arr(o, {"subsets"}).GetArray())
    for (const auto& addr : arr(sub, {"addresses"}).GetArray()) {
      const auto& ports = arr(sub, {"ports"});
      if (ports.Empty())
        eps.push_back(s(addr, {"ip"}));
      for (const auto& p : ports.GetArray())
        eps.push_back(s(addr, {"ip"}) + ":"
                      + std::to_string(json::get_int(p, "port").value_or(0)));
    }
  return {s(o, {"metadata", "name"}), truncated_list(eps), age(o, now)};
}

cells slice_cells(const json::value& o, sys_time now) {
  std::vector<std::string> ports;
  for (const auto& p : arr(o, {"ports"}).GetArray())
    ports.push_back(std::to_string(json::get_int(p, "port").value_or(0)));
  std::vector<std::string> addrs;
  for (const auto& e : arr(o, {"endpoints"}).GetArray())
    for (const auto& a : arr(e, {"addresses"}).GetArray())
      addrs.emplace_back(json::as_string(a).value_or(""));
  auto ep = truncated_list(addrs);
  return {s(o, {"metadata", "name"}), s(o, {"addressType"}),
          ports.empty() ? "<unset>" : join(ports),
          ep == "<none>" ? "<unset>" : ep, age(o, now)};
}

std::string count_of(const json::value& o, std::string_view a,
                     std::string_view b) {
  std::size_t n = 0;
  for (auto key : {a, b})
    if (const json::value* m = json::find(o, key); m && m->IsObject())
      n += m->MemberCount();
  return std::to_string(n);
}

std::string lower_kind(std::string k) {
  std::transform(k.begin(), k.end(), k.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return k;
}

cells event_cells(const json::value& o, sys_time now, bool v1) {
  auto ref = v1 ? "regarding" : "involvedObject";
  auto last = s(o, {v1 ? "deprecatedLastTimestamp" : "lastTimestamp"});
  if (last.empty())
    last = s(o, {"eventTime"});
  if (last.empty())
    last = s(o, {"metadata", "creationTimestamp"});
  auto first = s(o, {v1 ? "deprecatedFirstTimestamp" : "firstTimestamp"});
  auto count = json::get_int(o, v1 ? "deprecatedCount" : "count").value_or(1);
  auto source
    = v1 ? s(o, {"reportingController"}) : s(o, {"source", "component"});
  return {age_since(last, now),
          s(o, {"type"}),
          s(o, {"reason"}),
          lower_kind(s(o, {ref, "kind"})) + "/" + s(o, {ref, "name"}),
          s(o, {ref, "fieldPath"}),
          source,
          s(o, {v1 ? "note" : "message"}),
          first.empty() ? "<unknown>" : age_since(first, now),
          std::to_string(count),
          s(o, {"metadata", "name"})};
}

cells builtin_cells(const resource_info& info, const json::value& o,
                    sys_time now) {
  auto name = s(o, {"metadata", "name"});
  switch (info.printer) {
    case printer_kind::service:
      return service_cells(o, now);
    case printer_kind::namespace_:
      return {name, s(o, {"status", "phase"}), age(o, now)};
    case printer_kind::node:
      return node_cells(o, now);
    case printer_kind::pod:
      return pod_cells(o, now);
    case printer_kind::endpoints:
      return endpoints_cells(o, now);
    case printer_kind::endpoint_slice:
      return slice_cells(o, now);
    case printer_kind::lease:
      return {name, or_none(s(o, {"spec", "holderIdentity"})), age(o, now)};
    case printer_kind::config_map:
      return {name, count_of(o, "data", "binaryData"), age(o, now)};
    case printer_kind::secret:
      return {name, s(o, {"type"}), count_of(o, "data", "stringData"),
              age(o, now)};
    case printer_kind::event:
      return event_cells(o, now, false);
    case printer_kind::events_v1:
      return event_cells(o, now, true);
    case printer_kind::crd:
      return {name, s(o, {"metadata", "creationTimestamp"})};
    default:
      return {name, age(o, now)};
  }
}

printer_column col(std::string name, int priority = 0,
                   std::string type = "string", std::string format = "") {
  return {std::move(name), std::move(type), std::move(format), "", "",
          priority};
}

std::vector<printer_column> builtin_columns(printer_kind p) {
  auto name = col("Name", 0, "string", "name");
  switch (p) {
    case printer_kind::service:
      return {
        name,           col("Type"), col("Cluster-IP"), col("External-IP"),
        col("Port(s)"), col("Age"),  col("Selector", 1)};
    case printer_kind::namespace_:
      return {name, col("Status"), col("Age")};
    case printer_kind::node:
      return {name,
              col("Status"),
              col("Roles"),
              col("Age"),
              col("Version"),
              col("Internal-IP", 1),
              col("External-IP", 1),
              col("OS-Image", 1),
              col("Kernel-Version", 1),
              col("Container-Runtime", 1)};
    case printer_kind::pod:
      return {name,
              col("Ready"),
              col("Status"),
              col("Restarts", 0, "string"),
              col("Age"),
              col("IP", 1),
              col("Node", 1),
              col("Nominated Node", 1),
              col("Readiness Gates", 1)};
    case printer_kind::endpoints:
      return {name, col("Endpoints"), col("Age")};
    case printer_kind::endpoint_slice:
      return {name, col("AddressType"), col("Ports"), col("Endpoints"),
              col("Age")};
    case printer_kind::lease:
      return {name, col("Holder"), col("Age")};
    case printer_kind::config_map:
      return {name, col("Data", 0, "integer"), col("Age")};
    case printer_kind::secret:
      return {name, col("Type"), col("Data", 0, "integer"), col("Age")};
    case printer_kind::event:
    case printer_kind::events_v1:
      return {col("Last Seen"), col("Type"),          col("Reason"),
              col("Object"),    col("Subobject", 1),  col("Source", 1),
              col("Message"),   col("First Seen", 1), col("Count", 1),
              col("Name", 1)};
    case printer_kind::crd:
      return {name, col("Created At", 0, "date")};
    default:
      return {name, col("Age")};
  }
}

json::value custom_cell(const printer_column& c, const json::value& obj,
                        sys_time now, json::allocator& a) {
  auto found = eval_json_path(obj, c.json_path);
  if (found.empty())
    return json::value{};
  const json::value& v = *found.front();
  if (c.type == "date")
    return json::make_string(age_since(json::as_string(v).value_or(""), now),
                             a);
  if (v.IsString() || v.IsNumber() || v.IsBool())
    return json::copy(v, a);
  return json::make_string(json::to_string(v), a);
}

} // namespace

std::vector<printer_column> table_columns(const resource_info& info) {
  if (info.printer != printer_kind::custom)
    return builtin_columns(info.printer);
  std::vector<printer_column> out{{"Name", "string", "name",
                                   "Name must be unique within a namespace.",
                                   "", 0}};
  if (info.columns.empty())
    out.push_back({"Age", "date", "", "", ".metadata.creationTimestamp", 0});
  out.insert(out.end(), info.columns.begin(), info.columns.end());
  return out;
}

json::value table_cells(const resource_info& info, const json::value& obj,
                        sys_time now, json::allocator& a) {
  json::value out{rapidjson::kArrayType};
  if (info.printer == printer_kind::custom) {
    out.PushBack(json::make_string(s(obj, {"metadata", "name"}), a), a);
    for (const auto& c : table_columns(info))
      if (!c.json_path.empty())
        out.PushBack(custom_cell(c, obj, now, a), a);
    return out;
  }
  auto columns = builtin_columns(info.printer);
  auto values = builtin_cells(info, obj, now);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i < columns.size() && columns[i].type == "integer")
      out.PushBack(json::value{static_cast<std::int64_t>(
                     std::strtoll(values[i].c_str(), nullptr, 10))},
                   a);
    else
      out.PushBack(json::make_string(values[i], a), a);
  }
  return out;
}

} // namespace porter::sim
