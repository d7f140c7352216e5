// The functions of the CEL subset: cel-spec's standard definitions (size,
// matches, startsWith/endsWith/contains; conversions in cel_convert.cpp),
// cel-go's strings extension that Kubernetes enables (split, join,
// lowerAscii, upperAscii, trim, indexOf, substring, replace, charAt) and
// Kubernetes' list library (isSorted, sum, min, max). Strings are indexed by
// code point, as in CEL.
#include <algorithm>

#include "sim/apiserver/cel_ast.hpp"

namespace porter::sim::cel {

namespace {

using args_t = std::vector<value>;

// As schema_validation.cpp's limit for `pattern`.
constexpr std::size_t max_match_input = 4096;

constexpr function_info table[] = {
  {"size", 1, 0, 0, kind::int_type},
  {"int", 1, -1, -1, kind::int_type},
  {"uint", 1, -1, -1, kind::uint_type},
  {"double", 1, -1, -1, kind::double_type},
  {"string", 1, -1, -1, kind::string_type},
  {"dyn", 1, -1, -1, std::nullopt},
  {"matches", 2, 1, 1, kind::bool_type},
  {"startsWith", -1, 1, 1, kind::bool_type},
  {"endsWith", -1, 1, 1, kind::bool_type},
  {"contains", -1, 1, 1, kind::bool_type},
  {"split", -1, 1, 2, kind::list_type},
  {"join", -1, 0, 1, kind::string_type},
  {"lowerAscii", -1, 0, 0, kind::string_type},
  {"upperAscii", -1, 0, 0, kind::string_type},
  {"trim", -1, 0, 0, kind::string_type},
  {"indexOf", -1, 1, 2, kind::int_type},
  {"substring", -1, 1, 2, kind::string_type},
  {"replace", -1, 2, 3, kind::string_type},
  {"charAt", -1, 1, 1, kind::string_type},
  {"isSorted", -1, 0, 0, kind::bool_type},
  {"sum", -1, 0, 0, std::nullopt},
  {"min", -1, 0, 0, std::nullopt},
  {"max", -1, 0, 0, std::nullopt},
};

tl::unexpected<error> fail(std::string message) {
  return tl::unexpected(error{std::move(message)});
}

tl::unexpected<error> no_overload() {
  return fail("no such overload");
}

bool all_of_kind(const args_t& a, std::size_t from, kind k) {
  return std::all_of(a.begin() + static_cast<std::ptrdiff_t>(from), a.end(),
                     [k](const value& v) { return v.type() == k; });
}

// Byte offsets of each code point of `s`, plus s.size() at the end.
std::vector<std::size_t> code_points(const std::string& s) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80)
      out.push_back(i);
  out.push_back(s.size());
  return out;
}

result size_of(const value& v) {
  switch (v.type()) {
    case kind::string_type:
      return value::integer(
        static_cast<std::int64_t>(code_points(v.as_string()).size() - 1));
    case kind::list_type:
      return value::integer(static_cast<std::int64_t>(v.items().size()));
    case kind::map_type:
      return value::integer(static_cast<std::int64_t>(v.entries().size()));
    default:
      return no_overload();
  }
}

result matches(const std::string& s, const std::string& pattern,
               regex_cache& re) {
  // std::regex recurses per character (RE2 does not): a long value could
  // overflow the stack, so the emulator refuses to match it.
  if (s.size() > max_match_input)
    return fail("regex input of " + std::to_string(s.size())
                + " bytes is over the emulator's limit of "
                + std::to_string(max_match_input));
  const std::regex* r = re.get(pattern);
  if (r == nullptr)
    return fail("error parsing regexp: invalid pattern: `" + pattern + "`");
  try {
    return value::boolean(std::regex_search(s, *r));
  } catch (const std::regex_error&) {
    return fail("regex evaluation failed: input too complex");
  }
}

// Go's strings.SplitN: n < 0 all parts, n == 0 none; "" splits code points.
value split(const std::string& s, const std::string& sep, std::int64_t n) {
  list out;
  auto room
    = [&] { return n < 0 || static_cast<std::int64_t>(out.size()) < n - 1; };
  if (n == 0)
    return value::make_list(std::move(out));
  std::size_t start = 0;
  if (sep.empty()) {
    auto cps = code_points(s);
    for (std::size_t i = 0; i + 1 < cps.size() && room(); ++i, start = cps[i])
      out.push_back(value::string(s.substr(cps[i], cps[i + 1] - cps[i])));
    if (start < s.size())
      out.push_back(value::string(s.substr(start)));
    return value::make_list(std::move(out));
  }
  for (auto at = s.find(sep); at != std::string::npos && room();
       at = s.find(sep, start)) {
    out.push_back(value::string(s.substr(start, at - start)));
    start = at + sep.size();
  }
  out.push_back(value::string(s.substr(start)));
  return value::make_list(std::move(out));
}

result join(const list& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].type() != kind::string_type)
      return no_overload();
    out += (i ? sep : "") + items[i].as_string();
  }
  return value::string(std::move(out));
}

result string_method(const std::string& f, const args_t& a, regex_cache& re);
result list_method(const std::string& f, const list& items);

} // namespace

const function_info* find_function(std::string_view name) {
  for (const auto& f : table)
    if (f.name == name)
      return &f;
  return nullptr;
}

