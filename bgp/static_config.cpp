#include "bgp/static_config.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>

// toml++ as a header-only library (its default; Debian's shared library is
// not linked), and without exceptions: toml::parse returns a parse_result,
// so bad input never throws out of this pure function.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

namespace porter::bgp {
namespace {

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

/// Typed access to known keys. Absent keys (or a null table) read as
/// nullopt; the first type or range error is kept and ends the parse.
class reader {
public:
  std::optional<std::string> error;

  void fail(const std::string& path, const std::string& what) {
    if (!error)
      error = path + ": " + what;
  }

  const toml::table* table(const toml::table* t, std::string_view key,
                           const std::string& path) {
    const toml::node* n = t ? t->get(key) : nullptr;
    if (n && !n->is_table())
      fail(join(path, key), "must be a table");
    return n ? n->as_table() : nullptr;
  }

  /// gobgp's `[<section>.config]` under `t`: the table, or nullptr.
  const toml::table* config_of(const toml::table* t, std::string_view section,
                               const std::string& path) {
    return table(table(t, section, path), "config", join(path, section));
  }

  const toml::array* tables(const toml::table* t, std::string_view key,
                            const std::string& path) {
    const toml::node* n = t ? t->get(key) : nullptr;
    const auto* a = n ? n->as_array() : nullptr;
    if (n && !(a && (a->empty() || a->is_array_of_tables())))
      fail(join(path, key),
           "must be an array of tables ([[" + join(path, key) + "]])");
    return a;
  }

  std::optional<bool> boolean(const toml::table* t, std::string_view key,
                              const std::string& path) {
    const toml::node* n = t ? t->get(key) : nullptr;
    if (n && !n->is_boolean())
      fail(join(path, key), "must be true or false");
    return n ? n->value<bool>() : std::nullopt;
  }

  std::optional<std::string> string(const toml::table* t, std::string_view key,
                                    const std::string& path) {
    const toml::node* n = t ? t->get(key) : nullptr;
    if (n && !n->is_string())
      fail(join(path, key), "must be a string");
    return n ? n->value<std::string>() : std::nullopt;
  }

