// The list-then-watch loop of one resource as a pure state machine (issue
// #6 §4), after client-go's Reflector and kube-rs's watcher (k8s-api.md §1.8,
// §7.2): paginated consistent LIST, WATCH from the list's resourceVersion
// with bookmarks and a random timeout, re-watch from the last seen version
// after a normal close, relist on 410 publishing only the difference, and
// backoff on failures. It owns the decoded cache; the actor only moves bytes.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "k8s/api_status.hpp"
#include "k8s/backoff.hpp"
#include "k8s/json_reader.hpp"
#include "k8s/resource_path.hpp"

namespace porter::k8s {

enum class delta_type { added, modified, deleted };
const char* to_string(delta_type t);

/// One change to the cache. For `deleted` the object is the last state the
/// cache held (or, if it never held it, the one in the DELETED event).
template <class T>
struct delta {
  delta_type type;
  std::shared_ptr<const T> object;
};

struct list_request {
  std::string resource_version; ///< "" = consistent read of the latest
  std::string continue_token;
  int limit = 0; ///< 0 = unpaginated
};

struct watch_request {
  std::string resource_version;
  int timeout_seconds = 0;
};

/// What the shell must do after an input, in this order: cancel the open
/// watch stream, publish the deltas (then "synced"), wait `delay`, send
/// the list or watch request.
template <class T>
struct watch_step {
  bool cancel_watch = false;
  std::vector<delta<T>> deltas;
  bool synced = false; ///< the cache now equals one consistent LIST
  std::chrono::milliseconds delay{0};
  std::optional<list_request> list;
  std::optional<watch_request> watch;
  /// One line per object skipped or protocol error, for the log.
  std::vector<std::string> errors;
};

struct watch_options {
  int page_size = 500; ///< client-go's pager default
  /// Watch timeoutSeconds is uniform in [min, 2·min) (reflector.go).
  int min_watch_timeout_seconds = 300;
  /// A watch that ends sooner without any event counts as a failure
  /// (client-go VeryShortWatchError), so a server closing at once cannot
  /// make us spin.
  std::chrono::milliseconds min_watch_duration{1000};
  backoff_policy backoff;
};

/// The collection URL with the list's query parameters.
std::string list_target(const resource_ref& r, std::string_view ns,
                        std::string_view label_selector,
                        std::string_view field_selector, const list_request& l);
/// ... and the watch's: watch=true, allowWatchBookmarks=true.
std::string watch_target(const resource_ref& r, std::string_view ns,
                         std::string_view label_selector,
                         std::string_view field_selector,
                         const watch_request& w);

/// A LIST response body, split into its parts; items stay JSON. The
/// document is parsed in situ: its strings live in `body`.
struct list_page {
  std::unique_ptr<std::string> body;
  rapidjson::Document doc;
  std::string resource_version;
  std::string continue_token;
  const rapidjson::Value* items = nullptr; ///< an array inside doc, or null
};
decoded<list_page> parse_list_page(std::string body);

/// A watch event line: {"type":"ADDED","object":{...}}.
struct watch_event_line {
  rapidjson::Document doc;
  std::string type;
  const rapidjson::Value* object = nullptr;
};
decoded<watch_event_line> parse_watch_event(std::string_view line);

template <class T>
class watch_machine {
public:
  using time_point = std::chrono::steady_clock::time_point;
  using cache_map = std::unordered_map<std::string, std::shared_ptr<const T>>;

  explicit watch_machine(watch_options opts = {})
      : opts_(opts), backoff_(opts.backoff) {}

  /// The first LIST.
  watch_step<T> start();

  /// A LIST page answered (any status).
  watch_step<T> on_list_response(int status, std::string body, time_point now,
                                 double unit);
  /// A LIST that got no response (connection refused, timeout, TLS).
  watch_step<T> on_list_failed(const std::string& what, time_point now,
                               double unit);
  /// One line of the watch stream.
  watch_step<T> on_watch_line(std::string_view line, time_point now,
                              double unit);
  /// The watch was answered with a non-200 status and this body.
  watch_step<T> on_watch_refused(int status, std::string_view body,
                                 time_point now, double unit);
  /// The watch stream ended: normally (error empty) or broken.
  watch_step<T> on_watch_closed(const std::optional<std::string>& error,
                                time_point now, double unit);

  const cache_map& cache() const { return cache_; }
  bool synced() const { return synced_; }
  /// The resourceVersion the next watch resumes from.
  const std::string& resource_version() const { return rv_; }

private:
  enum class phase { idle, listing, watching };

  watch_step<T> relist_now();
  watch_step<T> list_after_backoff(time_point now, double unit,
                                   std::string why);
  watch_step<T> watch_from(std::string rv, time_point at, double unit);
  watch_step<T> rewatch_after_backoff(time_point now, double unit,
                                      std::string why);
  watch_step<T> finish_list();
  void collect_items(const list_page& page, std::vector<std::string>& errors);
  void apply_event(const watch_event_line& ev, watch_step<T>& step);

  watch_options opts_;
  backoff backoff_;
  phase phase_ = phase::idle;
  cache_map cache_;
  bool synced_ = false;
  std::string rv_;
  // A relist in progress: what the pages said so far.
  cache_map listed_;
  std::unordered_set<std::string> undecodable_;
  std::string list_rv_;
  bool paginated_ = true;
  // The open watch: when it started and whether anything came.
  time_point watch_started_{};
  bool watch_had_events_ = false;
};

} // namespace porter::k8s

#include "k8s/watch_machine_impl.hpp"
