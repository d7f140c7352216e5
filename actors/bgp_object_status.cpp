#include "actors/bgp_object_status.hpp"

#include <chrono>

#include "actors/logging.hpp"
#include "k8s/io/api_client.hpp"
#include "k8s/io/api_ops.hpp"
#include "k8s/objects.hpp"
#include "k8s/peer_status.hpp"

namespace porter {

namespace {

void patch_status(k8s::io::api_client& client, k8s::resource_ref resource,
                  const std::string& name, std::string body,
                  const char* event) {
  k8s::io::merge_patch(
    client, {std::move(resource), "", name, "status"}, std::move(body),
    [name, event](k8s::io::api_result r) {
      if (!r)
        log::debug(event,
                   {{"object", name}, {"error", k8s::to_string(r.error())}});
    });
}

} // namespace

void write_peer_status(k8s::io::api_client& client,
                       const std::vector<bgp::peer_stats>& sessions,
                       const std::map<std::string, bgp::peer_config>& peers,
                       const bgp::speaker_config& speaker,
                       const std::string& replica) {
  const auto now = std::chrono::system_clock::now();
  for (const auto& st : sessions) {
    auto it = peers.find(st.peer);
    if (it == peers.end())
      continue;
    patch_status(
      client, k8s::resource_of<k8s::bgp_peer>(), st.peer,
      k8s::encode_bgp_peer_status_patch(
        replica, k8s::make_peer_status(st, it->second, speaker, now)),
      "bgp_peer_status_write_failed");
  }
}

void write_validity(k8s::io::api_client& client, const std::string& kind,
                    const std::string& name,
                    const k8s::object_problem* problem) {
  auto body = k8s::encode_validity_patch(
    problem == nullptr, problem ? problem->reason : "",
    problem ? problem->message : "", std::chrono::system_clock::now());
  patch_status(client,
               kind == "BgpConf" ? k8s::resource_of<k8s::bgp_conf>()
                                 : k8s::resource_of<k8s::bgp_peer>(),
               name, std::move(body), "validity_write_failed");
}

} // namespace porter
