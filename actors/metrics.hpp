// The process's metrics (issue #11 item 4): one thread-safe registry of the
// porter_* families, declared once here (name, help, type) so /metrics
// always lists every family, even before a value exists; actors set, add
// and observe; the admin endpoint renders (net/prometheus_text.hpp).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "net/prometheus_text.hpp"

namespace porter::metrics {

void set(std::string_view name, net::metric_labels labels, double value);
void add(std::string_view name, net::metric_labels labels, double delta = 1);
void observe(std::string_view name, net::metric_labels labels, double value);
/// Drops one labelled sample (a peer or pool that is gone).
void remove(std::string_view name, const net::metric_labels& labels);

/// A gauge that reads as the seconds since `since` whenever it is scraped
/// (session uptime: exact at every scrape without a timer).
void set_seconds_since(std::string_view name, net::metric_labels labels,
                       std::chrono::steady_clock::time_point since);

struct labelled_value {
  net::metric_labels labels;
  double value = 0;
};
/// Every sample of `name` at once (the actor registry's families).
void replace(std::string_view name, std::vector<labelled_value> samples);

/// The exposition, every declared family in catalogue order.
std::string render();

} // namespace porter::metrics
