// The equality-based label selector syntax of kubectl and the API's
// labelSelector query parameter ("a=b,c!=d,e,!f"), for flags such as
// --node-selector. Set-based expressions ("x in (a,b)") are not accepted.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "k8s/porter_crds.hpp"

namespace porter::k8s {

/// "k=v" / "k==v" → matchLabels; "k!=v" → NotIn [v]; "k" → Exists;
/// "!k" → DoesNotExist. The error is one line naming the bad term.
tl::expected<label_selector, std::string>
parse_label_selector(std::string_view text);

} // namespace porter::k8s
