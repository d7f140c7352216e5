// Internal: the decoded parameters of a list or watch request, shared by
// handle_read.cpp and watch.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sim/apiserver/object_store.hpp"
#include "sim/apiserver/resource_info.hpp"
#include "sim/apiserver/selectors.hpp"
#include "sim/apiserver/table.hpp"

namespace porter::sim {

struct selection {
  std::string ns; // "" = all namespaces
  label_selector labels;
  field_selector fields;
  /// Field selectors beyond metadata.name/namespace need the object parsed.
  bool object_fields = false;

  /// Whether the object (labels `l`, key `k`, JSON `json`) is selected.
  bool matches(const object_key& k, const label_map& l,
               const std::string& json) const;
};

struct watch_spec {
  resource_ptr info;
  selection sel;
  bool snapshot = false; // RV "" or "0": synthetic ADDED first
  std::uint64_t rv = 0;  // start after this RV
  bool too_old = false;  // send ERROR 410 and end
  bool table = false;
  include_object include = include_object::metadata;
  bool bookmarks = false;
  std::chrono::seconds timeout{0};
};

} // namespace porter::sim
