// The process's metrics (issue #11 item 4): one thread-safe registry of the
// porter_* families, declared once here (name, help, type) so /metrics
// always lists every family, even before a value exists; actors set, add
// and observe; the admin endpoint renders (net/prometheus_text.hpp).
#pragma once

#include <string>
#include <string_view>

#include "net/prometheus_text.hpp"

namespace porter::metrics {

void set(std::string_view name, net::metric_labels labels, double value);
void add(std::string_view name, net::metric_labels labels, double delta = 1);
void observe(std::string_view name, net::metric_labels labels, double value);
/// Drops one labelled sample (a peer or pool that is gone).
void remove(std::string_view name, const net::metric_labels& labels);

/// The exposition, every declared family in catalogue order.
std::string render();

} // namespace porter::metrics
