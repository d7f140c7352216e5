#include "k8s/watch_machine.hpp"

namespace porter::k8s {

const char* to_string(delta_type t) {
  switch (t) {
    case delta_type::added:
      return "added";
    case delta_type::modified:
      return "modified";
    case delta_type::deleted:
      return "deleted";
  }
  return "?";
}

std::string list_target(const resource_ref& r, std::string_view ns,
                        std::string_view label_selector,
                        std::string_view field_selector,
                        const list_request& l) {
  return with_query(
    collection_path(r, ns),
    {{"labelSelector", std::string{label_selector}},
     {"fieldSelector", std::string{field_selector}},
     {"limit", l.limit > 0 ? std::to_string(l.limit) : std::string{}},
     {"continue", l.continue_token},
     // The continue token carries the version; sending both is a 400.
     {"resourceVersion",
      l.continue_token.empty() ? l.resource_version : std::string{}}});
}

std::string watch_target(const resource_ref& r, std::string_view ns,
                         std::string_view label_selector,
                         std::string_view field_selector,
                         const watch_request& w) {
  return with_query(collection_path(r, ns),
                    {{"labelSelector", std::string{label_selector}},
                     {"fieldSelector", std::string{field_selector}},
                     {"watch", "true"},
                     {"allowWatchBookmarks", "true"},
                     {"resourceVersion", w.resource_version},
                     {"timeoutSeconds", std::to_string(w.timeout_seconds)}});
}

decoded<list_page> parse_list_page(std::string body) {
  list_page page;
  page.body = std::make_unique<std::string>(std::move(body));
  auto doc = parse_json_insitu(*page.body);
  if (!doc)
    return tl::make_unexpected(doc.error());
  page.doc = std::move(*doc);
  const json_at root{page.doc};
  auto meta = root.member("metadata");
  if (!meta)
    return tl::make_unexpected(meta.error());
  if (*meta) {
    auto rv = (*meta)->string("resourceVersion");
    auto cont = (*meta)->string("continue");
    if (!rv)
      return tl::make_unexpected(rv.error());
    if (!cont)
      return tl::make_unexpected(cont.error());
    page.resource_version = std::move(*rv);
    page.continue_token = std::move(*cont);
  }
  auto items = root.member("items");
  if (!items)
    return tl::make_unexpected(items.error());
  if (*items) {
    if (!(*items)->value().IsArray())
      return tl::make_unexpected((*items)->error("expected an array"));
    page.items = &(*items)->value();
  }
  return page;
}

decoded<watch_event_line> parse_watch_event(std::string_view line) {
  auto doc = parse_json(line);
  if (!doc)
    return tl::make_unexpected(doc.error());
  watch_event_line ev;
  ev.doc = std::move(*doc);
  const json_at root{ev.doc};
  auto type = root.required_string("type");
  if (!type)
    return tl::make_unexpected(type.error());
  auto object = root.required("object");
  if (!object)
    return tl::make_unexpected(object.error());
  if (!object->value().IsObject())
    return tl::make_unexpected(object->error("expected an object"));
  ev.type = std::move(*type);
  ev.object = &object->value();
  return ev;
}

} // namespace porter::k8s
