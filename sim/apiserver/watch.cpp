#include "sim/apiserver/watch.hpp"

#include "sim/apiserver/core_state.hpp"
#include "sim/apiserver/watch_spec.hpp"

namespace porter::sim {

namespace {

const char* type_name(event_type t) {
  switch (t) {
    case event_type::added:
      return "ADDED";
    case event_type::modified:
      return "MODIFIED";
    case event_type::deleted:
      return "DELETED";
  }
  return "ERROR";
}

std::string event_line(const char* type, const std::string& object) {
  std::string line;
  line.reserve(object.size() + 32);
  line += "{\"type\":\"";
  line += type;
  line += "\",\"object\":";
  line += object;
  line += "}\n";
  return line;
}

} // namespace

bool selection::matches(const object_key& k, const label_map& l,
                        const std::string& json) const {
  if (!ns.empty() && k.ns != ns)
    return false;
  if (!labels.matches(l))
    return false;
  if (fields.empty())
    return true;
  json::document parsed;
  if (object_fields)
    parsed = parse_stored(json);
  return fields.matches([&](std::string_view f) -> std::optional<std::string> {
    if (f == "metadata.name")
      return k.name;
    if (f == "metadata.namespace")
      return k.ns;
    return object_fields ? field_value(parsed, f) : std::nullopt;
  });
}

struct watch_stream::impl {
  core_state& st;
  watch_spec spec;
  bool finished = false;
  bool headers_sent = false;

  std::string render(const char* type, const std::string& object,
                     sys_time now) {
    if (!spec.table)
      return event_line(type, object);
    json::document obj = parse_stored(object);
    table_options opts;
    opts.headers = !headers_sent;
    opts.include = spec.include;
    opts.resource_version = std::string(
      json::string_at(obj, {"metadata", "resourceVersion"}).value_or(""));
    headers_sent = true;
    return event_line(type, render_table(*spec.info, {&obj}, opts, now));
  }

  std::string versioned(const std::shared_ptr<const std::string>& obj,
                        const std::string& api_version) {
    if (api_version == spec.info->api_version())
      return *obj;
    stored_object tmp;
    tmp.json = obj;
    tmp.api_version = api_version;
    return *served_json(tmp, *spec.info);
  }

  std::string expired(std::uint64_t rv, std::uint64_t oldest) {
    finished = true;
    return event_line(
      "ERROR",
      status_json(sim::expired("too old resource version: " + std::to_string(rv)
                               + " (" + std::to_string(oldest) + ")")));
  }

  std::string snapshot(sys_time now) {
    std::string out;
    const auto* objs = st.store.objects(spec.info->group, spec.info->resource);
    for (auto it = objs ? objs->begin() : object_store::table::const_iterator{};
         objs != nullptr && it != objs->end(); ++it)
      if (spec.sel.matches(it->first, it->second.labels, *it->second.json))
        out += render("ADDED",
                      versioned(it->second.json, it->second.api_version), now);
    spec.rv = st.store.resource_version();
    spec.snapshot = false;
    return out;
  }

  // A MODIFIED event as a selector watch sees it (selection.go: objects
  // entering the selection are ADDED, leaving it DELETED).
  const char* visible_type(const history_event& e) const {
    bool now = spec.sel.matches(e.key, e.labels, *e.object);
    if (e.type != event_type::modified)
      return now ? type_name(e.type) : nullptr;
    bool before = spec.sel.labels.matches(e.prev_labels);
    if (now && before)
      return "MODIFIED";
    if (now)
      return "ADDED";
    return before && spec.sel.matches(e.key, e.prev_labels, *e.object)
             ? "DELETED"
             : nullptr;
  }

  std::string poll(sys_time now) {
    if (finished)
      return {};
    if (spec.too_old)
      return expired(spec.rv, st.store.compacted_rv());
    std::string out = spec.snapshot ? snapshot(now) : std::string{};
    if (spec.rv < st.store.compacted_rv())
      return out + expired(spec.rv, st.store.compacted_rv());
    auto [first, last] = st.store.events_after(spec.rv);
    for (auto it = first; it != last; ++it) {
      const auto& e = *it;
      spec.rv = e.rv;
      if (e.group_resource->first != spec.info->group
          || e.group_resource->second != spec.info->resource)
        continue;
      if (const char* type = visible_type(e))
        out += render(type, versioned(e.object, e.api_version), now);
    }
    return out;
  }
};

watch_stream::watch_stream(core_state& st, watch_spec spec)
    : impl_(std::make_unique<impl>(impl{st, std::move(spec)})) {}

watch_stream::~watch_stream() = default;

std::string watch_stream::poll(sys_time now) {
  return impl_->poll(now);
}

std::string watch_stream::bookmark() {
  if (!impl_->spec.bookmarks || impl_->finished || impl_->spec.snapshot)
    return {};
  // The position poll() reached: every event up to it has been delivered
  // (callers poll first).
  auto rv = impl_->spec.rv;
  const auto& info = *impl_->spec.info;
  return event_line("BOOKMARK", "{\"kind\":\"" + info.kind
                                  + "\",\"apiVersion\":\"" + info.api_version()
                                  + "\",\"metadata\":{\"resourceVersion\":\""
                                  + std::to_string(rv) + "\"}}");
}

bool watch_stream::finished() const {
  return impl_->finished;
}

std::chrono::seconds watch_stream::timeout() const {
  return impl_->spec.timeout;
}

bool watch_stream::bookmarks() const {
  return impl_->spec.bookmarks;
}

} // namespace porter::sim
