// The picture of a `porter sim` run (issue #10 item 5): routes each switch
// holds over time, who led, probes lost, and the run's events as marks —
// rendered as an SVG inside a small self-contained HTML page. Pure: the
// runner samples, this draws.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace porter::sim {

struct timeline_sample {
  double t = 0; ///< seconds since the start
  /// Per switch (in timeline::switches order): prefixes with a route, and
  /// how many of them the switch forwards on stale paths only.
  std::vector<std::size_t> routes;
  std::vector<std::size_t> stale_paths;
  std::string leader;                         ///< "" when none
  long long probes_sent = 0, probes_lost = 0; ///< since the last sample
};

struct timeline_event {
  double t = 0;
  std::string label; ///< "kill -9 manager-2"
};

struct timeline {
  std::string title;
  std::vector<std::string> switches;
  std::size_t expected_routes = 0; ///< the full height of a switch's band
  std::vector<timeline_sample> samples;
  std::vector<timeline_event> events;
};

/// An <svg> element, 960 px wide.
std::string render_svg(const timeline& t);

/// A complete HTML page with the SVG inline and a legend.
std::string render_html(const timeline& t);

} // namespace porter::sim
