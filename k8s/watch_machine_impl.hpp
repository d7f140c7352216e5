// Template definitions of watch_machine (k8s/watch_machine.hpp); each
// transition cites the client-go or kube-rs behaviour it reproduces.
#pragma once

#include <utility>

namespace porter::k8s {

template <class T>
watch_step<T> watch_machine<T>::start() {
  return relist_now();
}

// A relist is always a consistent read ("" = Most Recent, k8s-api.md §1.3),
// paginated: "not older than" our version would need the watch cache, and
// an "Exact" paginated read of an old version 410s once compacted. The
// newest state is never older than what we have seen, so nothing is lost.
template <class T>
watch_step<T> watch_machine<T>::relist_now() {
  phase_ = phase::listing;
  listed_.clear();
  undecodable_.clear();
  list_rv_.clear();
  paginated_ = true;
  watch_step<T> step;
  step.list = list_request{"", "", opts_.page_size};
  return step;
}

template <class T>
watch_step<T> watch_machine<T>::list_after_backoff(time_point now, double unit,
                                                   std::string why) {
  watch_step<T> step = relist_now();
  step.delay = backoff_.next(now, unit);
  step.errors.push_back(std::move(why));
  return step;
}

template <class T>
watch_step<T> watch_machine<T>::watch_from(std::string rv, time_point at,
                                           double unit) {
  phase_ = phase::watching;
  watch_started_ = at;
  watch_had_events_ = false;
  watch_step<T> step;
  const int min = opts_.min_watch_timeout_seconds;
  step.watch = watch_request{
    std::move(rv), min + static_cast<int>(unit * static_cast<double>(min))};
  return step;
}

template <class T>
watch_step<T> watch_machine<T>::rewatch_after_backoff(time_point now,
                                                      double unit,
                                                      std::string why) {
  const auto delay = backoff_.next(now, unit);
  watch_step<T> step = watch_from(rv_, now + delay, unit);
  step.delay = delay;
  step.errors.push_back(std::move(why));
  return step;
}

template <class T>
void watch_machine<T>::collect_items(const list_page& page,
                                     std::vector<std::string>& errors) {
  if (page.items == nullptr)
    return;
  const json_at items{*page.items};
  int index = 0;
  for (const auto& item : page.items->GetArray()) {
    const json_at at{item};
    auto obj = decode<T>(at);
    if (obj) {
      auto key = object_key(obj->metadata);
      listed_.insert_or_assign(std::move(key),
                               std::make_shared<const T>(std::move(*obj)));
    } else {
      // "The watcher reports it and carries on with the others"; an object
      // that was fine before keeps its last good state (finish_list).
      if (auto meta = decode_object_meta(at))
        undecodable_.insert(object_key(*meta));
      errors.push_back("items[" + std::to_string(index)
                       + "]: " + to_string(obj.error()));
    }
    ++index;
  }
  (void) items;
}

// client-go Store.Replace / kube-rs reflector InitDone: the new list
// replaces the cache at once; only differences are published, judged by
// resourceVersion (the server bumps it on every change).
template <class T>
watch_step<T> watch_machine<T>::finish_list() {
  watch_step<T> step;
  for (auto& [key, obj] : listed_) {
    auto old = cache_.find(key);
    if (old == cache_.end())
      step.deltas.push_back({delta_type::added, obj});
    else if (old->second->metadata.resource_version
             != obj->metadata.resource_version)
      step.deltas.push_back({delta_type::modified, obj});
    else
      obj = old->second; // unchanged: keep the pointer subscribers hold
  }
  for (auto& [key, obj] : cache_) {
    if (listed_.count(key) != 0)
      continue;
    if (undecodable_.count(key) != 0)
      listed_.emplace(key, obj);
    else
      step.deltas.push_back({delta_type::deleted, obj});
  }
  cache_.swap(listed_);
  listed_.clear();
  undecodable_.clear();
  synced_ = true;
  step.synced = true;
  rv_ = list_rv_;
  return step;
}

template <class T>
watch_step<T> watch_machine<T>::on_list_response(int status, std::string body,
                                                 time_point now, double unit) {
  if (phase_ != phase::listing)
    return {};
  if (status != 200) {
    const api_status s = status_from_response(status, body);
    // client-go pager FullListIfExpired: an expired continue token falls
    // back to one unpaginated list.
    if (is_expired(s) && paginated_ && !list_rv_.empty()) {
      watch_step<T> step = relist_now();
      paginated_ = false;
      step.list->limit = 0;
      step.errors.push_back("list continuation expired; listing unpaged");
      return step;
    }
    return list_after_backoff(now, unit, "list failed: " + to_string(s));
  }
  auto page = parse_list_page(std::move(body));
  if (!page)
    return list_after_backoff(now, unit,
                              "list response: " + to_string(page.error()));
  if (list_rv_.empty())
    list_rv_ = page->resource_version;
  std::vector<std::string> errors;
  collect_items(*page, errors);
  if (!page->continue_token.empty() && paginated_) {
    watch_step<T> step;
    step.list = list_request{"", page->continue_token, opts_.page_size};
    step.errors = std::move(errors);
    return step;
  }
  // kube-rs Error::NoResourceVersion: without it no watch can start.
  if (list_rv_.empty())
    return list_after_backoff(now, unit, "list without a resourceVersion");
  watch_step<T> step = finish_list();
  watch_step<T> next = watch_from(rv_, now, unit);
  step.watch = std::move(next.watch);
  step.errors = std::move(errors);
  return step;
}

template <class T>
watch_step<T> watch_machine<T>::on_list_failed(const std::string& what,
                                               time_point now, double unit) {
  if (phase_ != phase::listing)
    return {};
  return list_after_backoff(now, unit, "list failed: " + what);
}

template <class T>
void watch_machine<T>::apply_event(const watch_event_line& ev,
                                   watch_step<T>& step) {
  auto obj = decode<T>(json_at{*ev.object});
  if (!obj) {
    // Skipped, but the stream moves past it: resuming before it would
    // replay the same broken object forever.
    if (auto meta = decode_object_meta(json_at{*ev.object})) {
      rv_ = meta->resource_version.empty() ? rv_ : meta->resource_version;
      step.errors.push_back(ev.type + " " + object_key(*meta) + ": "
                            + to_string(obj.error()));
    } else {
      step.errors.push_back(ev.type + ": " + to_string(obj.error()));
    }
    return;
  }
  if (!obj->metadata.resource_version.empty())
    rv_ = obj->metadata.resource_version;
  auto key = object_key(obj->metadata);
  auto shared = std::make_shared<const T>(std::move(*obj));
  auto it = cache_.find(key);
  if (ev.type == "DELETED") {
    if (it != cache_.end()) {
      step.deltas.push_back({delta_type::deleted, it->second});
      cache_.erase(it);
    }
    return;
  }
  // ADDED for a key we hold (e.g. recreated while we were away) is a
  // modification for subscribers; MODIFIED for one we lack is an addition.
  const bool existed = it != cache_.end();
  if (existed
      && it->second->metadata.resource_version
           == shared->metadata.resource_version)
    return;
  step.deltas.push_back(
    {existed ? delta_type::modified : delta_type::added, shared});
  cache_.insert_or_assign(std::move(key), std::move(shared));
}

template <class T>
watch_step<T> watch_machine<T>::on_watch_line(std::string_view line,
                                              time_point now, double unit) {
  if (phase_ != phase::watching)
    return {};
  watch_step<T> step;
  auto ev = parse_watch_event(line);
  if (!ev) {
    step.errors.push_back("watch event: " + to_string(ev.error()));
    return step;
  }
  watch_had_events_ = true;
  if (ev->type == "ERROR") {
    auto s = decode_status(json_at{*ev->object});
    const api_status status
      = s ? *s : api_status{500, "", "bad Status", std::nullopt};
    // k8s-api.md §1.5: "too old resource version" arrives as an ERROR
    // event with a 410 Status; kube-rs goes back to Empty (full relist).
    if (is_expired(status)) {
      step = relist_now();
      step.cancel_watch = true;
      step.errors.push_back("watch expired: " + to_string(status));
      return step;
    }
    step
      = rewatch_after_backoff(now, unit, "watch error: " + to_string(status));
    step.cancel_watch = true;
    return step;
  }
  if (ev->type == "BOOKMARK") {
    // "A Bookmark means watch has synced here, just update the
    // resourceVersion" (reflector.go).
    if (auto meta = json_at{*ev->object}.member("metadata"); meta && *meta)
      if (auto rv = (*meta)->string("resourceVersion"); rv && !rv->empty())
        rv_ = *rv;
    return step;
  }
  if (ev->type != "ADDED" && ev->type != "MODIFIED" && ev->type != "DELETED") {
    step.errors.push_back("watch event of unknown type \"" + ev->type + "\"");
    return step;
  }
  apply_event(*ev, step);
  return step;
}

template <class T>
watch_step<T> watch_machine<T>::on_watch_refused(int status,
                                                 std::string_view body,
                                                 time_point now, double unit) {
  if (phase_ != phase::watching)
    return {};
  const api_status s = status_from_response(status, body);
  if (is_expired(s)) {
    watch_step<T> step = relist_now();
    step.errors.push_back("watch expired: " + to_string(s));
    return step;
  }
  // client-go isWatchErrorRetriable: 429 and server trouble re-watch after
  // backoff; anything else (403, 404 of a CRD not yet installed) relists.
  if (s.code == 429 || s.code >= 500)
    return rewatch_after_backoff(now, unit, "watch refused: " + to_string(s));
  return list_after_backoff(now, unit, "watch refused: " + to_string(s));
}

template <class T>
watch_step<T>
watch_machine<T>::on_watch_closed(const std::optional<std::string>& error,
                                  time_point now, double unit) {
  if (phase_ != phase::watching)
    return {};
  if (error)
    return rewatch_after_backoff(now, unit, "watch broke: " + *error);
  if (!watch_had_events_ && now - watch_started_ < opts_.min_watch_duration)
    return rewatch_after_backoff(now, unit,
                                 "watch closed at once without events");
  // reflector.go: after a normal close, watch again from the last
  // resourceVersion without relisting.
  return watch_from(rv_, now, unit);
}

} // namespace porter::k8s
