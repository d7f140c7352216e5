#include "sim/scenario/scenario.hpp"

#include <cmath>
#include <map>
#include <set>

#include <yaml-cpp/yaml.h>

namespace porter::sim {

namespace {

/// A bad scenario: the first problem found, with its line and field path.
struct scenario_error {
  std::string what;
};

class field {
public:
  field(YAML::Node node, std::string path)
      : node_(std::move(node)), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw scenario_error{"line " + std::to_string(node_.Mark().line + 1) + ": "
                         + path_ + ": " + why};
  }

  const std::string& path() const { return path_; }
  int line() const { return node_.Mark().line + 1; }
  bool is_map() const { return node_.IsMap(); }
  bool is_scalar() const { return node_.IsScalar(); }

  /// A map whose keys must all be in `allowed`.
  void expect_map(std::initializer_list<const char*> allowed) const {
    if (!node_.IsMap())
      fail("must be a mapping");
    std::set<std::string> ok(allowed.begin(), allowed.end());
    for (const auto& kv : node_) {
      const auto key = kv.first.as<std::string>();
      if (ok.count(key) == 0)
        field{kv.first, path_ + "." + key}.fail(
          "unknown field (known: " + join(allowed) + ")");
    }
  }

  std::optional<field> get(const char* key) const {
    auto n = node_[key];
    if (!n.IsDefined() || n.IsNull())
      return std::nullopt;
    return field{n, path_ + "." + key};
  }
  field need(const char* key) const {
    auto f = get(key);
    if (!f)
      fail(std::string{"missing field "} + key);
    return *f;
  }

  std::string text() const {
    if (!node_.IsScalar())
      fail("must be a single value");
    return node_.Scalar();
  }
  bool flag() const {
    const auto t = text();
    if (t == "true" || t == "True")
      return true;
    if (t == "false" || t == "False")
      return false;
    fail("\"" + t + "\" is not true or false");
  }
  long long integer(long long lo, long long hi) const {
    const auto t = text();
    try {
      std::size_t used = 0;
      const long long v = std::stoll(t, &used);
      if (used == t.size() && v >= lo && v <= hi)
        return v;
    } catch (const std::exception&) {
    }
    fail("\"" + t + "\" is not a whole number from " + std::to_string(lo)
         + " to " + std::to_string(hi));
  }
  double seconds() const {
    auto d = parse_duration(text());
    if (!d)
      fail("\"" + text() + "\" is not a duration (500ms, 2s)");
    return static_cast<double>(d->count()) / 1000.0;
  }
  milliseconds duration() const {
    auto d = parse_duration(text());
    if (!d)
      fail("\"" + text() + "\" is not a duration (500ms, 2s)");
    return *d;
  }
  net::ip_address address() const {
    auto a = net::parse_ip(text());
    if (!a)
      fail("\"" + text() + "\" is not an IP address");
    return *a;
  }
  std::vector<field> items() const {
    if (!node_.IsSequence())
      fail("must be a list");
    std::vector<field> out;
    for (std::size_t i = 0; i < node_.size(); ++i)
      out.emplace_back(node_[i], path_ + "[" + std::to_string(i) + "]");
    return out;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& f : items())
      out.push_back(f.text());
    return out;
  }
  /// The single key of a one-entry map (a step's kind).
  std::pair<std::string, field> only_entry() const {
    if (!node_.IsMap() || node_.size() != 1)
      fail("must be a mapping with exactly one step kind");
    auto kv = *node_.begin();
    const auto key = kv.first.as<std::string>();
    return {key, field{kv.second, path_ + "." + key}};
  }

private:
  static std::string join(std::initializer_list<const char*> words) {
    std::string out;
    for (const char* w : words)
      out += (out.empty() ? "" : ", ") + std::string{w};
    return out;
  }

  YAML::Node node_;
  std::string path_;
};

