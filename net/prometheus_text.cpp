#include "net/prometheus_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace porter::net {

namespace {

bool name_char(char c, bool first, bool colon) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                     || c == '_' || (colon && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

bool valid_name(std::string_view n, bool colon) {
  if (n.empty())
    return false;
  for (std::size_t i = 0; i < n.size(); ++i)
    if (!name_char(n[i], i == 0, colon))
      return false;
  return true;
}

/// Label values escape \, " and newline; HELP text \ and newline.
std::string escape(std::string_view s, bool quotes) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quotes && c == '"')
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  // The shortest of 15-17 significant digits that reads back as `v`.
  char buf[32];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

std::string label_text(const metric_labels& labels,
                       const std::pair<std::string, std::string>* extra) {
  if (labels.empty() && extra == nullptr)
    return {};
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    out += (first ? "" : ",") + k + "=\"" + escape(v, true) + "\"";
    first = false;
  };
  for (const auto& [k, v] : labels)
    add(k, v);
  if (extra != nullptr)
    add(extra->first, extra->second);
  return out + "}";
}

const char* type_name(metric_type t) {
  switch (t) {
    case metric_type::counter:
      return "counter";
    case metric_type::gauge:
      return "gauge";
    case metric_type::histogram:
      return "histogram";
  }
  return "untyped";
}

} // namespace

bool valid_metric_name(std::string_view name) {
  return valid_name(name, true);
}
bool valid_label_name(std::string_view name) {
  return valid_name(name, false);
}

std::string render_prometheus(const std::vector<metric_family>& families) {
  std::string out;
  for (const auto& f : families) {
    out += "# HELP " + f.name + " " + escape(f.help, false) + "\n";
    out += "# TYPE " + f.name + " " + type_name(f.type) + "\n";
    for (const auto& s : f.samples) {
      if (f.type != metric_type::histogram) {
        out += f.name + label_text(s.labels, nullptr) + " " + number(s.value)
               + "\n";
        continue;
      }
      const auto& h = s.histogram;
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= h.bounds.size(); ++i) {
        cumulative += i < h.counts.size() ? h.counts[i] : 0;
        const std::pair<std::string, std::string> le{
          "le", i < h.bounds.size() ? number(h.bounds[i]) : "+Inf"};
        out += f.name + "_bucket" + label_text(s.labels, &le) + " "
               + std::to_string(cumulative) + "\n";
      }
      out += f.name + "_sum" + label_text(s.labels, nullptr) + " "
             + number(h.sum) + "\n";
      out += f.name + "_count" + label_text(s.labels, nullptr) + " "
             + std::to_string(cumulative) + "\n";
    }
  }
  return out;
}

} // namespace porter::net
