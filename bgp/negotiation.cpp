// OPEN validation (RFC 4271 §6.2, RFC 6286 §2.2, RFC 6793 §4.1, RFC 7607 §2)
// and capability negotiation: hold time (RFC 4271 §4.2), families (RFC 4760
// §8), ADD-PATH directions (RFC 7911 §4), 4-octet AS and extended messages
// (both sides must advertise them).
#include "bgp/negotiation.hpp"

#include <algorithm>

#include "bgp/detail/wire.hpp"

namespace porter::bgp {

namespace {

using detail::open_error;

constexpr std::uint8_t capabilities_parameter = 2; // RFC 5492 §4

tl::unexpected<notification> reject(std::uint8_t subcode, bytes data = {}) {
  return tl::unexpected<notification>(open_error(subcode, std::move(data)));
}

/// RFC 4760 §8: a speaker without the capability does IPv4 unicast only.
std::vector<afi_safi> families_of(const capabilities& caps) {
  if (caps.multiprotocol.empty())
    return {ipv4_unicast};
  return caps.multiprotocol;
}

std::vector<afi_safi> common_families(const capabilities& ours,
                                      const capabilities& theirs) {
  std::vector<afi_safi> out;
  auto peer = families_of(theirs);
  for (auto f : families_of(ours))
    if (std::find(peer.begin(), peer.end(), f) != peer.end()
        && std::find(out.begin(), out.end(), f) == out.end())
      out.push_back(f);
  return out;
}

bool allows(const std::vector<add_path_entry>& entries, afi_safi f,
            add_path_direction d) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const add_path_entry& e) {
                       return e.family == f
                              && (static_cast<std::uint8_t>(e.direction)
                                  & static_cast<std::uint8_t>(d))
                                   != 0;
                     });
}

/// RFC 7911 §4: path ids flow from a sender that advertised "send" to a
/// receiver that advertised "receive", per family.
void negotiate_add_path(const capabilities& ours, const capabilities& theirs,
                        negotiated_session& s) {
  for (auto f : s.families) {
    if (allows(ours.add_path, f, add_path_direction::send)
        && allows(theirs.add_path, f, add_path_direction::receive))
      s.tx.add_path.push_back(f);
    if (allows(ours.add_path, f, add_path_direction::receive)
        && allows(theirs.add_path, f, add_path_direction::send))
      s.rx.add_path.push_back(f);
  }
}

tl::expected<std::uint32_t, notification>
check_peer_as(const session_config& local, const open_message& peer,
              const capabilities& caps) {
  // RFC 6793 §4.1: a NEW speaker's real ASN is in the capability.
  std::uint32_t asn = caps.four_octet_as.value_or(peer.my_as);
  // RFC 7607 §2: AS 0 in an OPEN is Bad Peer AS.
  if (asn == 0)
    return reject(open_subcode::bad_peer_as);
  // RFC 4271 §6.2: the peer AS must be the one we expect.
  if (local.peer_as != 0 && asn != local.peer_as)
    return reject(open_subcode::bad_peer_as);
  return asn;
}

tl::expected<void, notification> check_parameters(const open_message& peer) {
  for (const auto& p : peer.parameters)
    // RFC 4271 §6.2: an unrecognized Optional Parameter is Unsupported
    // Optional Parameter.
    if (p.type != capabilities_parameter)
      return reject(open_subcode::unsupported_optional_parameter);
  return {};
}

} // namespace

tl::expected<negotiated_session, notification>
negotiate(const session_config& local, const open_message& peer_open) {
  if (auto bad = detail::check_open_fields(peer_open))
    return tl::unexpected(std::move(*bad));
  if (auto ok = check_parameters(peer_open); !ok)
    return tl::unexpected(std::move(ok.error()));
  auto caps = decode_capabilities(peer_open);
  if (!caps)
    return tl::unexpected(std::move(caps.error()));
  auto asn = check_peer_as(local, peer_open, *caps);
  if (!asn)
    return tl::unexpected(std::move(asn.error()));
  negotiated_session s;
  s.peer_as = *asn;
  s.peer_id = peer_open.bgp_identifier;
  // RFC 6286 §2.2: within an AS the two identifiers must differ.
  if (s.is_ibgp(local) && s.peer_id == local.local_id)
    return reject(open_subcode::bad_bgp_identifier);
  // RFC 4271 §4.2: the smaller Hold Time wins; keepalive is a third of it.
  s.hold_time = std::min(local.hold_time, peer_open.hold_time);
  s.keepalive_time = static_cast<std::uint16_t>(s.hold_time / 3);
  const auto& ours = local.local_caps;
  s.families = common_families(ours, *caps);
  negotiate_add_path(ours, *caps, s);
  s.tx.four_octet_as
    = ours.four_octet_as.has_value() && caps->four_octet_as.has_value();
  s.tx.extended_message = ours.extended_message && caps->extended_message;
  s.rx.four_octet_as = s.tx.four_octet_as;
  s.rx.extended_message = s.tx.extended_message;
  s.route_refresh = caps->route_refresh;
  s.peer_graceful_restart = caps->graceful_restart;
  s.peer_caps = std::move(*caps);
  return s;
}

} // namespace porter::bgp