scenario_node read_node(const field& f) {
  f.expect_map({"name", "ip", "ip6", "ready"});
  scenario_node n;
  n.name = f.need("name").text();
  n.ip = f.need("ip").address();
  if (!n.ip.is_v4())
    f.need("ip").fail("must be an IPv4 address");
  if (auto v6 = f.get("ip6")) {
    n.ip6 = v6->address();
    if (n.ip6->is_v4())
      v6->fail("must be an IPv6 address");
  }
  if (auto r = f.get("ready"))
    n.ready = r->flag();
  return n;
}

scenario_service read_service(const field& f) {
  f.expect_map({"name", "policy", "pool", "endpoints", "count", "dualStack"});
  scenario_service s;
  s.name = f.need("name").text();
  if (auto p = f.get("policy")) {
    const auto v = p->text();
    if (v != "Local" && v != "Cluster")
      p->fail("\"" + v + "\" is not Local or Cluster");
    s.local = v == "Local";
  }
  if (auto p = f.get("pool"))
    s.pool = p->text();
  if (auto e = f.get("endpoints"))
    s.endpoints = e->names();
  if (auto c = f.get("count"))
    s.count = static_cast<int>(c->integer(1, 10'000));
  if (auto d = f.get("dualStack"))
    s.dual_stack = d->flag();
  return s;
}

int signal_of(const field& f) {
  const auto t = f.text();
  if (t == "KILL" || t == "9")
    return 9;
  if (t == "TERM" || t == "15")
    return 15;
  f.fail("\"" + t + "\" is not KILL or TERM");
}

scenario_step read_step(const field& f) {
  auto [kind, v] = f.only_entry();
  scenario_step st;
  st.line = f.line();
  st.text = kind;
  if (kind == "expect") {
    v.expect_map({"all", "service", "ip", "via", "on", "noIP", "within"});
    expect_step e;
    if (auto a = v.get("all"))
      e.all = a->flag();
    if (auto s = v.get("service"))
      e.service = s->text();
    if (!e.all && e.service.empty())
      v.fail("needs service (or all: true)");
    if (auto ip = v.get("ip"))
      e.ip = net::to_string(ip->address());
    if (auto via = v.get("via"))
      e.via = via->names();
    if (auto on = v.get("on"))
      e.on = on->text();
    if (auto n = v.get("noIP"))
      e.no_ip = n->flag();
    if (auto w = v.get("within"))
      e.within = w->duration();
    if (!e.all && !e.ip && !e.via && !e.no_ip)
      v.fail("needs ip, via or noIP");
    st.action = e;
  } else if (kind == "apply") {
    st.action = apply_step{v.text()};
  } else if (kind == "delete") {
    v.expect_map({"kind", "name"});
    delete_step d{v.need("kind").text(), v.need("name").text()};
    static const std::set<std::string> kinds{"Service", "EndpointSlice", "Eip",
                                             "BgpPeer", "BgpConf"};
    if (kinds.count(d.kind) == 0)
      v.need("kind").fail("\"" + d.kind
                          + "\" is not Service, EndpointSlice, Eip, BgpPeer "
                            "or BgpConf");
    st.action = d;
  } else if (kind == "endpoints") {
    v.expect_map({"service", "nodes"});
    st.action
      = endpoints_step{v.need("service").text(), v.need("nodes").names()};
  } else if (kind == "node") {
    v.expect_map({"name", "ready"});
    st.action = node_step{v.need("name").text(), v.need("ready").flag()};
  } else if (kind == "kill") {
    v.expect_map({"replica", "signal"});
    kill_step k{v.need("replica").text(), 9};
    if (auto s = v.get("signal"))
      k.signal = signal_of(*s);
    st.action = k;
  } else if (kind == "restart") {
    v.expect_map({"replica"});
    st.action = restart_step{v.need("replica").text()};
  } else if (kind == "partition") {
    v.expect_map({"on", "for"});
    st.action = partition_step{v.need("on").text(), v.need("for").duration()};
  } else if (kind == "apiOutage") {
    v.expect_map({"for"});
    st.action = api_outage_step{v.need("for").duration()};
  } else if (kind == "wait") {
    st.action = wait_step{v.duration()};
  } else if (kind == "probes") {
    v.expect_map({"lostAtMost"});
    st.action = probes_step{v.need("lostAtMost").integer(0, 1'000'000'000)};
  } else {
    v.fail("unknown step (expect, apply, delete, endpoints, node, kill, "
           "restart, partition, apiOutage, wait, probes)");
  }
  return st;
}

scenario read(const YAML::Node& root) {
  const field top{root, "scenario"};
  top.expect_map(
    {"name", "description", "cluster", "manifests", "services", "steps"});
  scenario s;
  s.name = top.need("name").text();
  if (auto d = top.get("description"))
    s.description = d->text();
  const auto cluster = top.need("cluster");
  cluster.expect_map(
    {"nodes", "replicas", "leaves", "gracefulRestart", "lease"});
  std::set<std::string> node_names;
  for (const auto& n : cluster.need("nodes").items()) {
    s.nodes.push_back(read_node(n));
    if (!node_names.insert(s.nodes.back().name).second)
      n.need("name").fail("a second node named " + s.nodes.back().name);
  }
  if (s.nodes.empty())
    cluster.need("nodes").fail("needs at least one node");
  if (auto r = cluster.get("replicas"))
    s.replicas = static_cast<int>(r->integer(1, 5));
  if (auto l = cluster.get("leaves"))
    s.leaves = static_cast<int>(l->integer(1, 4));
  if (auto g = cluster.get("gracefulRestart"))
    s.graceful_restart = g->flag();
  if (auto l = cluster.get("lease")) {
    l->expect_map({"duration", "renewDeadline", "retryPeriod"});
    if (auto v = l->get("duration"))
      s.lease_duration = v->seconds();
    if (auto v = l->get("renewDeadline"))
      s.renew_deadline = v->seconds();
    if (auto v = l->get("retryPeriod"))
      s.retry_period = v->seconds();
  }
  if (auto m = top.get("manifests"))
    s.manifests = m->text();
  std::set<std::string> service_names;
  if (auto svcs = top.get("services"))
    for (const auto& f : svcs->items()) {
      s.services.push_back(read_service(f));
      for (const auto& n : s.services.back().endpoints)
        if (node_names.count(n) == 0)
          f.need("endpoints").fail("no node named " + n);
      if (!service_names.insert(s.services.back().name).second)
        f.need("name").fail("a second service named " + s.services.back().name);
    }
  for (const auto& f : top.need("steps").items())
    s.steps.push_back(read_step(f));
  return s;
}

} // namespace

std::optional<milliseconds> parse_duration(std::string_view text) {
  std::string t{text};
  double scale = 1;
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "ms") == 0) {
    t.resize(t.size() - 2);
  } else if (t.size() > 1 && t.back() == 's') {
    t.pop_back();
    scale = 1000;
  }
  try {
    std::size_t used = 0;
    const double v = std::stod(t, &used);
    if (used != t.size() || !(v >= 0) || v * scale > 86'400'000)
      return std::nullopt;
    return milliseconds{static_cast<long long>(std::llround(v * scale))};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

tl::expected<scenario, std::string> parse_scenario(std::string_view yaml) {
  try {
    auto root = YAML::Load(std::string{yaml});
    if (root.IsNull())
      return tl::unexpected{std::string{
        "line 1: scenario: the file is empty (a scenario needs name, cluster "
        "and steps)"}};
    return read(root);
  } catch (const scenario_error& e) {
    return tl::unexpected{e.what};
  } catch (const YAML::Exception& e) {
    return tl::unexpected{"line " + std::to_string(e.mark.line + 1) + ": "
                          + e.msg};
  }
}

} // namespace porter::sim
