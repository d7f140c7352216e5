// Internal to the core: the state behind api_core and the request context
// passed to the read/write/delete handlers (handle_*.cpp). Not included by
// the adapter.
#pragma once

#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "sim/apiserver/api_core.hpp"
#include "sim/apiserver/api_error.hpp"
#include "sim/apiserver/encoding.hpp"
#include "sim/apiserver/json.hpp"
#include "sim/apiserver/object_store.hpp"
#include "sim/apiserver/registry.hpp"
#include "sim/apiserver/schema_validation.hpp"
#include "sim/apiserver/service_allocator.hpp"

namespace porter::sim {

struct core_state {
  explicit core_state(const core_options& o)
      : opts(o), store(o.watch_window), services(o.service_cidr), rng(o.seed) {}

  core_options opts;
  registry reg;
  object_store store;
  schema_validator validator;
  service_allocator services;
  splitmix64 rng;
  std::uint64_t writes = 0;
  /// Continue tokens issued at an RV below this are expired (410).
  std::uint64_t continue_floor = 0;
};

/// Everything a resource handler needs about one request.
struct op_context {
  core_state& st;
  const api_request& req;
  const route& rt;
  const query_map& q;
  resource_ptr info;
  sys_time now;

  std::optional<std::string> param(std::string_view name) const {
    auto it = q.find(name);
    return it == q.end() ? std::nullopt : std::optional{it->second};
  }
  bool dry_run() const { return q.count("dryRun") != 0; }
  error_subject subject(std::string name) const {
    return {info->group, info->resource, std::move(name)};
  }
};

api_response error_response(const api_error& e);
api_response json_response(int code, std::string body);

api_response handle_get(op_context& c);
api_response handle_list(op_context& c);
handle_result handle_watch(op_context& c);
api_response handle_create(op_context& c);
api_response handle_update(op_context& c);
api_response handle_patch(op_context& c);
api_response handle_delete(op_context& c);
api_response handle_delete_collection(op_context& c);

/// The stored object as served in `info`'s version (apiVersion rewritten
/// when it was written in another version of the same group).
std::shared_ptr<const std::string> served_json(const stored_object& o,
                                               const resource_info& info);
/// Parses a stored object; they are always valid JSON objects.
json::document parse_stored(const std::string& text);

/// Stamps the next RV into `obj`, stores it (ADDED or MODIFIED) and
/// returns the JSON written.
std::string commit(core_state& st, const resource_info& info,
                   const object_key& key, json::document& obj);
/// Removes the object (DELETED with `last` stamped with the delete RV) and
/// runs the cascades: Service allocations, CRD instances, namespace content.
std::string remove_object(core_state& st, const resource_info& info,
                          const object_key& key, json::document& last,
                          sys_time now);

/// Empties store, allocations and registry (built-ins only), no events.
void reset_contents(core_state& st);
/// Creates default, kube-system, kube-public, kube-node-lease if missing.
void ensure_default_namespaces(core_state& st, sys_time now);

/// Field selector support: metadata.name/namespace everywhere, plus the
/// per-resource fields kube-apiserver registers.
bool field_supported(const resource_info& info, std::string_view field);
std::optional<std::string> field_value(const json::value& obj,
                                       std::string_view field);

} // namespace porter::sim
