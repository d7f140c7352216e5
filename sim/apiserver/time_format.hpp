// Time as the Kubernetes API writes it: metav1.Time is RFC 3339 in UTC with
// second precision ("2026-11-26T22:22:20Z"), and `kubectl get` ages are
// apimachinery's duration.HumanDuration ("5m", "2d3h"). Pure: the current
// time is always a parameter, never read from a clock here.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace porter::sim {

using sys_time = std::chrono::system_clock::time_point;

/// "YYYY-MM-DDTHH:MM:SSZ" (metav1.Time).
std::string format_rfc3339(sys_time t);
/// Parses RFC 3339 with optional fraction and "Z" or "+hh:mm" offset.
std::optional<sys_time> parse_rfc3339(std::string_view text);
/// apimachinery/pkg/util/duration.HumanDuration.
std::string human_duration(std::chrono::seconds d);
/// The age column of a table: human_duration(now - created), "<unknown>"
/// when `created` does not parse.
std::string age_since(std::string_view created, sys_time now);

} // namespace porter::sim
