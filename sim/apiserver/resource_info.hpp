// What the emulator knows about one served resource (one group/version/
// plural): the fields of a discovery `APIResource` (k8s-api.md §5.3), plus
// the behaviour switches of its registry strategy: status subresource,
// metadata.generation tracking, unconditional updates (§2.2), printer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/apiserver/json.hpp"

namespace porter::sim {

/// Which table printer renders the resource (apiserver printers.go).
enum class printer_kind {
  generic,
  custom, // additionalPrinterColumns of a CRD
  service,
  namespace_,
  node,
  pod,
  endpoints,
  endpoint_slice,
  lease,
  config_map,
  secret,
  event,
  events_v1,
  crd,
};

struct printer_column {
  std::string name;
  std::string type; // string, integer, number, boolean, date
  std::string format;
  std::string description;
  std::string json_path;
  int priority = 0;
};

struct resource_info {
  std::string group;
  std::string version;
  std::string resource; // plural
  std::string kind;
  std::string singular;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> verbs;
  bool has_status = false;
  bool tracks_generation = false;
  /// Served from a CRD: no strategic-merge patch (415), no unconditional
  /// update (422), objects validated against `schema`.
  bool custom = false;
  bool allow_unconditional_update = true;
  printer_kind printer = printer_kind::generic;
  std::vector<printer_column> columns;
  std::shared_ptr<const json::document> schema; // openAPIV3Schema
  bool preserve_unknown_fields = false;

  std::string api_version() const {
    return group.empty() ? version : group + "/" + version;
  }
  std::string list_kind() const { return kind + "List"; }
  /// "Service" or "Eip.network.kubesphere.io", as in 422 messages.
  std::string qualified_kind() const {
    return group.empty() ? kind : kind + "." + group;
  }
};

using resource_ptr = std::shared_ptr<const resource_info>;

} // namespace porter::sim
