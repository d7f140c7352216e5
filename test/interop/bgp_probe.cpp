// porter_bgp_probe: porter's BGP speaker driven from stdin, for interop tests
// against real BIRD, FRR and gobgpd. Commands (one per line):
//   announce <prefix> <next hop> [<next hop> ...]   (replaces the set)
//   withdraw <prefix>
//   announce-range <first host prefix> <count> <next hop> [<next hop> ...]
//     (count consecutive /32 or /128, for benchmarks)
//   withdraw-all
//   quit
// Events on stdout, one per line: "state <State>", "established add_path=<0|1>
// hold=<s>", "down <reason>", "updates <n>".
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "actors/bgp_speaker.hpp"
#include "actors/logging.hpp"
#include "actors/runtime.hpp"
#include "bgp/desired_routes.hpp"
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
  std::uint16_t listen_port = 0;
  std::uint16_t local_port = 0;
  bool passive = false;
  std::string md5;
  unsigned ebgp_multihop = 0;
  unsigned ttl_security_hops = 0;
  unsigned restart_time = 0;
};

// `out` is a spawn argument, not a capture: CAF 0.17 dereferences a null
// argument tuple for argument-less spawns (UBSan finds it).
caf::behavior printer(caf::event_based_actor*, std::ostream* out) {
  return {[out](atoms::peer_event_atom, const peer_event& ev) {
    if (ev.kind == "state")
      *out << "state " << ev.detail << std::endl;
    else
      *out << ev.kind << " " << ev.detail << std::endl;
  }};
}

net::ip_address next_address(net::ip_address a) {
  for (auto i = a.size(); i-- > 0;)
    if (++a.bytes[i] != 0)
      break;
  return a;
}

// The rest of a command line as next hops; false with a message if bad.
bool parse_next_hops(std::istringstream& in,
                     std::vector<net::ip_address>& out) {
  for (std::string nh; in >> nh;) {
    auto addr = net::parse_ip(nh);
    if (!addr) {
      std::cout << "error bad next hop '" << nh << "'" << std::endl;
      return false;
    }
    out.push_back(*addr);
  }
  return true;
}

// Applies one command line to `routes` (an edit of the current table);
// false with a message on bad input.
bool apply_command(const std::string& line, bgp::desired_routes_builder& routes,
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
  if (verb == "withdraw-all") {
    routes.clear();
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
    routes.remove(*prefix);
    return true;
  }
  std::size_t count = 1;
  if (verb == "announce-range") {
    if (!(in >> count) || count == 0) {
      std::cout << "error announce-range needs a count" << std::endl;
      return false;
    }
  } else if (verb != "announce") {
    std::cout << "error unknown command '" << verb << "'" << std::endl;
    return false;
  }
  std::vector<net::ip_address> next_hops;
  if (!parse_next_hops(in, next_hops))
    return false;
  // One shared path set, appended per prefix: 1M routes are one flat vector.
  auto path_set = routes.intern(std::move(next_hops));
  routes.reserve(count);
  auto p = *prefix;
  for (std::size_t i = 0; i < count; ++i) {
    routes.add(p, path_set);
    p.addr = next_address(p.addr);
  }
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
  peer.passive = opt.passive;
  peer.local_port = opt.local_port;
  peer.md5_password = opt.md5;
  peer.ebgp_multihop = static_cast<std::uint8_t>(opt.ebgp_multihop);
  peer.ttl_security_hops = static_cast<std::uint8_t>(opt.ttl_security_hops);
  peer.graceful_restart = opt.restart_time > 0;
  peer.restart_time = static_cast<std::uint16_t>(opt.restart_time);
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
  auto out = sys.spawn(printer, &std::cout);
  bgp::speaker_config speaker_cfg{*local_as, *router_id, opt.listen_port, {}};
  auto speaker = spawn_bgp_speaker(sys, speaker_args{speaker_cfg, io, out, {}});
  caf::anon_send(speaker, atoms::add_peer_atom_v, peer);
  // The probe keeps no table of its own: each command edits the snapshot
  // last sent into a new one, which the speaker shares with every session.
  auto routes = std::make_shared<const bgp::desired_routes>();
  bool quit = false;
  for (std::string line; !quit && std::getline(std::cin, line);) {
    bgp::desired_routes_builder edit(*routes);
    if (apply_command(line, edit, quit) && !quit) {
      routes = std::make_shared<const bgp::desired_routes>(edit.finish());
      caf::anon_send(speaker, atoms::routes_atom_v, routes_snapshot(routes));
    }
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
  app.add_option("--listen-port", opt.listen_port,
                 "accept connections from the peer on this port");
  app.add_option("--local-port", opt.local_port);
  app.add_flag("--passive", opt.passive, "never connect; wait for the peer");
  app.add_option("--md5", opt.md5, "RFC 2385 TCP MD5 password");
  app.add_option("--ebgp-multihop", opt.ebgp_multihop);
  app.add_option("--ttl-security-hops", opt.ttl_security_hops, "RFC 5082 GTSM");
  app.add_option("--graceful-restart", opt.restart_time,
                 "RFC 4724 restart time in seconds (0: off)");
  std::string log_level = "info";
  app.add_option("--log-level", log_level);
  CLI11_PARSE(app, argc, argv);
  auto lvl = log::parse_level(log_level);
  log::init(lvl ? *lvl : log::level::info, log::format::logfmt);
  return run(opt);
}
