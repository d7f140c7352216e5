// Validation of custom resources against their CRD's structural OpenAPI v3
// schema, as apiextensions-apiserver does it: type (incl. integer vs number,
// nullable, x-kubernetes-int-or-string), required, enum, pattern (Go
// MatchString: a search), min/max length, items and minimum/maximum; unknown
// fields are pruned unless x-kubernetes-preserve-unknown-fields, and reported
// so `fieldValidation=Strict` can refuse them. Errors carry the field path.
// Then the CEL rules (x-kubernetes-validations, schema_rules.hpp), unless a
// schema error blocks them as in kube-apiserver.
#pragma once

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "sim/apiserver/api_error.hpp"
#include "sim/apiserver/json.hpp"
#include "sim/apiserver/schema_rules.hpp"

namespace porter::sim {

struct schema_result {
  std::vector<status_cause> errors;
  std::vector<std::string> unknown_fields; // pruned, "spec.foo"
};

class schema_validator {
public:
  /// Validates `obj` (a whole custom resource) against `schema` (the
  /// version's openAPIV3Schema) and prunes unknown fields from it; `old` is
  /// the stored object on updates (for transition rules).
  schema_result validate(json::value& obj, const json::value& schema,
                         const json::value* old = nullptr);

private:
  struct walk;
  /// nullptr when `pattern` does not compile (then it is not enforced).
  const std::regex* compiled(const std::string& pattern);

  std::map<std::string, std::shared_ptr<std::regex>> regex_cache_;
  rule_engine rules_;
};

} // namespace porter::sim
