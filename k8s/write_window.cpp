#include "k8s/write_window.hpp"

namespace porter::k8s {

void write_window::begin_pass() {
  queued_.clear();
  queue_order_.clear();
}

api_write write_window::begin(api_write w) {
  in_flight_.emplace(w.key, std::move(w.events));
  w.events.clear();
  sent_for_[w.key] = w.planned_from;
  return w;
}

std::optional<api_write> write_window::offer(api_write w) {
  if (in_flight_.count(w.key) != 0)
    return std::nullopt; // its answer triggers another plan
  // Sent for this version already; the watch has not shown the result.
  if (auto it = sent_for_.find(w.key); it != sent_for_.end()
                                       && !w.planned_from.empty()
                                       && it->second == w.planned_from)
    return std::nullopt;
  if (in_flight_.size() >= limits_.max_in_flight) {
    auto [it, fresh] = queued_.insert_or_assign(w.key, std::move(w));
    if (fresh)
      queue_order_.push_back(it->first);
    return std::nullopt;
  }
  return begin(std::move(w));
}

write_window::answered write_window::finish(const std::string& key, bool ok) {
  answered out;
  if (auto it = in_flight_.find(key); it != in_flight_.end()) {
    if (ok)
      out.events = std::move(it->second);
    in_flight_.erase(it);
  }
  if (!ok)
    sent_for_.erase(key); // failed: the same write may be needed again
  while (in_flight_.size() < limits_.max_in_flight && !queue_order_.empty()) {
    auto next = std::move(queue_order_.front());
    queue_order_.pop_front();
    auto it = queued_.find(next);
    if (it == queued_.end())
      continue;
    auto w = std::move(it->second);
    queued_.erase(it);
    if (in_flight_.count(next) == 0)
      out.start.push_back(begin(std::move(w)));
  }
  return out;
}

void write_window::forget_converged(const std::set<std::string>& planned) {
  for (auto it = sent_for_.begin(); it != sent_for_.end();)
    it = planned.count(it->first) != 0 || in_flight_.count(it->first) != 0
           ? std::next(it)
           : sent_for_.erase(it);
}

std::vector<event_write>
failure_reports::fresh(std::vector<event_write> failures) {
  std::vector<event_write> out;
  std::map<std::string, std::string> now;
  for (auto& e : failures) {
    auto key = e.object.namespace_ + "/" + e.object.name;
    auto it = reported_.find(key);
    const bool news = it == reported_.end() || it->second != e.event.message;
    now.emplace(std::move(key), e.event.message);
    if (news)
      out.push_back(std::move(e));
  }
  reported_ = std::move(now);
  return out;
}

} // namespace porter::k8s
