// Server-side printing: `meta.k8s.io/v1` Table responses, which kubectl asks
// for with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` and prints
// verbatim (k8s-api.md §5.2). Columns follow kube-apiserver's printers
// (pkg/printers/internalversion) for the built-ins and a CRD's
// additionalPrinterColumns (default: Age) for custom resources.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/apiserver/json.hpp"
#include "sim/apiserver/resource_info.hpp"
#include "sim/apiserver/time_format.hpp"

namespace porter::sim {

enum class include_object { none, metadata, object };

struct table_options {
  bool headers = true; // watch events after the first omit them
  include_object include = include_object::metadata;
  std::string resource_version;
  std::string continue_token;
  std::optional<std::int64_t> remaining;
};

std::vector<printer_column> table_columns(const resource_info& info);

/// The cells of one row for `obj` (same order as table_columns).
json::value table_cells(const resource_info& info, const json::value& obj,
                        sys_time now, json::allocator& a);

/// A whole Table with one row per object.
std::string render_table(const resource_info& info,
                         const std::vector<const json::value*>& objects,
                         const table_options& opts, sys_time now);

/// Evaluates a CRD column JSONPath (`.spec.a`, `.a[0]`, `.a[*].b`,
/// `.conditions[?(@.type=="Ready")].status`); the matches, in order.
std::vector<const json::value*> eval_json_path(const json::value& root,
                                               std::string_view path);

} // namespace porter::sim
