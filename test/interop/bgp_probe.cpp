// porter_bgp_probe: porter's BGP speaker driven from stdin, for interop tests
// against real BIRD, FRR and gobgpd. Commands (one per line):
//   announce <prefix> <next hop> [<next hop> ...]   (replaces the set)
//   withdraw <prefix>
//   quit
// Events on stdout, one per line: "state <State>", "established add_path=<0|1>
// hold=<s>", "down <reason>", "updates <n>".
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "actors/bgp_speaker.hpp"
#include "actors/logging.hpp"
#include "actors/runtime.hpp"
#include "net/io/tcp.hpp"

namespace {

using namespace porter;

struct options {
  std::string local_as;
  std::string router_id;
  std::string peer;
  std::string peer_as;
  std::uint16_t peer_port = 179;
  std::string local_address;
  std::uint16_t hold = 90;
  unsigned connect_retry = 5;
  bool no_add_path = false;
};

caf::behavior printer(caf::event_based_actor*) {
  return {[](atoms::peer_event_atom, const peer_event& ev) {
    if (ev.kind == "state")
      std::cout << "state " << ev.detail << std::endl;
    else
      std::cout << ev.kind << " " << ev.detail << std::endl;
  }};
}

// Applies one command line to `routes`; false with a message on bad input.
bool apply_command(const std::string& line, bgp::desired_routes& routes,
                   bool& quit) {
  std::istringstream in(line);
  std::string verb;
  std::string prefix_text;
  in >> verb;
  if (verb.empty())
    return true;
  if (verb == "quit") {
    quit = true;
    return true;
  }
  in >> prefix_text;
  auto prefix = net::parse_prefix(prefix_text);
  if (!prefix) {
    std::cout << "error bad prefix '" << prefix_text
              << "': " << prefix.error().what << std::endl;
    return false;
  }
  if (verb == "withdraw") {
    routes.routes.erase(*prefix);
    return true;
  }
  if (verb != "announce") {
    std::cout << "error unknown command '" << verb << "'" << std::endl;
    return false;
  }
  bgp::desired_route route;
  for (std::string nh; in >> nh;) {
    auto addr = net::parse_ip(nh);
    if (!addr) {
      std::cout << "error bad next hop '" << nh << "'" << std::endl;
      return false;
    }
    route.next_hops.insert(*addr);
  }
  routes.routes[*prefix] = route;
  return true;
}

int run(const options& opt) {
  auto local_as = bgp::parse_asn(opt.local_as);
  auto peer_as = bgp::parse_asn(opt.peer_as);
  auto router_id = bgp::parse_router_id(opt.router_id);
  auto peer_addr = net::parse_ip(opt.peer);
  if (!local_as || !peer_as || !router_id || !peer_addr) {
    std::cerr << "porter_bgp_probe: bad --local-as, --peer-as, --router-id "
                 "or --peer\n";
    return 2;
  }
  bgp::peer_config peer;
  peer.address = *peer_addr;
  peer.port = opt.peer_port;
  peer.peer_as = *peer_as;
  peer.hold_time = opt.hold;
  peer.connect_retry = std::chrono::seconds(opt.connect_retry);
  peer.add_path = !opt.no_add_path;
  if (!opt.local_address.empty()) {
    auto local = net::parse_ip(opt.local_address);
    if (!local) {
      std::cerr << "porter_bgp_probe: bad --local-address\n";
      return 2;
    }
    peer.local_address = *local;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto io = std::make_shared<net::io::io_thread>();
  auto out = sys.spawn(printer);
  auto speaker = spawn_bgp_speaker(
    sys, speaker_args{{*local_as, *router_id}, io, out, {}});
  caf::anon_send(speaker, atoms::add_peer_atom_v, peer);
  bgp::desired_routes routes;
  bool quit = false;
  for (std::string line; !quit && std::getline(std::cin, line);) {
    if (apply_command(line, routes, quit) && !quit)
      caf::anon_send(
        speaker, atoms::routes_atom_v,
        routes_snapshot(std::make_shared<const bgp::desired_routes>(routes)));
  }
  caf::anon_send_exit(speaker, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(out, caf::exit_reason::user_shutdown);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"porter's BGP speaker driven from stdin (interop tests)"};
  options opt;
  app.add_option("--local-as", opt.local_as)->required();
  app.add_option("--router-id", opt.router_id)->required();
  app.add_option("--peer", opt.peer)->required();
  app.add_option("--peer-as", opt.peer_as)->required();
  app.add_option("--peer-port", opt.peer_port);
  app.add_option("--local-address", opt.local_address);
  app.add_option("--hold", opt.hold);
  app.add_option("--connect-retry", opt.connect_retry);
  app.add_flag("--no-add-path", opt.no_add_path);
  std::string log_level = "info";
  app.add_option("--log-level", log_level);
  CLI11_PARSE(app, argc, argv);
  auto lvl = log::parse_level(log_level);
  log::init(lvl ? *lvl : log::level::info, log::format::logfmt);
  return run(opt);
}
