#include "actors/actor_registry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "actors/metrics.hpp"

namespace porter::actor_registry {

namespace {

struct entry {
  std::string kind;
  std::string key;
  std::string summary;
  std::uint64_t messages = 0;
  std::uint64_t mailbox = 0;
  std::string last_message;
  clock::time_point started{};
  clock::time_point last_done{};
  std::optional<clock::time_point> busy_since;
  std::uint32_t restarts = 0;
};

struct registry {
  std::mutex mutex;
  std::map<std::uint64_t, entry> actors;
  /// Abnormal ends per (kind, key): the next actor of that identity is a
  /// restart.
  std::map<std::pair<std::string, std::string>, std::uint32_t> crashes;
};

registry& the_registry() {
  static registry r;
  return r;
}

double seconds(clock::duration d) {
  // Milliseconds are enough to see a stuck actor and keep pages readable.
  return std::round(std::chrono::duration<double>(d).count() * 1000) / 1000;
}

} // namespace

void enroll(std::uint64_t id, std::string kind, std::string key) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  auto& e = r.actors[id];
  e.kind = std::move(kind);
  e.key = std::move(key);
  e.started = e.last_done = clock::now();
  if (auto c = r.crashes.find({e.kind, e.key}); c != r.crashes.end()) {
    e.restarts = c->second;
    metrics::add("porter_actor_restarts_total", {{"kind", e.kind}});
  }
}

void leave(std::uint64_t id, bool abnormal) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  auto it = r.actors.find(id);
  if (it == r.actors.end())
    return;
  if (abnormal)
    ++r.crashes[{it->second.kind, it->second.key}];
  r.actors.erase(it);
}

void message_started(std::uint64_t id, std::string_view handler,
                     std::uint64_t mailbox) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  auto it = r.actors.find(id);
  if (it == r.actors.end())
    return;
  auto& e = it->second;
  ++e.messages;
  e.mailbox = mailbox;
  if (e.last_message != handler)
    e.last_message.assign(handler);
  e.busy_since = clock::now();
}

void message_finished(std::uint64_t id, std::string summary) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  auto it = r.actors.find(id);
  if (it == r.actors.end())
    return;
  it->second.busy_since.reset();
  it->second.last_done = clock::now();
  it->second.summary = std::move(summary);
}

void set_summary(std::uint64_t id, std::string summary) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  if (auto it = r.actors.find(id); it != r.actors.end())
    it->second.summary = std::move(summary);
}

std::vector<actor_row> snapshot(clock::time_point now) {
  std::vector<actor_row> rows;
  {
    auto& r = the_registry();
    std::lock_guard lock{r.mutex};
    rows.reserve(r.actors.size());
    for (const auto& [id, e] : r.actors) {
      actor_row row;
      row.id = id;
      row.kind = e.kind;
      row.key = e.key;
      row.summary = e.summary;
      row.messages = e.messages;
      row.mailbox = e.mailbox;
      row.last_message = e.last_message;
      row.idle_seconds = e.busy_since ? 0 : seconds(now - e.last_done);
      row.busy_seconds = e.busy_since ? seconds(now - *e.busy_since) : 0;
      row.restarts = e.restarts;
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.kind, a.key, a.id) < std::tie(b.kind, b.key, b.id);
  });
  return rows;
}

std::string without_namespaces(std::string_view demangled) {
  static constexpr std::string_view anonymous = "(anonymous namespace)::";
  std::string name{demangled};
  for (auto at = name.find(anonymous); at != std::string::npos;
       at = name.find(anonymous, at))
    name.erase(at, anonymous.size());
  std::string out;
  std::size_t word = 0; // where the current identifier starts in `out`
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name.compare(i, 2, "::") == 0) {
      out.erase(word); // it was a namespace (or class) qualifier
      ++i;
      continue;
    }
    const char c = name[i];
    out += c;
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_')
      word = out.size();
  }
  return out;
}

void export_metrics(const std::vector<actor_row>& rows) {
  // Actors of one kind and key (a simulation runs an agent per virtual
  // node, each with its own watchers) are one sample: labels must be unique.
  struct totals {
    double mailbox = 0;
    double messages = 0;
    double busy = 0;
  };
  std::map<std::string, double> per_kind;
  std::map<net::metric_labels, totals> per_actor;
  for (const auto& r : rows) {
    ++per_kind[r.kind];
    auto& t = per_actor[{{"kind", r.kind}, {"key", r.key}}];
    t.mailbox += static_cast<double>(r.mailbox);
    t.messages += static_cast<double>(r.messages);
    t.busy = std::max(t.busy, r.busy_seconds);
  }
  std::vector<metrics::labelled_value> counts;
  for (const auto& [kind, n] : per_kind)
    counts.push_back({{{"kind", kind}}, n});
  std::vector<metrics::labelled_value> depth;
  std::vector<metrics::labelled_value> handled;
  std::vector<metrics::labelled_value> busy;
  for (const auto& [labels, t] : per_actor) {
    depth.push_back({labels, t.mailbox});
    handled.push_back({labels, t.messages});
    busy.push_back({labels, t.busy});
  }
  metrics::replace("porter_actors", std::move(counts));
  metrics::replace("porter_actor_mailbox_depth", std::move(depth));
  metrics::replace("porter_actor_messages_total", std::move(handled));
  metrics::replace("porter_actor_busy_seconds", std::move(busy));
}

} // namespace porter::actor_registry
