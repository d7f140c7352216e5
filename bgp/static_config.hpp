// The seed's static BGP configuration: a gobgp-style config.toml for
// `porter manager --bgp-config FILE` outside a cluster (openelb.md §1.2:
// `[global.config] as / router-id / port = 17900`, `[[neighbors]]` with
// add-paths send-max > 1 for ECMP). Only the keys porter acts on are read;
// gobgp's other keys are ignored, but a known key of the wrong type is an
// error. Pure: parses text, never reads files, never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "bgp/peer_config.hpp"

namespace porter::bgp {

/// Porter's listen port when `[global.config] port` is absent (Calico's BIRD
/// already listens on 179, openelb.md §1.2).
inline constexpr std::uint16_t static_default_listen_port = 17900;

struct static_config {
  speaker_config speaker;
  std::vector<peer_config> peers; ///< in file order, named by address
};

/// Parses the TOML text. The error is one line naming the key path, e.g.
/// "neighbors[1].config.peer-as: must be 1-4294967295, got 0" (indices
/// count from 0), or "line 3, column 7: <TOML syntax error>".
tl::expected<static_config, std::string>
parse_static_config(std::string_view toml_text);

} // namespace porter::bgp
