// Kubernetes `Status` errors (apimachinery/pkg/api/errors): every failure the
// emulator reports is one of these, with the HTTP code, the reason and the
// details shape of the real apiserver (k8s-api.md §6 "Status errors":
// details.kind is the plural resource, details.group set for non-core groups,
// causes[].reason/field for 422 Invalid).
#pragma once

#include <string>
#include <vector>

namespace porter::sim {

struct status_cause {
  std::string reason; // FieldValueRequired, FieldValueInvalid, ...
  std::string message;
  std::string field; // "spec.address"
};

struct api_error {
  int code = 500;
  std::string reason; // NotFound, AlreadyExists, Conflict, Invalid, ...
  std::string message;
  std::string name;  // details.name
  std::string group; // details.group
  std::string kind;  // details.kind (plural resource for most errors)
  std::vector<status_cause> causes;
  int retry_after_seconds = 0;
};

api_error make_error(int code, std::string reason, std::string message);

/// Which object an error is about: group, plural resource, name.
struct error_subject {
  std::string group;
  std::string resource;
  std::string name;
};

api_error not_found(const error_subject& s);
api_error already_exists(const error_subject& s);
/// 409 with apiserver's OptimisticLockErrorMsg.
api_error conflict(const error_subject& s, const std::string& why = {});
/// 422: `<Kind>.<group> "<name>" is invalid: <causes>`.
api_error invalid(const std::string& qualified_kind, const std::string& name,
                  std::vector<status_cause> causes);
api_error bad_request(const std::string& message);
api_error method_not_allowed(const std::string& message);
api_error unsupported_media_type(const std::string& message);
/// 404 for a path no handler serves.
api_error path_not_found();
/// 410 reason Expired (watch window, continue tokens).
api_error expired(const std::string& message);
api_error internal_error(const std::string& message);
api_error unauthorized();
/// 429/500/503 injected by a fault, with retryAfterSeconds.
api_error injected(int code, int retry_after_seconds);

/// The `Status` object, compact JSON.
std::string status_json(const api_error& e);
/// `{"kind":"Status",...,"status":"Success","details":{...}}` for deletes.
std::string success_status_json(const error_subject& s, const std::string& uid);

} // namespace porter::sim
