// Capacity of `porter sim apiserver` (issue #5 §6), in-process over plain
// HTTP on loopback: create 10k Services and 10k EndpointSlices, LIST the 10k
// Services (JSON, Table, pages of 500), and fan a 1k events/s update stream
// out to 10 watchers, measuring event lag. Prints `bench <name> <value>
// <unit>` lines; exits non-zero only if the server misbehaves (a write
// fails, a watcher misses events).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "sim/apiserver/io/api_server.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

struct params {
  int services = 10000;
  int slices = 10000;
  int watchers = 10;
  int rate = 1000; // updates per second
  int seconds = 5; // of updates
};

void report(const char* name, double value, const char* unit) {
  std::printf("bench %s %.1f %s\n", name, value, unit);
  std::fflush(stdout);
}

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t)
    .count();
}

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    long v = 0;
    if (key == "VmRSS:" && in >> v)
      return v;
  }
  return 0;
}

class client {
public:
  explicit client(std::uint16_t port) {
    sock_.connect({net::ip::make_address("127.0.0.1"), port});
  }
  http::response<http::string_body>
  call(http::verb v, const std::string& target, const std::string& body = "",
       const std::string& type = "application/json",
       const std::string& accept = "application/json") {
    http::request<http::string_body> req{v, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, type);
    req.set(http::field::accept, accept);
    req.body() = body;
    req.prepare_payload();
    http::write(sock_, req);
    http::response_parser<http::string_body> p;
    p.body_limit(1ULL << 31);
    http::read(sock_, buf_, p);
    return p.release();
  }

private:
  net::io_context ioc_;
  tcp::socket sock_{ioc_};
  beast::flat_buffer buf_;
};

std::string service(int i) {
  return R"({"metadata":{"name":"svc-)" + std::to_string(i)
         + R"(","labels":{"app":"bench"}},"spec":{"type":"ClusterIP",)"
           R"("selector":{"app":"bench"},"ports":[{"name":"http","port":80,)"
           R"("targetPort":8080}]}})";
}

std::string slice(int i) {
  auto n = std::to_string(i);
  return R"({"metadata":{"name":"svc-)" + n
         + R"(-x1","labels":{"kubernetes.io/service-name":"svc-)" + n
         + R"("}},"addressType":"IPv4","endpoints":[)"
           R"({"addresses":["10.244.1.5"],"conditions":{"ready":true},"nodeName":"node-1"},)"
           R"({"addresses":["10.244.2.7"],"conditions":{"ready":true},"nodeName":"node-2"}],)"
           R"("ports":[{"name":"http","protocol":"TCP","port":8080}]})";
}

bool create_all(client& c, const char* what, const std::string& url, int n,
                std::string (*make)(int)) {
  auto t = clock_type::now();
  for (int i = 0; i < n; ++i) {
    auto r = c.call(http::verb::post, url, make(i));
    if (r.result_int() != 201) {
      std::fprintf(stderr, "create %s %d: %d %s\n", what, i, r.result_int(),
                   r.body().c_str());
      return false;
    }
  }
  report((std::string("create_") + what + "_rate").c_str(),
         n / (ms_since(t) / 1000), "req/s");
  return true;
}

std::string resource_version(const std::string& body) {
  auto pos = body.find("\"resourceVersion\":\"");
  if (pos == std::string::npos)
    return "";
  pos += 19;
  return body.substr(pos, body.find('"', pos) - pos);
}

bool bench_lists(client& c, int expected) {
  auto url = std::string("/api/v1/namespaces/default/services");
  auto t = clock_type::now();
  auto r = c.call(http::verb::get, url);
  report("list_10k_services_json", ms_since(t), "ms");
  report("list_10k_services_bytes", r.body().size() / 1e6, "MB");
  std::size_t items = 0;
  for (auto p = r.body().find("\"kind\":\"Service\""); p != std::string::npos;
       p = r.body().find("\"kind\":\"Service\"", p + 1))
    ++items;
  t = clock_type::now();
  c.call(http::verb::get, url, "", "application/json",
         "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
  report("list_10k_services_table", ms_since(t), "ms");
  t = clock_type::now();
  std::string next = url + "?limit=500";
  int pages = 0;
  while (true) {
    auto page = c.call(http::verb::get, next).body();
    ++pages;
    auto k = page.find("\"continue\":\"");
    if (k == std::string::npos)
      break;
    k += 12;
    next = url + "?limit=500&continue=" + page.substr(k, page.find('"', k) - k);
  }
  report("list_10k_services_paged_500", ms_since(t), "ms");
  if (static_cast<int>(items) != expected || pages != (expected + 499) / 500) {
    std::fprintf(stderr, "list returned %zu items in %d pages\n", items, pages);
    return false;
  }
  return true;
}

struct watcher_result {
  int events = 0;
  std::vector<double> lags_ms;
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           clock_type::now().time_since_epoch())
    .count();
}

