// Request bodies in Kubernetes' protobuf encoding (apimachinery
// runtime/serializer/protobuf: the "k8s\0" magic, then a runtime.Unknown
// whose raw bytes are the object, k8s.io/api generated.proto field
// numbers). kubectl's typed `create namespace|configmap|secret` send these;
// the emulator turns them into JSON for the kinds they cover.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace porter::sim {

inline constexpr std::string_view protobuf_media_type
  = "application/vnd.kubernetes.protobuf";

/// JSON for a protobuf-encoded v1 Namespace, ConfigMap or Secret; an error
/// (the caller answers 415) for anything else.
tl::expected<std::string, std::string> protobuf_to_json(std::string_view body);

} // namespace porter::sim
