#include "k8s/io/api_ops.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "k8s/io/api_client.hpp"
#include "k8s/json_reader.hpp"

namespace porter::k8s::io {

namespace {

std::string path_of(const object_ref& ref) {
  return object_path(ref.resource, ref.namespace_, ref.name, ref.subresource);
}

/// Writes are retried on 429/5xx only because each one is guarded: a PUT
/// by its resourceVersion, a patch by its `test` ops or idempotence.
void send(api_client& c, const char* method, std::string target,
          std::string body, std::string content_type, api_callback done) {
  request_options opts;
  c.request(
    method, std::move(target), std::move(body), std::move(content_type), opts,
    [done = std::move(done)](response_result r) {
      if (!r) {
        done(tl::make_unexpected(
          api_status{0, "TransportError", r.error().what, {}}));
        return;
      }
      if (r->status >= 200 && r->status < 300)
        done(std::move(r->body));
      else
        done(tl::make_unexpected(status_from_response(r->status, r->body)));
    });
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

} // namespace

void get_object(api_client& c, const object_ref& ref, api_callback done) {
  send(c, "GET", path_of(ref), "", "", std::move(done));
}

void create_object(api_client& c, const resource_ref& r, const std::string& ns,
                   std::string body, api_callback done) {
  send(c, "POST", collection_path(r, ns), std::move(body), "application/json",
       std::move(done));
}

void replace_object(api_client& c, const object_ref& ref, std::string body,
                    api_callback done) {
  send(c, "PUT", path_of(ref), std::move(body), "application/json",
       std::move(done));
}

void merge_patch(api_client& c, const object_ref& ref, std::string patch,
                 api_callback done) {
  send(c, "PATCH", path_of(ref), std::move(patch),
       "application/merge-patch+json", std::move(done));
}

void json_patch(api_client& c, const object_ref& ref, std::string patch,
                api_callback done) {
  send(c, "PATCH", path_of(ref), std::move(patch),
       "application/json-patch+json", std::move(done));
}

void delete_object(api_client& c, const object_ref& ref, api_callback done) {
  send(c, "DELETE", path_of(ref), "", "", std::move(done));
}

void read_modify_write(std::shared_ptr<api_client> c, object_ref ref,
                       decide_function decide, api_callback done,
                       int attempts) {
  auto& client = *c;
  auto ref_copy = ref;
  get_object(
    client, ref_copy,
    [c = std::move(c), ref = std::move(ref), decide = std::move(decide),
     done = std::move(done), attempts](api_result got) mutable {
      if (!got) {
        done(std::move(got));
        return;
      }
      auto doc = parse_json(*got);
      if (!doc || !doc->IsObject()) {
        done(tl::make_unexpected(
          api_status{0, "BadResponse", "GET returned no object", {}}));
        return;
      }
      if (!decide(*doc)) {
        done(std::move(got));
        return;
      }
      auto& client = *c;
      replace_object(client, ref, to_json(*doc),
                     [c, ref, decide, done, attempts](api_result put) mutable {
                       if (!put && is_conflict(put.error()) && attempts > 1) {
                         read_modify_write(std::move(c), std::move(ref),
                                           std::move(decide), std::move(done),
                                           attempts - 1);
                         return;
                       }
                       done(std::move(put));
                     });
    });
}

} // namespace porter::k8s::io