result call_function(const std::string& name, bool receiver, const args_t& a,
                     regex_cache& re) {
  if (a.empty())
    return no_overload();
  if (name == "size" && a.size() == 1)
    return size_of(a[0]);
  if (!receiver && a.size() == 1 && name == "dyn")
    return a[0];
  if (!receiver && a.size() == 1)
    if (auto r = convert(name, a[0]))
      return *r;
  if (name == "join" && receiver && a[0].type() == kind::list_type) {
    if (a.size() == 1)
      return join(a[0].items(), "");
    if (a.size() == 2 && a[1].type() == kind::string_type)
      return join(a[0].items(), a[1].as_string());
  }
  if (a[0].type() == kind::list_type && receiver && a.size() == 1)
    return list_method(name, a[0].items());
  if (a[0].type() == kind::string_type)
    return string_method(name, a, re);
  return no_overload();
}

namespace {

result string_method(const std::string& f, const args_t& a, regex_cache& re) {
  const std::string& s = a[0].as_string();
  std::size_t n = a.size();
  if (f == "matches" && n == 2 && a[1].type() == kind::string_type)
    return matches(s, a[1].as_string(), re);
  if ((f == "startsWith" || f == "endsWith" || f == "contains") && n == 2
      && a[1].type() == kind::string_type) {
    const std::string& t = a[1].as_string();
    bool r = f == "contains" ? s.find(t) != std::string::npos
             : f == "startsWith"
               ? s.rfind(t, 0) == 0
               : s.size() >= t.size()
                   && s.compare(s.size() - t.size(), t.size(), t) == 0;
    return value::boolean(r);
  }
  if (f == "split" && (n == 2 || n == 3) && a[1].type() == kind::string_type
      && (n == 2 || a[2].type() == kind::int_type))
    return split(s, a[1].as_string(), n == 3 ? a[2].as_int() : -1);
  if ((f == "lowerAscii" || f == "upperAscii") && n == 1) {
    std::string out = s;
    for (auto& c : out)
      if (c >= (f == "lowerAscii" ? 'A' : 'a')
          && c <= (f == "lowerAscii" ? 'Z' : 'z'))
        c = static_cast<char>(c ^ 0x20);
    return value::string(std::move(out));
  }
  if (f == "trim" && n == 1) {
    auto b = s.find_first_not_of(" \t\n\v\f\r");
    auto e = s.find_last_not_of(" \t\n\v\f\r");
    return value::string(b == std::string::npos ? "" : s.substr(b, e - b + 1));
  }
  auto cps = code_points(s);
  auto len = static_cast<std::int64_t>(cps.size() - 1);
  auto index_arg = [&](std::size_t i) -> std::int64_t {
    return i < n && a[i].type() == kind::int_type ? a[i].as_int() : -1;
  };
  if (f == "charAt" && n == 2 && a[1].type() == kind::int_type) {
    auto i = a[1].as_int();
    if (i < 0 || i > len)
      return fail("index out of range: " + std::to_string(i));
    auto at = static_cast<std::size_t>(i);
    return value::string(
      s.substr(cps[at], cps[at + 1 < cps.size() ? at + 1 : at] - cps[at]));
  }
  if (f == "indexOf" && (n == 2 || n == 3)
      && a[1].type() == kind::string_type) {
    std::int64_t from = n == 3 ? index_arg(2) : 0;
    if (from < 0 || from > len)
      return fail("index out of range: " + std::to_string(from));
    auto at = s.find(a[1].as_string(), cps[static_cast<std::size_t>(from)]);
    if (at == std::string::npos)
      return value::integer(-1);
    auto it = std::lower_bound(cps.begin(), cps.end(), at);
    return value::integer(it - cps.begin());
  }
  if (f == "substring" && (n == 2 || n == 3)
      && all_of_kind(a, 1, kind::int_type)) {
    std::int64_t b = a[1].as_int();
    std::int64_t e = n == 3 ? a[2].as_int() : len;
    if (b < 0 || b > len || e < b || e > len)
      return fail("index out of range: "
                  + std::to_string(b < 0 || b > len ? b : e));
    auto from = cps[static_cast<std::size_t>(b)];
    return value::string(
      s.substr(from, cps[static_cast<std::size_t>(e)] - from));
  }
  if (f == "replace" && (n == 3 || n == 4) && a[1].type() == kind::string_type
      && a[2].type() == kind::string_type
      && (n == 3 || a[3].type() == kind::int_type)) {
    std::int64_t limit = n == 4 ? a[3].as_int() : -1;
    const std::string& from = a[1].as_string();
    std::string out;
    std::size_t pos = 0;
    for (std::int64_t done = 0; limit < 0 || done < limit; ++done) {
      auto at = from.empty() ? std::string::npos : s.find(from, pos);
      if (at == std::string::npos)
        break;
      out += s.substr(pos, at - pos) + a[2].as_string();
      pos = at + from.size();
    }
    return value::string(out + s.substr(pos));
  }
  return no_overload();
}

result list_method(const std::string& f, const list& items) {
  if (f == "isSorted") {
    for (std::size_t i = 1; i < items.size(); ++i) {
      auto c = compare(items[i - 1], items[i]);
      if (!c)
        return tl::unexpected(c.error());
      if (*c > 0)
        return value::boolean(false);
    }
    return value::boolean(true);
  }
  if (f == "min" || f == "max") {
    if (items.empty())
      return fail(f + " called on empty list");
    const value* best = &items[0];
    for (const auto& v : items) {
      auto c = compare(v, *best);
      if (!c)
        return tl::unexpected(c.error());
      if (f == "min" ? *c < 0 : *c > 0)
        best = &v;
    }
    return *best;
  }
  if (f == "sum") {
    value total = value::integer(0);
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto r
        = i == 0 ? result(items[0]) : apply_operator("+", {total, items[i]});
      if (!r)
        return r;
      total = std::move(*r);
    }
    return total;
  }
  return no_overload();
}

} // namespace

} // namespace porter::sim::cel
