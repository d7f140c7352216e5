#include "sim/apiserver/time_format.hpp"

#include <cstdio>

namespace porter::sim {

namespace {

// Howard Hinnant's civil-calendar algorithms (public domain), so that no
// libc time zone state is consulted.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t y;
  unsigned m, d;
};

civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2), m, d};
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Parses the zone suffix at `pos` ("Z", "+hh:mm", "-hh:mm") into seconds.
std::optional<int> parse_offset(std::string_view s, std::size_t pos) {
  if (pos >= s.size())
    return std::nullopt;
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size())
    return 0;
  if ((s[pos] != '+' && s[pos] != '-') || pos + 6 != s.size()
      || s[pos + 3] != ':')
    return std::nullopt;
  int hh = 0;
  int mm = 0;
  if (!digits(s, pos + 1, 2, hh) || !digits(s, pos + 4, 2, mm))
    return std::nullopt;
  int off = hh * 3600 + mm * 60;
  return s[pos] == '-' ? -off : off;
}

} // namespace

std::string format_rfc3339(sys_time t) {
  auto secs
    = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch())
        .count();
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  auto rem = static_cast<int>(secs - days * 86400);
  civil c = civil_from_days(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<long long>(c.y), c.m, c.d, rem / 3600,
                rem / 60 % 60, rem % 60);
  return buf;
}

std::optional<sys_time> parse_rfc3339(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-'
      || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d)
      || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':'
      || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return std::nullopt;
  std::size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
      ++pos;
  }
  auto off = parse_offset(s, pos);
  if (!off)
    return std::nullopt;
  std::int64_t secs
    = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))
        * 86400
      + h * 3600 + mi * 60 + se - *off;
  return sys_time{std::chrono::seconds{secs}};
}

std::string human_duration(std::chrono::seconds d) {
  auto s = d.count();
  auto str
    = [](long long v, const char* unit) { return std::to_string(v) + unit; };
  if (s < -1)
    return "<invalid>";
  if (s < 0)
    return "0s";
  if (s < 120)
    return str(s, "s");
  long long minutes = s / 60;
  if (minutes < 10)
    return s % 60 == 0 ? str(minutes, "m")
                       : str(minutes, "m") + str(s % 60, "s");
  if (minutes < 180)
    return str(minutes, "m");
  long long hours = s / 3600;
  if (hours < 8)
    return minutes % 60 == 0 ? str(hours, "h")
                             : str(hours, "h") + str(minutes % 60, "m");
  if (hours < 48)
    return str(hours, "h");
  if (hours < 24 * 8)
    return hours % 24 == 0 ? str(hours / 24, "d")
                           : str(hours / 24, "d") + str(hours % 24, "h");
  if (hours < 24 * 365 * 2)
    return str(hours / 24, "d");
  if (hours < 24 * 365 * 8) {
    long long days = hours / 24 % 365;
    return days == 0 ? str(hours / 24 / 365, "y")
                     : str(hours / 24 / 365, "y") + str(days, "d");
  }
  return str(hours / 24 / 365, "y");
}

std::string age_since(std::string_view created, sys_time now) {
  auto t = parse_rfc3339(created);
  if (!t)
    return "<unknown>";
  return human_duration(
    std::chrono::duration_cast<std::chrono::seconds>(now - *t));
}

} // namespace porter::sim
