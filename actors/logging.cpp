#include "actors/logging.hpp"

#include <atomic>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace porter::log {

namespace {

std::atomic<format> current_format{format::logfmt};

bool needs_quotes(std::string_view v) {
  if (v.empty())
    return true;
  for (char c : v)
    if (c == ' ' || c == '=' || c == '"' || c == '\\'
        || static_cast<unsigned char>(c) < 0x20)
      return true;
  return false;
}

// Escapes for both logfmt quoted values and JSON strings.
void append_escaped(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
}

void append_logfmt(std::string& out, std::string_view key,
                   std::string_view value) {
  if (!out.empty())
    out += ' ';
  out += key;
  out += '=';
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  append_escaped(out, value);
  out += '"';
}

void append_json(std::string& out, std::string_view key,
                 std::string_view value) {
  if (!out.empty())
    out += ',';
  out += '"';
  append_escaped(out, key);
  out += "\":\"";
  append_escaped(out, value);
  out += '"';
}

spdlog::level::level_enum to_spdlog(level l) {
  switch (l) {
    case level::trace:
      return spdlog::level::trace;
    case level::debug:
      return spdlog::level::debug;
    case level::info:
      return spdlog::level::info;
    case level::warn:
      return spdlog::level::warn;
    case level::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

} // namespace

tl::expected<level, std::string> parse_level(std::string_view text) {
  if (text == "trace")
    return level::trace;
  if (text == "debug")
    return level::debug;
  if (text == "info")
    return level::info;
  if (text == "warn" || text == "warning")
    return level::warn;
  if (text == "error")
    return level::error;
  return tl::unexpected("unknown log level '" + std::string(text)
                        + "' (trace, debug, info, warn, error)");
}

tl::expected<format, std::string> parse_format(std::string_view text) {
  if (text == "logfmt")
    return format::logfmt;
  if (text == "json")
    return format::json;
  return tl::unexpected("unknown log format '" + std::string(text)
                        + "' (logfmt, json)");
}

void init(level min_level, format fmt) {
  current_format = fmt;
  auto logger = spdlog::get("porter");
  if (!logger) {
    logger = spdlog::stderr_logger_mt("porter");
    spdlog::set_default_logger(logger);
  }
  logger->set_level(to_spdlog(min_level));
  logger->flush_on(spdlog::level::trace);
  // The sink adds the timestamp and level; events render the rest.
  if (fmt == format::json)
    logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                        spdlog::pattern_time_type::utc);
  else
    logger->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v",
                        spdlog::pattern_time_type::utc);
}

std::string render_fields(format fmt, std::string_view event,
                          std::initializer_list<field> fields) {
  std::string out;
  auto append = fmt == format::json ? append_json : append_logfmt;
  append(out, "msg", event);
  for (const auto& f : fields)
    append(out, f.key, f.value);
  return out;
}

void write(level lvl, std::string_view event,
           std::initializer_list<field> fields) {
  auto logger = spdlog::default_logger_raw();
  auto sl = to_spdlog(lvl);
  if (!logger->should_log(sl))
    return;
  logger->log(sl, render_fields(current_format.load(), event, fields));
}

} // namespace porter::log
