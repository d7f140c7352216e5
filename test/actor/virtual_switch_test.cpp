// The virtual switches of `porter sim` (actors/sim_switch; issue #10 item
// 1) over loopback TCP with porter's own BGP speaker as the "manager": the
// leaf takes every ADD-PATH path into its ECMP table and re-advertises the
// prefix to the spine with itself as next hop; the paths go when the
// speaker's session does, at the leaf and at the spine.
#include <chrono>
#include <thread>

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "actors/bgp_speaker.hpp"
#include "actors/messages.hpp"
#include "actors/sim_switch.hpp"
#include "bgp/desired_routes.hpp"
#include "net/io/tcp.hpp"

namespace porter {
namespace {

using namespace std::chrono_literals;

net::ip_address ip(const char* t) {
  return *net::parse_ip(t);
}

template <class Pred>
bool eventually(Pred p, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (p())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return p();
}

TEST(VirtualSwitch, LeafKeepsEveryPathAndTellsTheSpine) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto io = std::make_shared<net::io::io_thread>();
  auto board = std::make_shared<fabric_board>();

  sim_switch_args spine;
  spine.name = "spine";
  spine.io = io;
  spine.board = board;
  spine.as = 65000;
  spine.router_id = 0x0a00ff00;
  spine.address = ip("127.0.1.3");
  auto spine_actor = spawn_sim_switch(sys, spine);
  ASSERT_TRUE(eventually([&] {
    auto v = board->view("spine");
    return v && v->port != 0;
  }));
  sim_switch_args leaf;
  leaf.name = "leaf-a";
  leaf.io = io;
  leaf.board = board;
  leaf.as = 65001;
  leaf.router_id = 0x0a00ff01;
  leaf.address = ip("127.0.1.1");
  leaf.uplink = std::pair{ip("127.0.1.3"), board->view("spine")->port};
  leaf.uplink_as = 65000;
  leaf.self_v4 = ip("10.255.0.1");
  leaf.self_v6 = ip("fd00:255::1");
  auto leaf_actor = spawn_sim_switch(sys, leaf);
  ASSERT_TRUE(eventually([&] {
    auto v = board->view("leaf-a");
    return v && v->port != 0;
  }));

  // porter's speaker, as a manager leader runs it.
  speaker_args sp;
  sp.speaker = {65100, 0x0a000002, 0, {}};
  sp.io = io;
  auto speaker = spawn_bgp_speaker(sys, sp);
  bgp::peer_config to_leaf;
  to_leaf.name = "leaf-a";
  to_leaf.address = ip("127.0.1.1");
  to_leaf.port = board->view("leaf-a")->port;
  to_leaf.peer_as = 65001;
  to_leaf.connect_retry = 200ms;
  caf::anon_send(speaker, atoms::add_peer_atom_v, to_leaf);
  bgp::desired_routes_builder b;
  const auto eip = *net::parse_prefix("10.200.0.10/32");
  const auto eip6 = *net::parse_prefix("fd00:200::10/128");
  b.add(eip, {ip("10.0.0.11"), ip("10.0.0.12")});
  b.add(eip6, {ip("fd00::11")});
  caf::anon_send(
    speaker, atoms::routes_atom_v,
    routes_snapshot{std::make_shared<const bgp::desired_routes>(b.finish())});

  EXPECT_TRUE(eventually([&] {
    auto v = board->view("leaf-a");
    return v->fib.count(eip) != 0
           && v->fib.at(eip)
                == std::vector<net::ip_address>{ip("10.0.0.11"),
                                                ip("10.0.0.12")}
           && v->fib.count(eip6) != 0;
  }))
    << "the leaf's ECMP set holds both nodes";
  EXPECT_TRUE(eventually([&] {
    auto v = board->view("spine");
    return v->fib.count(eip) != 0
           && v->fib.at(eip) == std::vector<net::ip_address>{ip("10.255.0.1")}
           && v->fib.count(eip6) != 0
           && v->fib.at(eip6)
                == std::vector<net::ip_address>{ip("fd00:255::1")};
  }))
    << "the spine forwards to the leaf";
  EXPECT_EQ(board->view("leaf-a")->sessions, 1U);

  // The speaker stops: its paths go, at the leaf and then at the spine.
  caf::anon_send_exit(speaker, caf::exit_reason::user_shutdown);
  EXPECT_TRUE(eventually([&] { return board->view("leaf-a")->fib.empty(); }));
  EXPECT_TRUE(eventually([&] { return board->view("spine")->fib.empty(); }));

  caf::anon_send_exit(leaf_actor, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(spine_actor, caf::exit_reason::user_shutdown);
}

} // namespace
} // namespace porter
