// meta/v1 Status, the body of every API error (k8s-api.md §6 "Status
// errors") and the object of a watch ERROR event (§1.5), with the checks a
// client makes on it: conflict, not found, expired (410 Expired/Gone), too
// many requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "k8s/json_reader.hpp"

namespace porter::k8s {

struct api_status {
  int code = 0;        ///< HTTP status code the Status stands for
  std::string reason;  ///< "Conflict", "NotFound", "Expired", "Gone", ...
  std::string message; ///< human-readable, for logs and Events
  std::optional<int> retry_after_seconds; ///< details.retryAfterSeconds
};

/// Decodes a Status object; fields it lacks stay empty.
decoded<api_status> decode_status(const json_at& object);

/// The Status in an error response body, or one made from the bare HTTP
/// status when the body is not a Status (a proxy's HTML page, empty).
api_status status_from_response(int http_status, std::string_view body);

/// client-go isExpiredError: IsResourceExpired || IsGone (servers ≤ 1.17
/// said "Gone").
inline bool is_expired(const api_status& s) {
  return s.code == 410 || s.reason == "Expired" || s.reason == "Gone";
}
inline bool is_conflict(const api_status& s) {
  return s.code == 409;
}
inline bool is_not_found(const api_status& s) {
  return s.code == 404;
}

/// "409 Conflict: the object has been modified; ..." (one line).
std::string to_string(const api_status& s);

} // namespace porter::k8s
