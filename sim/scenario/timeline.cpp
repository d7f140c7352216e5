#include "sim/scenario/timeline.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

namespace porter::sim {

namespace {

constexpr double width = 960, left = 110, right = 20, band = 46, gap = 14;
const char* const leader_colors[]
  = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string text(double x, double y, const std::string& s,
                 const char* anchor = "start", int size = 12) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\""
         + std::to_string(size) + "\" text-anchor=\"" + anchor + "\">"
         + escape(s) + "</text>\n";
}

std::string rect(double x, double y, double w, double h, const char* fill) {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\""
         + num(std::max(w, 0.5)) + "\" height=\"" + num(h) + "\" fill=\"" + fill
         + "\"/>\n";
}

} // namespace

std::string render_svg(const timeline& t) {
  const double end = t.samples.empty() ? 1 : std::max(t.samples.back().t, 1e-3);
  const double plot = width - left - right;
  auto x_of = [&](double s) { return left + s / end * plot; };
  const std::size_t rows = t.switches.size() + 2; // + leader + probes
  const double height = 40 + static_cast<double>(rows) * (band + gap) + 30;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
                    + num(width) + "\" height=\"" + num(height)
                    + "\" font-family=\"sans-serif\">\n";
  svg += text(left, 20, t.title, "start", 14);
  double y = 40;
  const double full
    = std::max<double>(1, static_cast<double>(t.expected_routes));
  // One band per switch: green up to the routes it holds, amber where only
  // stale paths carry them.
  for (std::size_t i = 0; i < t.switches.size(); ++i, y += band + gap) {
    svg += text(left - 8, y + band / 2 + 4, t.switches[i], "end");
    svg += rect(left, y, plot, band, "#eeeeee");
    // Runs of equal samples become one rectangle (no hairline seams).
    auto state = [&](std::size_t k) {
      const auto& s = t.samples[k];
      const std::size_t routes = i < s.routes.size() ? s.routes[i] : 0;
      const bool stale = i < s.stale_paths.size() && s.stale_paths[i] > 0;
      return std::pair{routes, stale};
    };
    for (std::size_t k = 0; k + 1 < t.samples.size();) {
      std::size_t next = k + 1;
      while (next + 1 < t.samples.size() && state(next) == state(k))
        ++next;
      const auto [routes, stale] = state(k);
      const double h = std::min(1.0, static_cast<double>(routes) / full) * band;
      svg += rect(x_of(t.samples[k].t), y + band - h,
                  x_of(t.samples[next].t) - x_of(t.samples[k].t), h,
                  stale ? "#f1ce63" : "#59a14f");
      k = next;
    }
  }
  // The leader, one colour per replica.
  svg += text(left - 8, y + band / 2 + 4, "leader", "end");
  std::map<std::string, const char*> colors;
  for (std::size_t k = 0; k + 1 < t.samples.size();) {
    std::size_t next = k + 1;
    while (next + 1 < t.samples.size()
           && t.samples[next].leader == t.samples[k].leader)
      ++next;
    const auto& s = t.samples[k];
    if (!s.leader.empty()) {
      auto [it, fresh] = colors.emplace(
        s.leader, leader_colors[colors.size() % std::size(leader_colors)]);
      svg += rect(x_of(s.t), y + 8, x_of(t.samples[next].t) - x_of(s.t),
                  band - 16, it->second);
    }
    k = next;
  }
  double lx = left;
  for (const auto& [name, color] : colors) {
    svg += rect(lx, y + band + 2, 10, 10, color);
    svg += text(lx + 14, y + band + 11, name, "start", 10);
    lx += 110;
  }
  y += band + gap + 12;
  // Probes lost per sample, as red bars scaled to the most lost.
  svg += text(left - 8, y + band / 2 + 4, "probes lost", "end");
  long long most = 1;
  for (const auto& s : t.samples)
    most = std::max(most, s.probes_lost);
  for (std::size_t k = 0; k + 1 < t.samples.size(); ++k) {
    const auto& s = t.samples[k];
    if (s.probes_lost == 0)
      continue;
    const double h
      = static_cast<double>(s.probes_lost) / static_cast<double>(most) * band;
    svg += rect(x_of(s.t), y + band - h, x_of(t.samples[k + 1].t) - x_of(s.t),
                h, "#e15759");
  }
  svg += "<line x1=\"" + num(left) + "\" y1=\"" + num(y + band) + "\" x2=\""
         + num(left + plot) + "\" y2=\"" + num(y + band)
         + "\" stroke=\"#999\"/>\n";
  y += band + 4;
  // Events: a dashed line across all bands and the label at the bottom.
  int i = 0;
  for (const auto& e : t.events) {
    const double x = x_of(e.t);
    svg += "<line x1=\"" + num(x) + "\" y1=\"36\" x2=\"" + num(x) + "\" y2=\""
           + num(y) + "\" stroke=\"#555\" stroke-dasharray=\"3,3\"/>\n";
    svg += text(x + 2, y + 12 + (i++ % 2) * 12, e.label, "start", 10);
  }
  svg += text(left + plot, y - 8, num(end) + " s", "end", 10);
  svg += text(left, y - 8, "0 s", "start", 10);
  svg += "</svg>\n";
  return svg;
}

std::string render_html(const timeline& t) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
         + escape(t.title)
         + "</title></head>\n<body style=\"font-family:sans-serif\">\n"
         + render_svg(t)
         + "<p>Bands: prefixes each switch routes (green; amber while only "
           "stale paths of a restarting peer carry them, RFC 4724). Leader: "
           "the Lease holder. Red: probes lost. Dashed lines: the run's "
           "events.</p>\n</body></html>\n";
}

} // namespace porter::sim
