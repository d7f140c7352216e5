// The Prometheus text exposition format, version 0.0.4 (issue #11 item 4):
// what GET /metrics answers. Families in the order given, each with # HELP
// and # TYPE, samples with escaped label values; a histogram as cumulative
// _bucket{le=...} lines ending at +Inf, then _sum and _count. Pure; the
// registry that actors update is actors/metrics.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porter::net {

enum class metric_type { counter, gauge, histogram };

using metric_labels = std::vector<std::pair<std::string, std::string>>;

struct histogram_data {
  std::vector<double> bounds; ///< upper bounds, ascending, without +Inf
  /// Observations per bucket (not cumulative): bounds.size() + 1 entries,
  /// the last one for above every bound.
  std::vector<std::uint64_t> counts;
  double sum = 0;
};

struct metric_sample {
  metric_labels labels;
  double value = 0;         ///< counter, gauge
  histogram_data histogram; ///< histogram
};

struct metric_family {
  std::string name; ///< porter_..., counters end in _total
  std::string help;
  metric_type type = metric_type::gauge;
  std::vector<metric_sample> samples;
};

/// [a-zA-Z_:][a-zA-Z0-9_:]* and [a-zA-Z_][a-zA-Z0-9_]* (data model).
bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);

std::string render_prometheus(const std::vector<metric_family>& families);

} // namespace porter::net
