// `porter inspect` tables (issue #11 item 3): the /debug/ documents
// (actors/debug_json.hpp) as aligned text, in the spirit of `birdc show
// protocols` and `gobgp neighbor`. Pure.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace porter {

/// `section`: actors, peers, routes, pools, services, leader, rules. The
/// error names what is wrong with the document. `prefix` (routes only):
/// keep the EIPs inside this address or prefix.
tl::expected<std::string, std::string>
render_inspect(std::string_view section, std::string_view json,
               std::string_view prefix = {});

} // namespace porter
