// libFuzzer target for the typed Kubernetes object decoders
// (k8s/objects.hpp). The input is JSON text, parsed once and decoded as
// every kind (and as an Eip of v1alpha1). Oracles (trap on breach):
//  (a) no crash, no UB (ASan + UBSan in the libFuzzer build);
//  (b) every failure is a decode_error with a non-empty `what`;
//  (c) for a success, decode(encode(x)) == x and encode(x) is a fixed
//      point (encode of the re-decoded object is byte-identical);
//  (d) the status patches of a decoded object parse and carry its status.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "k8s/objects.hpp"

namespace {

using namespace porter::k8s;

void check(bool ok) {
  if (!ok)
    __builtin_trap();
}

template <class T>
void check_round_trip(const T& x) {
  const std::string json = encode(x);
  auto again = decode_json<T>(json);
  check(again.has_value());
  check(*again == x);
  check(encode(*again) == json);
}

/// A status patch is {"status":...}; spliced into an object with
/// metadata (and `prefix` members) it must decode to the same status.
template <class T>
T decode_patch(const std::string& patch, std::string_view prefix = {}) {
  auto r = decode_json<T>(R"({"metadata":{"name":"p"},)" + std::string{prefix}
                          + patch.substr(1));
  check(r.has_value());
  return std::move(*r);
}

void check_patches(const service& s) {
  const auto p
    = decode_patch<service>(encode_service_status_patch(s.status.ingress));
  check(p.status == s.status);
}

void check_patches(const eip& e) {
  const auto p = decode_patch<eip>(encode_eip_status_patch(e.status),
                                   R"("spec":{"address":"a"},)");
  check(p.status == e.status);
}

void check_patches(const bgp_conf& c) {
  for (const auto& [name, status] : c.status.nodes_conf_status) {
    const auto p
      = decode_patch<bgp_conf>(encode_bgp_conf_status_patch(name, status));
    check(p.status.nodes_conf_status.size() == 1);
    check(p.status.nodes_conf_status[0].first == name);
    check(p.status.nodes_conf_status[0].second == status);
  }
}

void check_patches(const bgp_peer& b) {
  for (const auto& [name, status] : b.status.nodes_peer_status) {
    const auto p
      = decode_patch<bgp_peer>(encode_bgp_peer_status_patch(name, status));
    check(p.status.nodes_peer_status.size() == 1);
    check(p.status.nodes_peer_status[0].first == name);
    check(p.status.nodes_peer_status[0].second == status);
  }
}

template <class T>
void check_patches(const T&) {}

template <class T>
void decode_as(const json_at& root) {
  auto r = decode<T>(root);
  if (!r) {
    check(!r.error().what.empty());
    return;
  }
  check_round_trip(*r);
  check_patches(*r);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  auto doc = parse_json(text);
  if (!doc) {
    check(!doc.error().what.empty());
    return 0;
  }
  const json_at root{*doc};
  decode_as<service>(root);
  decode_as<endpoint_slice>(root);
  decode_as<endpoints>(root);
  decode_as<node>(root);
  decode_as<namespace_object>(root);
  decode_as<secret>(root);
  decode_as<config_map>(root);
  decode_as<eip>(root);
  decode_as<bgp_conf>(root);
  decode_as<bgp_peer>(root);
  if (auto v1 = decode_eip_v1alpha1(root))
    check_round_trip(*v1);
  else
    check(!v1.error().what.empty());
  return 0;
}
