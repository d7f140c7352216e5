// The emulator's etcd: objects keyed by (group, resource, namespace, name),
// stored as compact JSON strings with their labels pre-parsed for selectors;
// one global, monotonically increasing resourceVersion; and a bounded event
// history that serves watches (k8s-api.md §1.3-1.5: a watch from an RV older
// than the window gets 410 Expired). Objects are kept in key order, like
// etcd's range reads, which gives list pages a stable `continue` position.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "sim/apiserver/selectors.hpp"

namespace porter::sim {

struct object_key {
  std::string ns;
  std::string name;
  friend bool operator<(const object_key& a, const object_key& b) {
    return a.ns != b.ns ? a.ns < b.ns : a.name < b.name;
  }
};

struct stored_object {
  std::shared_ptr<const std::string> json; // includes its resourceVersion
  std::uint64_t rv = 0;
  label_map labels;
  std::string api_version; // the version it was written in
};

enum class event_type { added, modified, deleted };

struct history_event {
  std::uint64_t rv = 0;
  event_type type = event_type::added;
  const std::pair<std::string, std::string>* group_resource = nullptr;
  object_key key;
  std::shared_ptr<const std::string> object;
  label_map labels;
  /// MODIFIED: the labels before, so a selector watch sees an object enter
  /// (ADDED) or leave (DELETED) its selection.
  label_map prev_labels;
  std::string api_version;
};

class object_store {
public:
  using table = std::map<object_key, stored_object>;

  explicit object_store(std::size_t history_limit)
      : history_limit_(history_limit) {}

  std::uint64_t resource_version() const { return rv_; }
  /// The RV the next write gets; callers stamp it into the object first.
  std::uint64_t next_resource_version() const { return rv_ + 1; }

  const stored_object* get(const std::string& group,
                           const std::string& resource,
                           const object_key& key) const;
  /// nullptr when no object of the resource was ever stored.
  const table* objects(const std::string& group,
                       const std::string& resource) const;

  /// Stores `obj` (stamped with next_resource_version()) as ADDED or
  /// MODIFIED, appends the event, returns the new RV.
  std::uint64_t put(const std::string& group, const std::string& resource,
                    const object_key& key, stored_object obj);
  /// Removes the object; `final_json` is its last state stamped with
  /// next_resource_version() (the DELETED event's object).
  std::uint64_t remove(const std::string& group, const std::string& resource,
                       const object_key& key, std::string final_json);
  /// Inserts an object loaded from a state file: no event, RV unchanged.
  void restore(const std::string& group, const std::string& resource,
               const object_key& key, stored_object obj);
  const std::map<std::pair<std::string, std::string>, table>& tables() const {
    return tables_;
  }
  /// Drops every object of a resource without events (CRD removal emits
  /// the deletes itself first).
  void drop_resource(const std::string& group, const std::string& resource);

  /// Oldest RV a watch may start from; older ones get 410.
  std::uint64_t compacted_rv() const { return compacted_rv_; }
  /// Events with rv > `after`, oldest first; empty when none.
  std::pair<std::deque<history_event>::const_iterator,
            std::deque<history_event>::const_iterator>
  events_after(std::uint64_t after) const;
  /// Forgets the whole history (fault injection: every watch resuming from
  /// an older RV gets 410, like an apiserver restart with a cold cache).
  void expire_history();
  /// Loads state: sets the RV counter without events, history empty.
  void restore_resource_version(std::uint64_t rv);
  /// Removes every object and the history (restart without state).
  void clear();
  std::size_t size() const;

private:
  void append(history_event e);
  const std::pair<std::string, std::string>*
  intern(const std::string& group, const std::string& resource);

  std::map<std::pair<std::string, std::string>, table> tables_;
  std::deque<history_event> history_;
  std::size_t history_limit_;
  std::uint64_t rv_ = 0;
  std::uint64_t compacted_rv_ = 0;
};

} // namespace porter::sim
