// Whether a manager replica advertises its routes (issue #8, refined by the
// simulation's API-outage scenario, issue #10): the Lease holder does; a
// replica that lost the Lease only because it could not renew it — nobody
// else holds it (the holder it last saw is itself, or none) — keeps
// advertising what it had. An unreachable API server must not withdraw
// every EIP from the fabric: the routes stay until another replica is seen
// leading, which then announces the same next hops. Pure.
#pragma once

#include <string>

namespace porter::k8s {

bool keeps_advertising(bool leading, bool advertising_now,
                       const std::string& observed_holder,
                       const std::string& self);

} // namespace porter::k8s
