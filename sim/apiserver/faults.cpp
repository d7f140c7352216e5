#include "sim/apiserver/faults.hpp"

#include <algorithm>

#include "sim/apiserver/json.hpp"

namespace porter::sim {

namespace {

tl::expected<void, std::string> read_fail(const json::value& f, int& code,
                                          int& count, int& retry,
                                          std::string& prefix,
                                          std::vector<std::string>& methods) {
  auto c = json::get_int(f, "code").value_or(503);
  // 404 stands for an API group the server does not serve (clients fall
  // back, e.g. events.k8s.io/v1 → core/v1).
  if (c != 404 && c != 429 && c != 500 && c != 503)
    return tl::make_unexpected("fail.code must be 404, 429, 500 or 503");
  code = static_cast<int>(c);
  count = static_cast<int>(json::get_int(f, "count").value_or(-1));
  retry = static_cast<int>(json::get_int(f, "retryAfterSeconds").value_or(1));
  prefix = std::string(json::get_string(f, "pathPrefix").value_or(""));
  methods.clear();
  if (const json::value* m = json::find(f, "methods"); m && m->IsArray())
    for (const auto& v : m->GetArray())
      if (auto s = json::as_string(v))
        methods.emplace_back(*s);
  return {};
}

} // namespace

tl::expected<fault_actions, std::string>
fault_state::apply(std::string_view body) {
  auto doc = json::parse(body.empty() ? "{}" : body);
  if (!doc || !doc->IsObject())
    return tl::make_unexpected("fault request must be a JSON object");
  fault_actions out;
  if (json::get_bool(*doc, "clear").value_or(false)) {
    delay_ms_ = 0;
    fail_code_ = 0;
    fail_count_ = 0;
  }
  if (auto d = json::get_int(*doc, "delayMs"))
    delay_ms_ = static_cast<int>(std::max<std::int64_t>(0, *d));
  if (const json::value* f = json::find(*doc, "fail"); f && f->IsObject()) {
    auto r = read_fail(*f, fail_code_, fail_count_, retry_after_, path_prefix_,
                       methods_);
    if (!r)
      return tl::make_unexpected(r.error());
  }
  out.drop_watches = json::get_bool(*doc, "dropWatches").value_or(false);
  out.expire_watch_cache
    = json::get_bool(*doc, "expireWatchCache").value_or(false);
  if (const json::value* r = json::find(*doc, "restart"); r && r->IsObject())
    out.restart_keep_state = json::get_bool(*r, "keepState").value_or(true);
  return out;
}

bool fault_state::applies(std::string_view method,
                          std::string_view path) const {
  if (path.substr(0, path_prefix_.size()) != path_prefix_)
    return false;
  return methods_.empty()
         || std::find(methods_.begin(), methods_.end(), method)
              != methods_.end();
}

std::optional<api_error> fault_state::take_failure(std::string_view method,
                                                   std::string_view path) {
  if (fail_code_ == 0 || fail_count_ == 0 || !applies(method, path))
    return std::nullopt;
  if (fail_count_ > 0)
    --fail_count_;
  return injected(fail_code_, retry_after_);
}

std::chrono::milliseconds fault_state::delay(std::string_view path) const {
  if (path.substr(0, path_prefix_.size()) != path_prefix_)
    return std::chrono::milliseconds{0};
  return std::chrono::milliseconds{delay_ms_};
}

std::string fault_state::to_json() const {
  return "{\"delayMs\":" + std::to_string(delay_ms_)
         + ",\"fail\":{\"code\":" + std::to_string(fail_code_)
         + ",\"count\":" + std::to_string(fail_count_)
         + ",\"retryAfterSeconds\":" + std::to_string(retry_after_)
         + ",\"pathPrefix\":" + "\"" + path_prefix_ + "\"}}";
}

} // namespace porter::sim
