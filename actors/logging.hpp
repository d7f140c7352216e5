// Structured logging for the actor shell: one line per event, `key=value`
// (logfmt) or one JSON object, with stable keys (peer=, svc=, ip=, pool=,
// node=, lease=). Only the shell logs; the pure core returns values.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace porter::log {

enum class level { trace, debug, info, warn, error };
enum class format { logfmt, json };

struct field {
  std::string_view key;
  std::string value;
};

tl::expected<level, std::string> parse_level(std::string_view text);
tl::expected<format, std::string> parse_format(std::string_view text);

/// Configures the process-wide logger (stderr). Safe to call again.
void init(level min_level, format fmt);

/// The fields of one event rendered for `fmt` (without timestamp and level,
/// which the sink adds): `msg=<event> k=v ...` or `"msg":"<event>","k":"v"`.
std::string render_fields(format fmt, std::string_view event,
                          std::initializer_list<field> fields);

void write(level lvl, std::string_view event,
           std::initializer_list<field> fields);

inline void debug(std::string_view event,
                  std::initializer_list<field> fields = {}) {
  write(level::debug, event, fields);
}
inline void info(std::string_view event,
                 std::initializer_list<field> fields = {}) {
  write(level::info, event, fields);
}
inline void warn(std::string_view event,
                 std::initializer_list<field> fields = {}) {
  write(level::warn, event, fields);
}
inline void error(std::string_view event,
                  std::initializer_list<field> fields = {}) {
  write(level::error, event, fields);
}

} // namespace porter::log