// Reads a watch stream, timing each event by the bench-ts annotation the
// writer put in it.
void run_watcher(std::uint16_t port, const std::string& rv, int expected,
                 watcher_result& out, std::atomic<int>& ready) {
  net::io_context ioc;
  tcp::socket sock{ioc};
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  std::string req = "GET /api/v1/namespaces/default/services?watch=1&"
                    "resourceVersion="
                    + rv + " HTTP/1.1\r\nHost: x\r\n\r\n";
  net::write(sock, net::buffer(req));
  ++ready;
  const std::string marker = "\"bench-ts\":\"";
  std::string carry;
  auto deadline = clock_type::now() + std::chrono::seconds(60);
  char buf[1 << 16];
  while (out.events < expected && clock_type::now() < deadline) {
    boost::system::error_code ec;
    auto n = sock.read_some(net::buffer(buf), ec);
    if (ec)
      break;
    carry.append(buf, n);
    // Keep an unfinished marker, or a tail short enough not to hold a
    // whole one, for the next read.
    std::size_t keep = carry.size() - std::min(carry.size(), marker.size() - 1);
    for (auto pos = carry.find(marker); pos != std::string::npos;
         pos = carry.find(marker, pos)) {
      auto end = carry.find('"', pos + marker.size());
      if (end == std::string::npos) {
        keep = pos;
        break;
      }
      auto sent
        = std::strtoll(carry.c_str() + pos + marker.size(), nullptr, 10);
      out.lags_ms.push_back(static_cast<double>(now_ns() - sent) / 1e6);
      ++out.events;
      pos = end;
      keep = std::max(keep, end);
    }
    carry.erase(0, keep);
  }
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * (v.size() - 1))];
}

bool bench_fanout(client& c, std::uint16_t port, const params& p) {
  auto rv = resource_version(
    c.call(http::verb::get, "/api/v1/namespaces/default/services?limit=1")
      .body());
  int total = p.rate * p.seconds;
  std::vector<watcher_result> results(p.watchers);
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (int i = 0; i < p.watchers; ++i)
    threads.emplace_back(run_watcher, port, rv, total, std::ref(results[i]),
                         std::ref(ready));
  while (ready < p.watchers)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = clock_type::now();
  for (int i = 0; i < total; ++i) {
    std::this_thread::sleep_until(
      start + std::chrono::microseconds(1'000'000LL * i / p.rate));
    auto body = R"({"metadata":{"annotations":{"bench-ts":")"
                + std::to_string(now_ns()) + "\"}}}";
    c.call(http::verb::patch,
           "/api/v1/namespaces/default/services/svc-"
             + std::to_string(i % p.services),
           body, "application/merge-patch+json");
  }
  report("watch_writer_rate", total / (ms_since(start) / 1000), "events/s");
  for (auto& t : threads)
    t.join();
  std::vector<double> all;
  int min_events = total;
  for (auto& r : results) {
    min_events = std::min(min_events, r.events);
    all.insert(all.end(), r.lags_ms.begin(), r.lags_ms.end());
  }
  report("watch_fanout_watchers", p.watchers, "watchers");
  report("watch_fanout_delivered_min", min_events, "events");
  report("watch_fanout_lag_p50", percentile(all, 0.5), "ms");
  report("watch_fanout_lag_p99", percentile(all, 0.99), "ms");
  report("watch_fanout_lag_max", percentile(all, 1.0), "ms");
  return min_events == total;
}

} // namespace

int main(int argc, char** argv) {
  params p;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    int v = std::atoi(argv[i + 1]);
    if (k == "--services")
      p.services = v;
    else if (k == "--slices")
      p.slices = v;
    else if (k == "--watchers")
      p.watchers = v;
    else if (k == "--rate")
      p.rate = v;
    else if (k == "--seconds")
      p.seconds = v;
  }
  porter::sim::server_options o;
  o.core.watch_window = 100000;
  porter::sim::api_server server(o);
  if (auto r = server.start(); !r) {
    std::fprintf(stderr, "start: %s\n", r.error().c_str());
    return 1;
  }
  server.start_background();
  client c{server.port()};
  long rss0 = rss_kib();
  bool ok = create_all(c, "services", "/api/v1/namespaces/default/services",
                       p.services, service)
            && create_all(c, "endpointslices",
                          "/apis/discovery.k8s.io/v1/namespaces/default/"
                          "endpointslices",
                          p.slices, slice);
  report("rss_growth_after_create", (rss_kib() - rss0) / 1024.0, "MiB");
  ok = ok && bench_lists(c, p.services);
  ok = ok && bench_fanout(c, server.port(), p);
  server.stop();
  return ok ? 0 : 1;
}
