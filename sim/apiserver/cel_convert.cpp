// Type conversions of the CEL subset (cel-spec langdef.md "Type
// conversions"): int(), uint(), double(), string() with cel-go's range and
// parse errors (Go's strconv wording) and Go's shortest double formatting.
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include "sim/apiserver/cel_ast.hpp"

namespace porter::sim::cel {

namespace {

tl::unexpected<error> fail(std::string message) {
  return tl::unexpected(error{std::move(message)});
}

tl::unexpected<error> no_overload() {
  return fail("no such overload");
}

std::string go_double(double d) {
  char buf[32];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d)
      break;
  }
  return buf;
}

result to_int(const value& v) {
  switch (v.type()) {
    case kind::int_type:
      return v;
    case kind::uint_type:
      if (v.as_uint() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
        return fail("range error converting " + std::to_string(v.as_uint())
                    + " to int");
      return value::integer(static_cast<std::int64_t>(v.as_uint()));
    case kind::double_type: {
      double d = v.as_double();
      if (!(d > -9.2233720368547758e18 && d < 9.2233720368547758e18))
        return fail("range error converting " + go_double(d) + " to int");
      return value::integer(static_cast<std::int64_t>(d));
    }
    case kind::string_type: {
      const std::string& s = v.as_string();
      char* end = nullptr;
      errno = 0;
      long long n = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno == ERANGE
          || std::isspace(static_cast<unsigned char>(s[0])) != 0)
        return fail(
          "strconv.ParseInt: parsing \"" + s + "\": "
          + (errno == ERANGE ? "value out of range" : "invalid syntax"));
      return value::integer(n);
    }
    default:
      return no_overload();
  }
}

result to_uint(const value& v) {
  switch (v.type()) {
    case kind::uint_type:
      return v;
    case kind::int_type:
      if (v.as_int() < 0)
        return fail("range error converting " + std::to_string(v.as_int())
                    + " to uint");
      return value::uinteger(static_cast<std::uint64_t>(v.as_int()));
    case kind::double_type: {
      double d = v.as_double();
      if (!(d >= 0 && d < 1.8446744073709552e19))
        return fail("range error converting " + go_double(d) + " to uint");
      return value::uinteger(static_cast<std::uint64_t>(d));
    }
    case kind::string_type: {
      const std::string& s = v.as_string();
      char* end = nullptr;
      errno = 0;
      unsigned long long n = std::strtoull(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno == ERANGE || s[0] == '-'
          || std::isspace(static_cast<unsigned char>(s[0])) != 0)
        return fail("strconv.ParseUint: parsing \"" + s + "\": invalid syntax");
      return value::uinteger(n);
    }
    default:
      return no_overload();
  }
}

result to_double(const value& v) {
  switch (v.type()) {
    case kind::double_type:
      return v;
    case kind::int_type:
      return value::real(static_cast<double>(v.as_int()));
    case kind::uint_type:
      return value::real(static_cast<double>(v.as_uint()));
    case kind::string_type: {
      char* end = nullptr;
      double d = std::strtod(v.as_string().c_str(), &end);
      if (v.as_string().empty() || *end != '\0')
        return fail("strconv.ParseFloat: parsing \"" + v.as_string()
                    + "\": invalid syntax");
      return value::real(d);
    }
    default:
      return no_overload();
  }
}

result to_string(const value& v) {
  switch (v.type()) {
    case kind::string_type:
      return v;
    case kind::int_type:
      return value::string(std::to_string(v.as_int()));
    case kind::uint_type:
      return value::string(std::to_string(v.as_uint()));
    case kind::double_type:
      return value::string(go_double(v.as_double()));
    case kind::bool_type:
      return value::string(v.as_bool() ? "true" : "false");
    default:
      return no_overload();
  }
}

} // namespace

std::optional<result> convert(const std::string& name, const value& v) {
  if (name == "int")
    return to_int(v);
  if (name == "uint")
    return to_uint(v);
  if (name == "double")
    return to_double(v);
  if (name == "string")
    return to_string(v);
  return std::nullopt;
}

} // namespace porter::sim::cel
