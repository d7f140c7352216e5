// The write verbs of the Kubernetes API on top of api_client (issue #6 §5):
// create (POST), replace (PUT carrying the resourceVersion it read), merge
// and JSON patches, the /status subresource, and read_modify_write — the
// only way porter updates a whole object: GET, decide on the live JSON
// (fields porter does not model survive), PUT; a 409 re-reads and decides
// again (client-go RetryOnConflict), never a blind overwrite.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <rapidjson/document.h>
#include <tl/expected.hpp>

#include "k8s/api_status.hpp"
#include "k8s/resource_path.hpp"

namespace porter::k8s::io {

class api_client;

/// The response body on 2xx, else the Status (code 0: no response at all,
/// message says why).
using api_result = tl::expected<std::string, api_status>;
using api_callback = std::function<void(api_result)>;

struct object_ref {
  resource_ref resource;
  std::string namespace_;
  std::string name;
  std::string subresource; ///< "status" or empty
};

void get_object(api_client& c, const object_ref& ref, api_callback done);
void create_object(api_client& c, const resource_ref& r, const std::string& ns,
                   std::string body, api_callback done);
/// PUT; the body must carry metadata.resourceVersion (409 on mismatch).
void replace_object(api_client& c, const object_ref& ref, std::string body,
                    api_callback done);
void merge_patch(api_client& c, const object_ref& ref, std::string patch,
                 api_callback done);
void json_patch(api_client& c, const object_ref& ref, std::string patch,
                api_callback done);
void delete_object(api_client& c, const object_ref& ref, api_callback done);

/// Changes the live object: returns false when no write is needed.
using decide_function = std::function<bool(rapidjson::Document& live)>;

/// GET → decide → PUT, up to `attempts` times while the PUT conflicts
/// (client-go DefaultRetry: 5 steps). `done` gets the stored object, or
/// the GET's body when decide wanted no change, or the last error.
void read_modify_write(std::shared_ptr<api_client> c, object_ref ref,
                       decide_function decide, api_callback done,
                       int attempts = 5);

} // namespace porter::k8s::io
