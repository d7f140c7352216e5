#include "sim/apiserver/object_store.hpp"

#include <algorithm>

namespace porter::sim {

const stored_object* object_store::get(const std::string& group,
                                       const std::string& resource,
                                       const object_key& key) const {
  const table* t = objects(group, resource);
  if (t == nullptr)
    return nullptr;
  auto it = t->find(key);
  return it == t->end() ? nullptr : &it->second;
}

const object_store::table*
object_store::objects(const std::string& group,
                      const std::string& resource) const {
  auto it = tables_.find({group, resource});
  return it == tables_.end() ? nullptr : &it->second;
}

const std::pair<std::string, std::string>*
object_store::intern(const std::string& group, const std::string& resource) {
  auto it = tables_.try_emplace({group, resource}).first;
  return &it->first;
}

std::uint64_t object_store::put(const std::string& group,
                                const std::string& resource,
                                const object_key& key, stored_object obj) {
  const auto* gr = intern(group, resource);
  table& t = tables_[*gr];
  ++rv_;
  obj.rv = rv_;
  history_event e;
  e.rv = rv_;
  e.group_resource = gr;
  e.key = key;
  e.object = obj.json;
  e.labels = obj.labels;
  e.api_version = obj.api_version;
  auto it = t.find(key);
  if (it == t.end()) {
    e.type = event_type::added;
    t.emplace(key, std::move(obj));
  } else {
    e.type = event_type::modified;
    e.prev_labels = std::move(it->second.labels);
    it->second = std::move(obj);
  }
  append(std::move(e));
  return rv_;
}

std::uint64_t object_store::remove(const std::string& group,
                                   const std::string& resource,
                                   const object_key& key,
                                   std::string final_json) {
  const auto* gr = intern(group, resource);
  table& t = tables_[*gr];
  auto it = t.find(key);
  if (it == t.end())
    return rv_;
  ++rv_;
  history_event e;
  e.rv = rv_;
  e.type = event_type::deleted;
  e.group_resource = gr;
  e.key = key;
  e.object = std::make_shared<const std::string>(std::move(final_json));
  e.labels = std::move(it->second.labels);
  e.api_version = std::move(it->second.api_version);
  t.erase(it);
  append(std::move(e));
  return rv_;
}

void object_store::restore(const std::string& group,
                           const std::string& resource, const object_key& key,
                           stored_object obj) {
  tables_[{group, resource}][key] = std::move(obj);
}

void object_store::drop_resource(const std::string& group,
                                 const std::string& resource) {
  auto it = tables_.find({group, resource});
  if (it != tables_.end())
    it->second.clear();
}

void object_store::append(history_event e) {
  history_.push_back(std::move(e));
  while (history_.size() > history_limit_) {
    compacted_rv_ = history_.front().rv;
    history_.pop_front();
  }
}

std::pair<std::deque<history_event>::const_iterator,
          std::deque<history_event>::const_iterator>
object_store::events_after(std::uint64_t after) const {
  auto first = std::upper_bound(
    history_.begin(), history_.end(), after,
    [](std::uint64_t rv, const history_event& e) { return rv < e.rv; });
  return {first, history_.end()};
}

void object_store::expire_history() {
  history_.clear();
  compacted_rv_ = rv_;
}

void object_store::restore_resource_version(std::uint64_t rv) {
  rv_ = std::max(rv_, rv);
  history_.clear();
  compacted_rv_ = rv_;
}

void object_store::clear() {
  for (auto& t : tables_)
    t.second.clear();
  history_.clear();
  compacted_rv_ = rv_;
}

std::size_t object_store::size() const {
  std::size_t n = 0;
  for (const auto& t : tables_)
    n += t.second.size();
  return n;
}

} // namespace porter::sim
