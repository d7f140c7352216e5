// BGP-4 messages as plain values (RFC 4271 §4) with the extensions porter
// speaks: capabilities (RFC 5492), multiprotocol (RFC 4760), 4-octet AS
// (RFC 6793), ADD-PATH (RFC 7911), route refresh (RFC 2918), graceful restart
// (RFC 4724), extended messages (RFC 8654). The decoded form keeps what is
// needed to re-encode a peer's bytes exactly: attribute flags and order,
// capability grouping in optional parameters, unknown capabilities/attributes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "net/ip_address.hpp"

namespace porter::bgp {

using bytes = std::vector<std::uint8_t>;

// RFC 4271 §4.1
inline constexpr std::size_t header_size = 19;
inline constexpr std::size_t max_message_size = 4096;
// RFC 8654 §3
inline constexpr std::size_t max_extended_message_size = 65535;
// RFC 6793 §9
inline constexpr std::uint16_t as_trans = 23456;

enum class message_type : std::uint8_t {
  open = 1,
  update = 2,
  notification = 3,
  keepalive = 4,
  route_refresh = 5,
};

// RFC 4760 §3 / IANA
enum class afi : std::uint16_t { ipv4 = 1, ipv6 = 2 };
enum class safi : std::uint8_t { unicast = 1 };

struct afi_safi {
  std::uint16_t afi = 1;
  std::uint8_t safi = 1;
  friend bool operator==(afi_safi a, afi_safi b) {
    return a.afi == b.afi && a.safi == b.safi;
  }
  friend bool operator<(afi_safi a, afi_safi b) {
    return a.afi != b.afi ? a.afi < b.afi : a.safi < b.safi;
  }
};
inline constexpr afi_safi ipv4_unicast{1, 1};
inline constexpr afi_safi ipv6_unicast{2, 1};

// ---------------------------------------------------------------- OPEN ------

// RFC 5492 §4 / IANA capability codes
enum class capability_code : std::uint8_t {
  multiprotocol = 1,
  route_refresh = 2,
  extended_message = 6,
  graceful_restart = 64,
  four_octet_as = 65,
  add_path = 69,
  enhanced_route_refresh = 70,
};

/// One capability TLV as it appeared on the wire (value kept raw so unknown
/// ones survive a decode/encode round trip).
struct capability {
  std::uint8_t code = 0;
  bytes value;
  friend bool operator==(const capability& a, const capability& b) {
    return a.code == b.code && a.value == b.value;
  }
};

/// RFC 4271 §4.2 optional parameter. Type 2 (RFC 5492) carries capabilities;
/// other types are kept raw. Peers differ in grouping (one capability per
/// parameter, or several in one), so the grouping is preserved.
struct optional_parameter {
  std::uint8_t type = 2;
  std::vector<capability> capabilities; // type 2
  bytes raw;                            // any other type
  friend bool operator==(const optional_parameter& a,
                         const optional_parameter& b) {
    return a.type == b.type && a.capabilities == b.capabilities
           && a.raw == b.raw;
  }
};

struct open_message {
  std::uint8_t version = 4;
  std::uint16_t my_as = 0; // AS_TRANS when the real ASN needs 4 octets
  std::uint16_t hold_time = 90;
  std::uint32_t bgp_identifier = 0; // host order
  std::vector<optional_parameter> parameters;
};

// RFC 7911 §4 Send/Receive field
enum class add_path_direction : std::uint8_t {
  receive = 1,
  send = 2,
  both = 3,
};

struct add_path_entry {
  afi_safi family;
  add_path_direction direction = add_path_direction::both;
  friend bool operator==(const add_path_entry& a, const add_path_entry& b) {
    return a.family == b.family && a.direction == b.direction;
  }
};

// RFC 4724 §3
struct graceful_restart_entry {
  afi_safi family;
  bool forwarding_preserved = false;
  friend bool operator==(const graceful_restart_entry& a,
                         const graceful_restart_entry& b) {
    return a.family == b.family
           && a.forwarding_preserved == b.forwarding_preserved;
  }
};

struct graceful_restart_capability {
  bool restarting = false;        // R bit
  bool notification = false;      // N bit (RFC 8538)
  std::uint16_t restart_time = 0; // seconds, 12 bits
  std::vector<graceful_restart_entry> families;
  friend bool operator==(const graceful_restart_capability& a,
                         const graceful_restart_capability& b) {
    return a.restarting == b.restarting && a.notification == b.notification
           && a.restart_time == b.restart_time && a.families == b.families;
  }
};

/// The typed meaning of all capabilities in one OPEN.
struct capabilities {
  std::vector<afi_safi> multiprotocol;
  std::optional<std::uint32_t> four_octet_as;
  std::vector<add_path_entry> add_path;
  bool route_refresh = false;
  bool enhanced_route_refresh = false;
  bool extended_message = false;
  std::optional<graceful_restart_capability> graceful_restart;
  std::vector<capability> unknown;
};

// -------------------------------------------------------------- UPDATE ------

/// A prefix with its ADD-PATH path identifier (RFC 7911 §3); the identifier
/// is on the wire only when ADD-PATH was negotiated for the direction.
struct nlri {
  std::uint32_t path_id = 0;
  net::prefix prefix;
  friend bool operator==(const nlri& a, const nlri& b) {
    return a.path_id == b.path_id && a.prefix == b.prefix;
  }
  friend bool operator<(const nlri& a, const nlri& b) {
    return a.prefix != b.prefix ? a.prefix < b.prefix : a.path_id < b.path_id;
  }
};

// RFC 4271 §4.3 attribute flags
inline constexpr std::uint8_t attr_flag_optional = 0x80;
inline constexpr std::uint8_t attr_flag_transitive = 0x40;
inline constexpr std::uint8_t attr_flag_partial = 0x20;
inline constexpr std::uint8_t attr_flag_extended_length = 0x10;

enum class attr_type : std::uint8_t {
  origin = 1,
  as_path = 2,
  next_hop = 3,
  multi_exit_disc = 4,
  local_pref = 5,
  atomic_aggregate = 6,
  aggregator = 7,
  communities = 8,
  mp_reach_nlri = 14,
  mp_unreach_nlri = 15,
  as4_path = 17,
  as4_aggregator = 18,
  large_communities = 32,
};

enum class origin : std::uint8_t { igp = 0, egp = 1, incomplete = 2 };

// RFC 4271 §4.3 / RFC 5065 segment types
enum class as_segment_type : std::uint8_t {
  as_set = 1,
  as_sequence = 2,
  as_confed_sequence = 3,
  as_confed_set = 4,
};

struct as_segment {
  as_segment_type type = as_segment_type::as_sequence;
  std::vector<std::uint32_t> asns;
  friend bool operator==(const as_segment& a, const as_segment& b) {
    return a.type == b.type && a.asns == b.asns;
  }
};

/// AS_PATH or AS4_PATH. Whether ASNs are 2 or 4 octets on the wire depends on
/// the session (RFC 6793 §4); AS4_PATH is always 4 octets.
struct as_path {
  std::vector<as_segment> segments;
  friend bool operator==(const as_path& a, const as_path& b) {
    return a.segments == b.segments;
  }
};

struct aggregator {
  std::uint32_t asn = 0;
  std::uint32_t address = 0; // host order
  friend bool operator==(const aggregator& a, const aggregator& b) {
    return a.asn == b.asn && a.address == b.address;
  }
};

// RFC 8092 §3
struct large_community {
  std::uint32_t global_admin = 0;
  std::uint32_t local_data1 = 0;
  std::uint32_t local_data2 = 0;
  friend bool operator==(const large_community& a, const large_community& b) {
    return a.global_admin == b.global_admin && a.local_data1 == b.local_data1
           && a.local_data2 == b.local_data2;
  }
};

// RFC 4760 §3. IPv6 next hop: global, optionally followed by link-local
// (RFC 2545 §3).
struct mp_reach {
  afi_safi family;
  net::ip_address next_hop;
  std::optional<net::ip_address> link_local_next_hop;
  std::vector<nlri> announced;
  friend bool operator==(const mp_reach& a, const mp_reach& b) {
    return a.family == b.family && a.next_hop == b.next_hop
           && a.link_local_next_hop == b.link_local_next_hop
           && a.announced == b.announced;
  }
};

// RFC 4760 §4. Empty `withdrawn` is the End-of-RIB marker for `family`
// (RFC 4724 §2).
struct mp_unreach {
  afi_safi family;
  std::vector<nlri> withdrawn;
  friend bool operator==(const mp_unreach& a, const mp_unreach& b) {
    return a.family == b.family && a.withdrawn == b.withdrawn;
  }
};

/// An attribute porter does not interpret, kept as raw bytes.
struct raw_attribute {
  bytes value;
  friend bool operator==(const raw_attribute& a, const raw_attribute& b) {
    return a.value == b.value;
  }
};

struct atomic_aggregate {
  friend bool operator==(atomic_aggregate, atomic_aggregate) { return true; }
};

using attribute_value
  = std::variant<origin, as_path, net::ip_address, // NEXT_HOP (IPv4)
                 std::uint32_t,                    // MED or LOCAL_PREF
                 atomic_aggregate, aggregator,
                 std::vector<std::uint32_t>, // COMMUNITIES (RFC 1997)
                 std::vector<large_community>, mp_reach, mp_unreach,
                 raw_attribute>;

struct path_attribute {
  std::uint8_t flags = 0; // as received; encode keeps them (extended length
                          // is forced on when the value needs it)
  std::uint8_t type = 0;
  attribute_value value;
  friend bool operator==(const path_attribute& a, const path_attribute& b) {
    return a.flags == b.flags && a.type == b.type && a.value == b.value;
  }
};

struct update_message {
  std::vector<nlri> withdrawn; // IPv4 unicast withdrawn routes
  std::vector<path_attribute> attributes;
  std::vector<nlri> announced; // IPv4 unicast NLRI
};

// -------------------------------------------------------- NOTIFICATION ------

// RFC 4271 §4.5 error codes; subcodes in §6 and later RFCs.
enum class error_code : std::uint8_t {
  message_header = 1,
  open_message = 2,
  update_message = 3,
  hold_timer_expired = 4,
  fsm = 5,
  cease = 6,
  route_refresh = 7, // RFC 7313
};

namespace header_subcode {
inline constexpr std::uint8_t connection_not_synchronized = 1;
inline constexpr std::uint8_t bad_message_length = 2;
inline constexpr std::uint8_t bad_message_type = 3;
} // namespace header_subcode

namespace open_subcode {
inline constexpr std::uint8_t unsupported_version = 1;
inline constexpr std::uint8_t bad_peer_as = 2;
inline constexpr std::uint8_t bad_bgp_identifier = 3;
inline constexpr std::uint8_t unsupported_optional_parameter = 4;
inline constexpr std::uint8_t unacceptable_hold_time = 6;
inline constexpr std::uint8_t unsupported_capability = 7; // RFC 5492
inline constexpr std::uint8_t role_mismatch = 11;         // RFC 9234
} // namespace open_subcode

namespace update_subcode {
inline constexpr std::uint8_t malformed_attribute_list = 1;
inline constexpr std::uint8_t unrecognized_wellknown_attribute = 2;
inline constexpr std::uint8_t missing_wellknown_attribute = 3;
inline constexpr std::uint8_t attribute_flags_error = 4;
inline constexpr std::uint8_t attribute_length_error = 5;
inline constexpr std::uint8_t invalid_origin_attribute = 6;
inline constexpr std::uint8_t invalid_next_hop_attribute = 8;
inline constexpr std::uint8_t optional_attribute_error = 9;
inline constexpr std::uint8_t invalid_network_field = 10;
inline constexpr std::uint8_t malformed_as_path = 11;
} // namespace update_subcode

namespace fsm_subcode { // RFC 6608
inline constexpr std::uint8_t unspecified = 0;
inline constexpr std::uint8_t unexpected_in_open_sent = 1;
inline constexpr std::uint8_t unexpected_in_open_confirm = 2;
inline constexpr std::uint8_t unexpected_in_established = 3;
} // namespace fsm_subcode

namespace cease_subcode { // RFC 4486
inline constexpr std::uint8_t max_prefixes = 1;
inline constexpr std::uint8_t administrative_shutdown = 2;
inline constexpr std::uint8_t peer_deconfigured = 3;
inline constexpr std::uint8_t administrative_reset = 4;
inline constexpr std::uint8_t connection_rejected = 5;
inline constexpr std::uint8_t other_configuration_change = 6;
inline constexpr std::uint8_t connection_collision_resolution = 7;
inline constexpr std::uint8_t out_of_resources = 8;
inline constexpr std::uint8_t hard_reset = 9; // RFC 8538
} // namespace cease_subcode

namespace route_refresh_subcode { // RFC 7313 §5
inline constexpr std::uint8_t invalid_message_length = 1;
} // namespace route_refresh_subcode

/// A NOTIFICATION, either received or to be sent. Every decode failure is one
/// of these, so the caller can always answer the peer correctly.
struct notification {
  std::uint8_t code = 0;
  std::uint8_t subcode = 0;
  bytes data;
  friend bool operator==(const notification& a, const notification& b) {
    return a.code == b.code && a.subcode == b.subcode && a.data == b.data;
  }
};

struct keepalive_message {};

// RFC 2918 §3; subtype (RFC 7313) in the reserved byte.
struct route_refresh_message {
  afi_safi family;
  std::uint8_t subtype = 0;
};

using message = std::variant<open_message, update_message, notification,
                             keepalive_message, route_refresh_message>;

} // namespace porter::bgp
