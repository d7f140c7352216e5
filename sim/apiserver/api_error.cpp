#include "sim/apiserver/api_error.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace porter::sim {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key_string(writer& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

std::string resource_ref(const error_subject& s) {
  return s.group.empty() ? s.resource : s.resource + "." + s.group;
}

api_error with_subject(api_error e, const error_subject& s) {
  e.name = s.name;
  e.group = s.group;
  e.kind = s.resource;
  return e;
}

void write_details(writer& w, const api_error& e) {
  w.Key("details");
  w.StartObject();
  if (!e.name.empty())
    key_string(w, "name", e.name);
  if (!e.group.empty())
    key_string(w, "group", e.group);
  if (!e.kind.empty())
    key_string(w, "kind", e.kind);
  if (!e.causes.empty()) {
    w.Key("causes");
    w.StartArray();
    for (const auto& c : e.causes) {
      w.StartObject();
      key_string(w, "reason", c.reason);
      key_string(w, "message", c.message);
      key_string(w, "field", c.field);
      w.EndObject();
    }
    w.EndArray();
  }
  if (e.retry_after_seconds > 0) {
    w.Key("retryAfterSeconds");
    w.Int(e.retry_after_seconds);
  }
  w.EndObject();
}

} // namespace

api_error make_error(int code, std::string reason, std::string message) {
  api_error e;
  e.code = code;
  e.reason = std::move(reason);
  e.message = std::move(message);
  return e;
}

api_error not_found(const error_subject& s) {
  return with_subject(
    make_error(404, "NotFound",
               resource_ref(s) + " \"" + s.name + "\" not found"),
    s);
}

api_error already_exists(const error_subject& s) {
  return with_subject(
    make_error(409, "AlreadyExists",
               resource_ref(s) + " \"" + s.name + "\" already exists"),
    s);
}

api_error conflict(const error_subject& s, const std::string& why) {
  std::string reason = why.empty()
                         ? "the object has been modified; please apply your "
                           "changes to the latest version and try again"
                         : why;
  return with_subject(make_error(409, "Conflict",
                                 "Operation cannot be fulfilled on "
                                   + resource_ref(s) + " \"" + s.name
                                   + "\": " + reason),
                      s);
}

api_error invalid(const std::string& qualified_kind, const std::string& name,
                  std::vector<status_cause> causes) {
  std::string list;
  for (const auto& c : causes) {
    if (!list.empty())
      list += ", ";
    list += c.field.empty() ? c.message : c.field + ": " + c.message;
  }
  if (causes.size() > 1)
    list = "[" + list + "]";
  api_error e = make_error(
    422, "Invalid", qualified_kind + " \"" + name + "\" is invalid: " + list);
  e.name = name;
  auto dot = qualified_kind.find('.');
  e.kind = qualified_kind.substr(0, dot);
  if (dot != std::string::npos)
    e.group = qualified_kind.substr(dot + 1);
  e.causes = std::move(causes);
  return e;
}

api_error bad_request(const std::string& message) {
  return make_error(400, "BadRequest", message);
}

api_error method_not_allowed(const std::string& message) {
  return make_error(405, "MethodNotAllowed", message);
}

api_error unsupported_media_type(const std::string& message) {
  return make_error(415, "UnsupportedMediaType", message);
}

api_error path_not_found() {
  return make_error(404, "NotFound",
                    "the server could not find the requested resource");
}

api_error expired(const std::string& message) {
  return make_error(410, "Expired", message);
}

api_error internal_error(const std::string& message) {
  return make_error(500, "InternalError",
                    "Internal error occurred: " + message);
}

api_error unauthorized() {
  return make_error(401, "Unauthorized", "Unauthorized");
}

api_error injected(int code, int retry_after_seconds) {
  api_error e;
  e.code = code;
  e.retry_after_seconds = retry_after_seconds;
  if (code == 429) {
    e.reason = "TooManyRequests";
    e.message = "Too many requests, please try again later.";
  } else if (code == 404) {
    e.reason = "NotFound";
    e.message = "the server could not find the requested resource";
  } else if (code == 503) {
    e.reason = "ServiceUnavailable";
    e.message = "the server is currently unable to handle the request";
  } else {
    e.reason = "InternalError";
    e.message = "Internal error occurred: injected fault";
  }
  return e;
}

std::string status_json(const api_error& e) {
  rapidjson::StringBuffer buf;
  writer w(buf);
  w.StartObject();
  key_string(w, "kind", "Status");
  key_string(w, "apiVersion", "v1");
  w.Key("metadata");
  w.StartObject();
  w.EndObject();
  key_string(w, "status", "Failure");
  key_string(w, "message", e.message);
  key_string(w, "reason", e.reason);
  if (!e.name.empty() || !e.kind.empty() || !e.causes.empty()
      || e.retry_after_seconds > 0)
    write_details(w, e);
  w.Key("code");
  w.Int(e.code);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string success_status_json(const error_subject& s,
                                const std::string& uid) {
  rapidjson::StringBuffer buf;
  writer w(buf);
  w.StartObject();
  key_string(w, "kind", "Status");
  key_string(w, "apiVersion", "v1");
  w.Key("metadata");
  w.StartObject();
  w.EndObject();
  key_string(w, "status", "Success");
  w.Key("details");
  w.StartObject();
  key_string(w, "name", s.name);
  if (!s.group.empty())
    key_string(w, "group", s.group);
  key_string(w, "kind", s.resource);
  key_string(w, "uid", uid);
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace porter::sim
