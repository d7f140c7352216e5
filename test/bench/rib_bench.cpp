// porter_rib_bench (issue #4): the in-process cost of the Adj-RIB-Out
// pipeline at 1M IPv4 /32, independent of the network and the receiver:
// build the desired table (as the probe's announce-range does), then the
// initial diff + encode into one send buffer (as a session's flush does).
// Prints `bench <name> <value> <unit>` lines:
//   bgp.rib_build_1m.porter            building the 1M-route snapshot
//   bgp.rib_encode_1m.porter           diff + encode of all of it (eBGP,
//                                      4096-byte UPDATEs, no ADD-PATH)
//   bgp.rib_bytes_per_route.porter     peak RSS growth (VmHWM, reset at the
//                                      start) over both, per route: table,
//                                      Adj-RIB-Out and the wire bytes
//   bgp.rib_heap_per_route.porter      heap still in use afterwards (the
//                                      snapshot and the Adj-RIB-Out)
//   bgp.rib_encode_1m_addpath2.porter  the same with ADD-PATH, 2 next hops
//   bgp.rib_change_one_of_1m.porter    one route changes: edit + diff
// A benchmark, not a test: it fails only if the output is not complete.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include <malloc.h>

#include "bgp/adj_rib_out.hpp"
#include "bgp/codec.hpp"

namespace {

using namespace porter;
using clock_type = std::chrono::steady_clock;

constexpr std::uint32_t routes = 1000000;
constexpr std::uint32_t first_route = 0x64400000u; // 100.64.0.0

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

/// A field of /proc/self/status in kB.
long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string name;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0 && line.size() > std::strlen(key)
        && line[std::strlen(key)] == ':') {
      return std::stol(line.substr(std::strlen(key) + 1));
    }
  }
  return -1;
}

void bench(const char* name, double value, const char* unit) {
  std::printf("bench %s %.4f %s\n", name, value, unit);
}

std::shared_ptr<const bgp::desired_routes>
build(const std::vector<net::ip_address>& hops) {
  bgp::desired_routes_builder b;
  auto set = b.intern(hops);
  b.reserve(routes);
  for (std::uint32_t i = 0; i < routes; ++i) {
    b.add(net::prefix::host(net::ip_address::v4(first_route + i)), set);
  }
  return std::make_shared<const bgp::desired_routes>(b.finish());
}

bgp::peer_context ebgp(bool add_path) {
  bgp::peer_context ctx; // as the send benchmark's probe: AS 65001 -> 65002
  ctx.local_as = 65001;
  ctx.ibgp = false;
  ctx.four_octet_as = true;
  ctx.add_path_v4 = add_path;
  return ctx;
}

bgp::wire_options wire(bool add_path) {
  bgp::wire_options w;
  w.four_octet_as = true;
  if (add_path)
    w.add_path.push_back(bgp::ipv4_unicast);
  return w;
}

/// Initial diff + encode; returns the UPDATE count, `bytes` the size.
std::size_t encode(bgp::adj_rib_out& rib, bool add_path, std::size_t& bytes) {
  bgp::bytes out;
  auto count = rib.write_updates(bgp::max_message_size, wire(add_path), out);
  bytes = out.size();
  return count;
}

/// Heap in use: small chunks plus mmap()ed big ones (the tables).
double heap_bytes() {
  auto m = mallinfo2();
  return double(m.uordblks + m.hblkhd);
}

/// The 1M build and initial flush; false if the output is not complete.
bool initial_flush(long rss0, double heap0,
                   std::shared_ptr<const bgp::desired_routes>& table,
                   bgp::adj_rib_out& rib) {
  auto t0 = clock_type::now();
  table = build({net::ip_address::v4(0x0a010001u)});
  bench("bgp.rib_build_1m.porter", seconds_since(t0), "s");
  t0 = clock_type::now();
  rib.set_desired(table);
  std::size_t bytes = 0;
  auto updates = encode(rib, false, bytes);
  bench("bgp.rib_encode_1m.porter", seconds_since(t0), "s");
  auto hwm = status_kb("VmHWM");
  bench("bgp.rib_bytes_per_route.porter", double(hwm - rss0) * 1024.0 / routes,
        "B");
  bench("bgp.rib_heap_per_route.porter", (heap_bytes() - heap0) / routes, "B");
  bench("bgp.rib_updates_1m.porter", double(updates), "updates");
  bench("bgp.rib_wire_bytes_1m.porter", double(bytes), "B");
  return rib.advertised_paths() == routes && updates == 1235;
}

/// One route changes among 1M: the edit of the snapshot plus the diff.
bool change_one(const bgp::desired_routes& table, bgp::adj_rib_out& rib) {
  auto t0 = clock_type::now();
  bgp::desired_routes_builder edit(table);
  edit.add(net::prefix::host(net::ip_address::v4(first_route + 7)),
           {net::ip_address::v4(0x0a010002u)});
  rib.set_desired(edit.finish());
  std::size_t bytes = 0;
  bool ok = encode(rib, false, bytes) == 1;
  bench("bgp.rib_change_one_of_1m.porter", seconds_since(t0), "s");
  return ok;
}

/// ADD-PATH with two next hops: 2M paths.
bool add_path_flush() {
  auto table = build(
    {net::ip_address::v4(0x0a010001u), net::ip_address::v4(0x0a010003u)});
  bgp::adj_rib_out rib(ebgp(true));
  auto t0 = clock_type::now();
  rib.set_desired(table);
  std::size_t bytes = 0;
  encode(rib, true, bytes);
  bench("bgp.rib_encode_1m_addpath2.porter", seconds_since(t0), "s");
  return rib.advertised_paths() == 2 * routes;
}

} // namespace

int main() {
  // VmHWM from here on: writing 5 to clear_refs resets it (Linux >= 4.0).
  std::ofstream("/proc/self/clear_refs") << "5";
  auto rss0 = status_kb("VmRSS");
  auto heap0 = heap_bytes();
  bool complete = false;
  {
    std::shared_ptr<const bgp::desired_routes> table;
    bgp::adj_rib_out rib(ebgp(false));
    complete = initial_flush(rss0, heap0, table, rib);
    complete = change_one(*table, rib) && complete;
  }
  complete = add_path_flush() && complete;
  if (!complete) {
    std::fprintf(stderr, "rib_bench: the output is not complete\n");
    return 1;
  }
  return 0;
}
