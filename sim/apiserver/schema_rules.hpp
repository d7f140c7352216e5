// CRD validation rules (`x-kubernetes-validations`, Kubernetes "Validation
// rules"; apiextensions-apiserver schema/cel/validation.go): each rule runs
// with `self` bound to the value at its schema node, only when the value is
// present; a transition rule (one that uses `oldSelf`) only on updates where
// the old value correlates (object properties, non-atomic maps, map-lists by
// key). A value unchanged by an update skips its other rules (CRD validation
// ratcheting, Kubernetes 1.30+). Failures read like kube-apiserver's:
// `spec.address: Invalid value: "string": <message>`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/apiserver/api_error.hpp"
#include "sim/apiserver/cel.hpp"
#include "sim/apiserver/json.hpp"

namespace porter::sim {

class rule_engine {
public:
  /// Evaluates every rule of `schema` (a version's openAPIV3Schema) over
  /// the custom resource `obj`; `old` is the stored object on updates.
  void validate(const json::value& obj, const json::value* old,
                const json::value& schema, std::vector<status_cause>& out);

private:
  struct walk;
  struct compiled {
    std::optional<cel::program> program{};
    std::string error{};
  };
  /// Compiled once per rule text: the evaluation does not depend on the
  /// schema, only the compile-time check does (done when the CRD is
  /// written, validate_crd_rules).
  const compiled& compile(const std::string& rule, const cel::scope& self);

  std::map<std::string, compiled> programs_;
  cel::regex_cache regexes_;
};

/// The rules of every version of a CRD that do not compile, as causes at
/// `spec.versions[i].schema.openAPIV3Schema...x-kubernetes-validations[j].rule`
/// (apiextensions validation.go). Empty when all compile.
std::vector<status_cause> validate_crd_rules(const json::value& crd);

} // namespace porter::sim
