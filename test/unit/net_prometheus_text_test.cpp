// The Prometheus text exposition format 0.0.4 (net/prometheus_text.hpp;
// prometheus.io/docs/instrumenting/exposition_formats): HELP/TYPE lines,
// label escaping, cumulative histogram buckets ending at +Inf.
#include <gtest/gtest.h>

#include "net/prometheus_text.hpp"

namespace porter::net {
namespace {

TEST(PrometheusText, CountersGaugesAndEscaping) {
  std::vector<metric_family> f{
    {"porter_bgp_session_up",
     "1 if the BGP session is Established",
     metric_type::gauge,
     {{{{"peer", "tor-a"}}, 1, {}}, {{{"peer", "a\"b\\c\nd"}}, 0, {}}}},
    {"porter_allocations_total",
     "EIPs allocated, back\\slash",
     metric_type::counter,
     {{{}, 12, {}}}},
    {"porter_ratio", "a fraction", metric_type::gauge, {{{}, 0.25, {}}}},
  };
  EXPECT_EQ(render_prometheus(f),
            "# HELP porter_bgp_session_up 1 if the BGP session is "
            "Established\n"
            "# TYPE porter_bgp_session_up gauge\n"
            "porter_bgp_session_up{peer=\"tor-a\"} 1\n"
            "porter_bgp_session_up{peer=\"a\\\"b\\\\c\\nd\"} 0\n"
            "# HELP porter_allocations_total EIPs allocated, back\\\\slash\n"
            "# TYPE porter_allocations_total counter\n"
            "porter_allocations_total 12\n"
            "# HELP porter_ratio a fraction\n"
            "# TYPE porter_ratio gauge\n"
            "porter_ratio 0.25\n");
}

TEST(PrometheusText, HistogramBucketsAreCumulative) {
  metric_sample s;
  s.labels = {{"kind", "service"}};
  s.histogram = {{0.001, 0.01, 0.1}, {2, 3, 0, 1}, 0.4};
  std::vector<metric_family> f{{"porter_reconcile_duration_seconds",
                                "pass duration",
                                metric_type::histogram,
                                {s}}};
  EXPECT_EQ(render_prometheus(f),
            "# HELP porter_reconcile_duration_seconds pass duration\n"
            "# TYPE porter_reconcile_duration_seconds histogram\n"
            "porter_reconcile_duration_seconds_bucket{kind=\"service\",le="
            "\"0.001\"} 2\n"
            "porter_reconcile_duration_seconds_bucket{kind=\"service\",le="
            "\"0.01\"} 5\n"
            "porter_reconcile_duration_seconds_bucket{kind=\"service\",le="
            "\"0.1\"} 5\n"
            "porter_reconcile_duration_seconds_bucket{kind=\"service\",le="
            "\"+Inf\"} 6\n"
            "porter_reconcile_duration_seconds_sum{kind=\"service\"} 0.4\n"
            "porter_reconcile_duration_seconds_count{kind=\"service\"} 6\n");
}

TEST(PrometheusText, Names) {
  EXPECT_TRUE(valid_metric_name("porter_bgp_session_up"));
  EXPECT_TRUE(valid_metric_name("a:b_c1"));
  EXPECT_FALSE(valid_metric_name("1abc"));
  EXPECT_FALSE(valid_metric_name("a-b"));
  EXPECT_FALSE(valid_metric_name(""));
  EXPECT_TRUE(valid_label_name("peer"));
  EXPECT_FALSE(valid_label_name("a:b"));
}

} // namespace
} // namespace porter::net
