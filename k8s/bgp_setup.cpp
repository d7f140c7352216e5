#include "k8s/bgp_setup.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <tuple>
#include <utility>

#include <tl/expected.hpp>

#include "k8s/pool_choice.hpp"

namespace porter::k8s {
namespace {

/// An object's problem before it knows which object it belongs to.
struct rejection {
  std::string reason;
  std::string message;
};

template <class T>
using checked = tl::expected<T, rejection>;

tl::unexpected<rejection> reject(std::string reason, std::string message) {
  return tl::make_unexpected(rejection{std::move(reason), std::move(message)});
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

/// Linux TCP_MD5SIG_MAXKEYLEN: the longest RFC 2385 key the kernel takes.
constexpr std::size_t max_md5_key_length = 80;

/// RFC 4724 §3: the Restart Time field has 12 bits.
constexpr std::uint32_t max_restart_time = 4095;

/// A BgpPeer duration: whole seconds, "90" or Go-style "90s" (OpenELB
/// declares the timers as strings; users write both). nullopt: malformed.
std::optional<std::uint64_t> parse_seconds(std::string_view text) {
  if (!text.empty() && text.back() == 's')
    text.remove_suffix(1);
  if (text.empty() || text.size() > 10)
    return std::nullopt;
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

/// The graceful-restart settings a peer ends up with.
struct restart_settings {
  bool enabled = false;
  std::uint16_t restart_time = bgp::peer_config{}.restart_time;
};

/// `path` is the field path of the gracefulRestart struct. restartTime 0
/// keeps porter's default (120 s).
checked<restart_settings>
restart_settings_of(const std::optional<bgp_graceful_restart>& gr,
                    const restart_settings& fallback, const std::string& path) {
  if (!gr)
    return fallback;
  restart_settings out;
  out.enabled = gr->enabled;
  if (gr->restart_time > max_restart_time)
    return reject("InvalidRestartTime",
                  path
                    + ".restartTime: must be at most 4095 (RFC 4724 §3), got "
                    + std::to_string(gr->restart_time));
  if (gr->restart_time != 0)
    out.restart_time = static_cast<std::uint16_t>(gr->restart_time);
  return out;
}

checked<std::uint32_t> router_id_of(const bgp_conf_spec& spec,
                                    const std::optional<net::ip_address>& ip) {
  if (spec.router_id.empty()) {
    // OpenELB: an empty routerId means the node's InternalIP.
    if (ip && ip->is_v4() && !ip->is_unspecified())
      return ip->v4_host_order();
    return reject("NoRouterId", "spec.routerId: empty and the node has no "
                                "IPv4 address to use instead");
  }
  // RFC 6286 §2.1: the BGP Identifier is a non-zero 4-octet number, written
  // as dotted IPv4.
  auto parsed = net::parse_ip(spec.router_id);
  if (!parsed || !parsed->is_v4() || parsed->is_unspecified())
    return reject("InvalidRouterId",
                  "spec.routerId: must be a non-zero dotted IPv4 address, got "
                    + quoted(spec.router_id));
  return parsed->v4_host_order();
}

checked<bgp::speaker_config>
speaker_of(const bgp_conf_spec& spec,
           const std::optional<net::ip_address>& node_ip) {
  bgp::speaker_config out;
  if (spec.as == 0) // uint32: 0 is the only value out of 1-4294967295
    return reject("InvalidAs", "spec.as: must be 1-4294967295, got 0");
  out.local_as = spec.as;
  auto id = router_id_of(spec, node_ip);
  if (!id)
    return tl::make_unexpected(id.error());
  out.router_id = *id;
  // 0 means porter's 17900 (see default_listen_port); -1 is gobgp's "do not
  // listen", which speaker_config spells 0.
  if (spec.listen_port == 0)
    out.listen_port = default_listen_port;
  else if (spec.listen_port == -1)
    out.listen_port = 0;
  else if (spec.listen_port >= 1 && spec.listen_port <= 65535)
    out.listen_port = static_cast<std::uint16_t>(spec.listen_port);
  else
    return reject("InvalidListenPort",
                  "spec.listenPort: must be -1 (do not listen), 0 (17900) or "
                  "1-65535, got "
                    + std::to_string(spec.listen_port));
  return out;
}

checked<std::string> password_of(const bgp_peer& p, const bgp_setup_input& in) {
  const std::string& inline_password = p.spec.conf->auth_password;
  std::string field = "spec.conf.authPassword";
  std::string password = inline_password;
  if (const auto* ref
      = find_value(p.metadata.annotations, auth_password_secret_annotation)) {
    field = "metadata.annotations["
            + std::string(auth_password_secret_annotation) + "]";
    auto slash = ref->find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == ref->size()
        || ref->find('/', slash + 1) != std::string::npos)
      return reject("InvalidAuthPasswordSecret",
                    field + ": must be \"<secret-name>/<key>\", got "
                      + quoted(*ref));
    if (!inline_password.empty())
      return reject("AmbiguousAuthPassword",
                    field + ": set together with spec.conf.authPassword");
    auto name = std::string_view(*ref).substr(0, slash);
    auto key = std::string_view(*ref).substr(slash + 1);
    auto value = in.secret ? in.secret(name, key) : std::nullopt;
    if (!value)
      return reject("AuthPasswordSecretNotFound",
                    field + ": Secret " + quoted(name) + " has no key "
                      + quoted(key));
    password = std::move(*value);
  }
  if (password.size() > max_md5_key_length)
    return reject("AuthPasswordTooLong", field
                                           + ": at most 80 characters (Linux "
                                             "TCP_MD5SIG_MAXKEYLEN), got "
                                           + std::to_string(password.size()));
  return password;
}

checked<void> apply_timers(const peer_timers& t, bgp::peer_config& out) {
  if (!t.hold_time.empty()) {
    // RFC 4271 §4.2: Hold Time MUST be either zero or at least three
    // seconds; the field has 16 bits.
    auto s = parse_seconds(t.hold_time);
    if (!s || (*s != 0 && *s < 3) || *s > 65535)
      return reject("InvalidHoldTime",
                    "spec.timers.config.holdTime: must be 0 or 3-65535 "
                    "seconds (RFC 4271 §4.2), got "
                      + quoted(t.hold_time));
    out.hold_time = static_cast<std::uint16_t>(*s);
  }
  if (!t.connect_retry.empty()) {
    // 0 keeps the default, as gobgp treats zero timers.
    auto s = parse_seconds(t.connect_retry);
    if (!s || *s > 65535)
      return reject("InvalidConnectRetry",
                    "spec.timers.config.connectRetry: must be 0-65535 "
                    "seconds, got "
                      + quoted(t.connect_retry));
    if (*s != 0)
      out.connect_retry = std::chrono::seconds(*s);
  }
  // keepaliveInterval is not read: porter keeps it at a third of the
  // negotiated hold time (RFC 4271 §10).
  return {};
}

checked<void> apply_transport(const bgp_peer_spec& spec,
                              bgp::peer_config& out) {
  if (const auto& m = spec.ebgp_multihop; m && m->enabled) {
    if (m->multihop_ttl > 255)
      return reject("InvalidMultihopTtl",
                    "spec.ebgpMultihop.multihopTtl: must be 1-255, got "
                      + std::to_string(m->multihop_ttl));
    // Enabled without a TTL: any distance, as gobgp does.
    out.ebgp_multihop
      = static_cast<std::uint8_t>(m->multihop_ttl == 0 ? 255 : m->multihop_ttl);
  }
  if (const auto& t = spec.transport) {
    out.passive = t->passive_mode;
    if (t->remote_port > 65535)
      return reject("InvalidRemotePort",
                    "spec.transport.remotePort: must be 1-65535, got "
                      + std::to_string(t->remote_port));
    if (t->remote_port != 0) // 0: the BGP port, 179
      out.port = static_cast<std::uint16_t>(t->remote_port);
  }
  return {};
}

/// Families and ADD-PATH from spec.afiSafis. Empty: OpenELB adds one family
/// with addPaths.sendMax 10, so ADD-PATH is on; porter offers both
/// families. An entry without config or family gets the neighbour's family
/// (OpenELB defaults it the same way, commit 9dc50eab).
void apply_families(const std::vector<afi_safi>& afi_safis,
                    bgp::peer_config& out) {
  if (afi_safis.empty()) {
    out.add_path = true;
    out.ipv6 = true;
    return;
  }
  out.add_path = false;
  out.ipv6 = false;
  for (const auto& a : afi_safis) {
    // OpenELB doc: "to achieve ECMP this value must be > 1".
    if (a.add_paths && a.add_paths->send_max > 1)
      out.add_path = true;
    bool enabled = !a.config || a.config->enabled;
    bool v6 = a.config && a.config->family ? a.config->family->afi == "AFI_IP6"
                                           : !out.address.is_v4();
    if (enabled && v6)
      out.ipv6 = true;
  }
}

checked<bgp::peer_config> peer_of(const bgp_peer& p, const bgp_setup_input& in,
                                  const restart_settings& conf_restart) {
  const auto& spec = p.spec;
  if (!spec.conf)
    return reject("MissingConf", "spec.conf: required");
  bgp::peer_config out;
  out.name = p.metadata.name;
  auto address = net::parse_ip(spec.conf->neighbor_address);
  if (!address)
    return reject("InvalidNeighborAddress",
                  "spec.conf.neighborAddress: not an IP address: "
                    + quoted(spec.conf->neighbor_address));
  out.address = *address;
  if (spec.conf->peer_as == 0)
    return reject("InvalidPeerAs", "spec.conf.peerAs: must be 1-4294967295, "
                                   "got 0");
  out.peer_as = spec.conf->peer_as;
  auto password = password_of(p, in);
  if (!password)
    return tl::make_unexpected(password.error());
  out.md5_password = std::move(*password);
  if (spec.timers)
    if (auto ok = apply_timers(*spec.timers, out); !ok)
      return tl::make_unexpected(ok.error());
  if (auto ok = apply_transport(spec, out); !ok)
    return tl::make_unexpected(ok.error());
  auto restart = restart_settings_of(spec.graceful_restart, conf_restart,
                                     "spec.gracefulRestart");
  if (!restart)
    return tl::make_unexpected(restart.error());
  out.graceful_restart = restart->enabled;
  out.restart_time = restart->restart_time;
  apply_families(spec.afi_safis, out);
  return out;
}

/// Whether this replica runs the peer at all (skipping is not a problem).
bool runs_here(const bgp_peer& p, const string_pairs& node_labels) {
  if (p.metadata.deleting)
    return false;
  if (p.spec.conf && p.spec.conf->admin_down)
    return false;
  // OpenELB checks the selector only when it is set.
  return !p.spec.node_selector || matches(*p.spec.node_selector, node_labels);
}

object_problem problem(std::string kind, const std::string& name, rejection r) {
  return {std::move(kind), name, std::move(r.reason), std::move(r.message)};
}

} // namespace

bgp_setup make_bgp_setup(const bgp_setup_input& in) {
  bgp_setup out;
  if (in.conf == nullptr || in.conf->metadata.deleting)
    return out; // OpenELB: "Bgp not ready" — no speaker, no peers
  const auto& conf_name = in.conf->metadata.name;
  auto speaker = speaker_of(in.conf->spec, in.node_ip);
  auto conf_restart = restart_settings_of(in.conf->spec.graceful_restart, {},
                                          "spec.gracefulRestart");
  if (!speaker || !conf_restart) {
    auto r = !speaker ? speaker.error() : conf_restart.error();
    out.problems.push_back(problem("BgpConf", conf_name, std::move(r)));
    return out;
  }
  out.speaker = *speaker;

  std::vector<const bgp_peer*> peers;
  for (const auto* p : in.peers)
    if (p != nullptr)
      peers.push_back(p);
  std::sort(peers.begin(), peers.end(), [](const auto* a, const auto* b) {
    return a->metadata.name < b->metadata.name;
  });
  std::map<net::ip_address, std::string> owner; // neighbour -> BgpPeer name
  for (const auto* p : peers) {
    if (!runs_here(*p, in.node_labels))
      continue;
    const auto& name = p->metadata.name;
    auto peer = peer_of(*p, in, *conf_restart);
    if (!peer) {
      out.problems.push_back(problem("BgpPeer", name, peer.error()));
      continue;
    }
    auto [it, fresh] = owner.emplace(peer->address, name);
    if (!fresh) {
      out.problems.push_back(
        problem("BgpPeer", name,
                {"DuplicateNeighbor",
                 "spec.conf.neighborAddress: " + net::to_string(peer->address)
                   + " is already used by BgpPeer " + quoted(it->second)}));
      continue;
    }
    out.peers.push_back(std::move(*peer));
  }
  std::sort(out.problems.begin(), out.problems.end(),
            [](const auto& a, const auto& b) {
              return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
            });
  return out;
}

} // namespace porter::k8s
