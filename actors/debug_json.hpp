// The documents of the /debug/ pages (issue #11 item 1), as JSON: what the
// actors publish on the status board and `porter inspect` renders.
#pragma once

#include <string>
#include <vector>

#include "actors/actor_registry.hpp"
#include "bgp/peer_stats.hpp"
#include "k8s/allocation_plan.hpp"
#include "k8s/next_hops.hpp"
#include "net/rule_plan.hpp"

namespace porter {

/// {"identity":..., "leading":bool, "holder":...}
std::string leader_json(const std::string& identity, bool leading,
                        const std::string& holder);
/// {"peers":[{"peer","state","uptimeSeconds","advertisedPaths",
/// "updatesIn","updatesOut","flaps","addPath","holdTime","lastError"}]}
std::string peers_json(const std::vector<bgp::peer_stats>& peers);
/// {"advertising":bool,"routes":[{"eip","nextHops":[...],"services":[...]}]}
std::string routes_json(const std::vector<k8s::eip_route>& routes,
                        bool advertising);
/// {"pools":[{"name","firstIP","lastIP","size","used","ready","reason"}],
///  "services":[{"service","ips":[...],"pools":[...],"failure"}]}
std::string allocations_json(const k8s::allocation_plan& plan);
/// {"table","eips","rules":[{"to","priority","table"}],
///  "routes":[{"family","table"}]}
std::string rules_json(const net::kernel_view& have, std::size_t eips,
                       std::uint32_t table);

/// {"actors":[{"kind","key","summary","messages","mailbox","lastMessage",
/// "idleSeconds","busySeconds","restarts"}]}
std::string actors_json(const std::vector<actor_registry::actor_row>& rows);

} // namespace porter