  /// An integer in [lo, hi]. gobgp declares timers as float64, so
  /// `whole_float` also takes 90.0 (but not 90.5).
  std::optional<std::int64_t> integer(const toml::table* t,
                                      std::string_view key,
                                      const std::string& path, std::int64_t lo,
                                      std::int64_t hi, const char* range,
                                      bool whole_float = false) {
    const toml::node* n = t ? t->get(key) : nullptr;
    if (!n)
      return std::nullopt;
    std::optional<std::int64_t> v;
    if (n->is_integer())
      v = n->as_integer()->get();
    else if (const auto* f = n->as_floating_point(); f && whole_float) {
      double d = f->get();
      if (std::trunc(d) == d && std::fabs(d) < 1e15)
        v = static_cast<std::int64_t>(d);
    }
    if (!v) {
      fail(join(path, key), whole_float ? "must be a whole number of seconds"
                                        : "must be an integer");
      return std::nullopt;
    }
    if (*v < lo || *v > hi) {
      fail(join(path, key),
           std::string("must be ") + range + ", got " + std::to_string(*v));
      return std::nullopt;
    }
    return v;
  }
};

std::optional<net::ip_address> address(reader& r, const std::string& text,
                                       const std::string& path) {
  auto a = net::parse_ip(text);
  if (!a)
    r.fail(path, "not an IP address: \"" + text + "\"");
  return a ? std::optional(*a) : std::nullopt;
}

void read_global(reader& r, const toml::table& root, speaker_config& out) {
  const auto* global = r.table(&root, "global", "");
  const auto* c = r.table(global, "config", "global");
  const std::string path = "global.config";
  auto as = r.integer(c, "as", path, 1, 4294967295LL, "1-4294967295");
  if (!as && !r.error)
    r.fail(join(path, "as"), "required");
  out.local_as = static_cast<std::uint32_t>(as.value_or(0));
  // RFC 6286 §2.1: a non-zero 4-octet identifier, written as dotted IPv4.
  auto id = r.string(c, "router-id", path);
  out.router_id = 0;
  if (id)
    if (auto parsed = parse_router_id(*id))
      out.router_id = *parsed;
  if (!r.error && out.router_id == 0)
    r.fail(join(path, "router-id"),
           id ? "must be a non-zero dotted IPv4 address, got \"" + *id + "\""
              : "required");
  // gobgp: port -1 means do not listen (speaker_config's 0).
  auto port = r.integer(c, "port", path, -1, 65535, "-1 or 1-65535");
  if (port == 0)
    r.fail(join(path, "port"), "must be -1 or 1-65535, got 0");
  out.listen_port
    = static_cast<std::uint16_t>(!port         ? static_default_listen_port
                                 : *port == -1 ? 0
                                               : *port);
  // use-multiple-paths is what gobgp needs for ECMP; porter always
  // announces every path, so the key is type-checked and otherwise ignored.
  const auto* multi = r.table(global, "use-multiple-paths", "global");
  r.boolean(r.table(multi, "config", "global.use-multiple-paths"), "enabled",
            "global.use-multiple-paths.config");
}

void read_timers_and_transport(reader& r, const toml::table& n,
                               const std::string& path, peer_config& out) {
  const auto* timers = r.config_of(&n, "timers", path);
  const auto tp = join(path, "timers.config");
  // RFC 4271 §4.2: Hold Time is zero or at least three seconds (16 bits).
  auto hold
    = r.integer(timers, "hold-time", tp, 0, 65535, "0 or 3-65535", true);
  if (hold && *hold > 0 && *hold < 3)
    r.fail(join(tp, "hold-time"), "must be 0 or 3-65535 (RFC 4271 §4.2), got "
                                    + std::to_string(*hold));
  if (hold)
    out.hold_time = static_cast<std::uint16_t>(*hold);
  // 0 keeps the default, as in gobgp.
  if (auto retry
      = r.integer(timers, "connect-retry", tp, 0, 65535, "0-65535", true);
      retry && *retry > 0)
    out.connect_retry = std::chrono::seconds(*retry);

  const auto xp = join(path, "transport.config");
  const auto* transport = r.config_of(&n, "transport", path);
  out.passive = r.boolean(transport, "passive-mode", xp).value_or(false);
  // 0: the BGP port, as in gobgp.
  if (auto port = r.integer(transport, "remote-port", xp, 0, 65535, "0-65535");
      port && *port > 0)
    out.port = static_cast<std::uint16_t>(*port);
  if (auto local = r.string(transport, "local-address", xp))
    out.local_address = address(r, *local, join(xp, "local-address"));

  const auto mp = join(path, "ebgp-multihop.config");
  const auto* multihop = r.config_of(&n, "ebgp-multihop", path);
  auto ttl = r.integer(multihop, "multihop-ttl", mp, 0, 255, "0-255");
  // Enabled without a TTL: any distance.
  if (r.boolean(multihop, "enabled", mp).value_or(false))
    out.ebgp_multihop
      = static_cast<std::uint8_t>(ttl.value_or(0) == 0 ? 255 : *ttl);
}

/// `[add-paths.config] send-max` under `t`: whether it asks for ADD-PATH
/// (the seed's doc: "to achieve ECMP this value must be > 1").
bool wants_add_path(reader& r, const toml::table* t, const std::string& path) {
  const auto* c = r.config_of(t, "add-paths", path);
  return r.integer(c, "send-max", join(path, "add-paths.config"), 0, 255,
                   "0-255")
           .value_or(0)
         > 1;
}

void read_families(reader& r, const toml::table& n, const std::string& path,
                   peer_config& out) {
  out.add_path = wants_add_path(r, &n, path);
  const auto* list = r.tables(&n, "afi-safis", path);
  if (!list || list->empty())
    return; // porter's default: offer IPv4 and IPv6
  out.ipv6 = false;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto ap = join(path, "afi-safis[" + std::to_string(i) + "]");
    const auto* entry = list->get(i)->as_table();
    const auto* c = r.table(entry, "config", ap);
    auto name = r.string(c, "afi-safi-name", join(ap, "config"));
    // gobgp enables a listed family unless told otherwise.
    bool enabled = r.boolean(c, "enabled", join(ap, "config")).value_or(true);
    if (!r.error && name != "ipv4-unicast" && name != "ipv6-unicast")
      r.fail(join(ap, "config.afi-safi-name"),
             name ? "porter speaks ipv4-unicast and ipv6-unicast, got \""
                      + *name + "\""
                  : "required");
    if (enabled && name == "ipv6-unicast")
      out.ipv6 = true;
    if (wants_add_path(r, entry, ap))
      out.add_path = true;
  }
}

peer_config read_neighbor(reader& r, const toml::table& n,
                          const std::string& path) {
  peer_config out;
  const auto cp = join(path, "config");
  const auto* c = r.table(&n, "config", path);
  auto text = r.string(c, "neighbor-address", cp);
  if (!text && !r.error)
    r.fail(join(cp, "neighbor-address"), "required");
  if (text)
    if (auto a = address(r, *text, join(cp, "neighbor-address")))
      out.address = *a;
  out.name = net::to_string(out.address);
  auto as = r.integer(c, "peer-as", cp, 1, 4294967295LL, "1-4294967295");
  if (!as && !r.error)
    r.fail(join(cp, "peer-as"), "required");
  out.peer_as = static_cast<std::uint32_t>(as.value_or(0));
  out.md5_password = r.string(c, "auth-password", cp).value_or("");
  // Linux TCP_MD5SIG_MAXKEYLEN: the longest RFC 2385 key the kernel takes.
  if (out.md5_password.size() > 80)
    r.fail(join(cp, "auth-password"),
           "at most 80 characters, got "
             + std::to_string(out.md5_password.size()));
  r.string(c, "description", cp); // free text; porter names peers by address
  read_timers_and_transport(r, n, path, out);
  read_families(r, n, path, out);
  const auto gp = join(path, "graceful-restart.config");
  const auto* gr = r.config_of(&n, "graceful-restart", path);
  out.graceful_restart = r.boolean(gr, "enabled", gp).value_or(false);
  // RFC 4724 §3: the Restart Time field has 12 bits; 0 keeps the default.
  if (auto t = r.integer(gr, "restart-time", gp, 0, 4095, "0-4095 (RFC 4724)");
      t && *t > 0)
    out.restart_time = static_cast<std::uint16_t>(*t);
  return out;
}

} // namespace

tl::expected<static_config, std::string>
parse_static_config(std::string_view toml_text) {
  auto parsed = toml::parse(toml_text);
  if (!parsed) {
    const auto& e = parsed.error();
    return tl::make_unexpected("line " + std::to_string(e.source().begin.line)
                               + ", column "
                               + std::to_string(e.source().begin.column) + ": "
                               + std::string(e.description()));
  }
  reader r;
  static_config out;
  read_global(r, parsed.table(), out.speaker);
  const auto* neighbors = r.tables(&parsed.table(), "neighbors", "");
  for (std::size_t i = 0; neighbors && !r.error && i < neighbors->size(); ++i) {
    const auto path = "neighbors[" + std::to_string(i) + "]";
    auto peer = read_neighbor(r, *neighbors->get(i)->as_table(), path);
    for (std::size_t j = 0; j < out.peers.size() && !r.error; ++j)
      if (out.peers[j].address == peer.address)
        r.fail(path + ".config.neighbor-address",
               "same neighbour as neighbors[" + std::to_string(j) + "]");
    out.peers.push_back(std::move(peer));
  }
  if (r.error)
    return tl::make_unexpected(*r.error);
  return out;
}

} // namespace porter::bgp
