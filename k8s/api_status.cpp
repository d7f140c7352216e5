#include "k8s/api_status.hpp"

namespace porter::k8s {

decoded<api_status> decode_status(const json_at& object) {
  api_status s;
  auto code = object.int64("code");
  auto reason = object.string("reason");
  auto message = object.string("message");
  if (!code)
    return tl::make_unexpected(code.error());
  if (!reason)
    return tl::make_unexpected(reason.error());
  if (!message)
    return tl::make_unexpected(message.error());
  s.code = static_cast<int>(*code);
  s.reason = std::move(*reason);
  s.message = std::move(*message);
  if (auto details = object.member("details"); details && *details) {
    if (auto retry = (*details)->optional_int64("retryAfterSeconds");
        retry && *retry)
      s.retry_after_seconds = static_cast<int>(**retry);
  }
  return s;
}

api_status status_from_response(int http_status, std::string_view body) {
  if (auto doc = parse_json(body); doc && doc->IsObject()) {
    if (auto s = decode_status(json_at{*doc}); s) {
      if (s->code == 0)
        s->code = http_status;
      return *s;
    }
  }
  api_status s;
  s.code = http_status;
  s.message = std::string{body.substr(0, 200)};
  return s;
}

std::string to_string(const api_status& s) {
  std::string out = std::to_string(s.code);
  if (!s.reason.empty())
    out += " " + s.reason;
  if (!s.message.empty())
    out += ": " + s.message;
  return out;
}

} // namespace porter::k8s
