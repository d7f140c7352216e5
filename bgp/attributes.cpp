// Path attributes (RFC 4271 §4.3, §5): one table row per attribute type with
// its expected Optional/Transitive flags, its decoder, and the RFC 7606 §7
// approach to use when it is malformed. Encoding is driven by the value's
// variant alternative; the type code picks 2- or 4-octet AS numbers.
#include <algorithm>

#include "bgp/detail/wire.hpp"

namespace porter::bgp::detail {

namespace {

using value_result = tl::expected<attribute_value, std::uint8_t>;
using decode_fn = value_result (*)(byte_reader, const wire_options&);

tl::unexpected<std::uint8_t> fail(std::uint8_t subcode) {
  return tl::unexpected<std::uint8_t>(subcode);
}

// RFC 7606 §7.1: length other than 1 or an undefined value is malformed.
value_result decode_origin(byte_reader v, const wire_options&) {
  std::uint8_t o = 0;
  if (v.remaining() != 1 || !v.u8(o))
    return fail(update_subcode::attribute_length_error);
  // RFC 4271 §6.3: an undefined ORIGIN value is Invalid ORIGIN Attribute.
  if (o > static_cast<std::uint8_t>(origin::incomplete))
    return fail(update_subcode::invalid_origin_attribute);
  return static_cast<origin>(o);
}

bool decode_segments(byte_reader v, bool four_octet, as_path& out) {
  while (!v.empty()) {
    std::uint8_t type = 0;
    std::uint8_t count = 0;
    // RFC 7606 §7.2: a lone trailing octet cannot hold a segment header.
    if (!v.u8(type) || !v.u8(count))
      return false;
    // RFC 7606 §7.2: unrecognized segment types and zero-length segments
    // make the AS_PATH malformed.
    if (type < 1 || type > 4 || count == 0)
      return false;
    as_segment seg{static_cast<as_segment_type>(type), {}};
    for (unsigned i = 0; i < count; ++i) {
      std::uint32_t asn = 0;
      std::uint16_t asn16 = 0;
      // RFC 7606 §7.2: a segment overrunning the attribute is malformed.
      if (four_octet ? !v.u32(asn) : !v.u16(asn16))
        return false;
      seg.asns.push_back(four_octet ? asn : asn16);
    }
    out.segments.push_back(std::move(seg));
  }
  return true;
}

// RFC 6793 §4: AS_PATH carries 4-octet ASNs only between NEW speakers.
value_result decode_as_path(byte_reader v, const wire_options& opts) {
  as_path p;
  if (!decode_segments(v, opts.four_octet_as, p))
    return fail(update_subcode::malformed_as_path);
  return p;
}

// RFC 6793 §6: a malformed AS4_PATH is an optional attribute error.
value_result decode_as4_path(byte_reader v, const wire_options&) {
  as_path p;
  if (!decode_segments(v, true, p))
    return fail(update_subcode::optional_attribute_error);
  return p;
}

// RFC 7606 §7.3: a NEXT_HOP whose length is not 4 is malformed.
value_result decode_next_hop(byte_reader v, const wire_options&) {
  std::uint32_t a = 0;
  if (v.remaining() != 4 || !v.u32(a))
    return fail(update_subcode::attribute_length_error);
  return net::ip_address::v4(a);
}

// RFC 7606 §7.4 (MED) and §7.5 (LOCAL_PREF): length must be 4.
value_result decode_u32(byte_reader v, const wire_options&) {
  std::uint32_t x = 0;
  if (v.remaining() != 4 || !v.u32(x))
    return fail(update_subcode::attribute_length_error);
  return x;
}

// RFC 7606 §7.6: ATOMIC_AGGREGATE must be empty.
value_result decode_atomic_aggregate(byte_reader v, const wire_options&) {
  if (!v.empty())
    return fail(update_subcode::attribute_length_error);
  return atomic_aggregate{};
}

value_result decode_aggregator_width(byte_reader v, bool four_octet) {
  aggregator a;
  std::uint16_t asn16 = 0;
  // RFC 7606 §7.7: length must be 6 (or 8 with 4-octet ASNs).
  if (v.remaining() != (four_octet ? 8U : 6U))
    return fail(update_subcode::attribute_length_error);
  if (four_octet)
    v.u32(a.asn);
  else if (v.u16(asn16))
    a.asn = asn16;
  v.u32(a.address);
  return a;
}

value_result decode_aggregator(byte_reader v, const wire_options& opts) {
  return decode_aggregator_width(v, opts.four_octet_as);
}

// RFC 6793 §6: AS4_AGGREGATOR always carries a 4-octet ASN.
value_result decode_as4_aggregator(byte_reader v, const wire_options&) {
  return decode_aggregator_width(v, true);
}

// RFC 7606 §7.8: COMMUNITIES length must be a non-zero multiple of 4.
value_result decode_communities(byte_reader v, const wire_options&) {
  if (v.empty() || v.remaining() % 4 != 0)
    return fail(update_subcode::attribute_length_error);
  std::vector<std::uint32_t> out;
  std::uint32_t c = 0;
  while (v.u32(c))
    out.push_back(c);
  return out;
}

// RFC 8092 §6: LARGE_COMMUNITY length must be a non-zero multiple of 12.
value_result decode_large_communities(byte_reader v, const wire_options&) {
  if (v.empty() || v.remaining() % 12 != 0)
    return fail(update_subcode::attribute_length_error);
  std::vector<large_community> out;
  large_community c;
  while (v.u32(c.global_admin) && v.u32(c.local_data1) && v.u32(c.local_data2))
    out.push_back(c);
  return out;
}

// RFC 4760 §7: errors in MP_REACH/MP_UNREACH are Optional Attribute Errors.
value_result decode_mp_reach_value(byte_reader v, const wire_options& opts) {
  if (auto value = decode_mp_reach(v, opts))
    return std::move(*value);
  return fail(update_subcode::optional_attribute_error);
}

value_result decode_mp_unreach_value(byte_reader v, const wire_options& opts) {
  if (auto value = decode_mp_unreach(v, opts))
    return std::move(*value);
  return fail(update_subcode::optional_attribute_error);
}

constexpr std::uint8_t category_mask
  = attr_flag_optional | attr_flag_transitive;
constexpr std::uint8_t well_known = attr_flag_transitive;
constexpr std::uint8_t optional_transitive
  = attr_flag_optional | attr_flag_transitive;
constexpr std::uint8_t optional_non_transitive = attr_flag_optional;

struct attribute_rule {
  attr_type type;
  std::uint8_t category; // RFC 4271 §5: expected Optional/Transitive bits
  severity on_error;     // RFC 7606 §7 (or the attribute's RFC)
  decode_fn decode;
};

// MP_REACH/MP_UNREACH: RFC 7606 §5.3, treat-as-withdraw needs their NLRI.
constexpr attribute_rule rules[] = {
  {attr_type::origin, well_known, severity::treat_as_withdraw, decode_origin},
  {attr_type::as_path, well_known, severity::treat_as_withdraw, decode_as_path},
  {attr_type::next_hop, well_known, severity::treat_as_withdraw,
   decode_next_hop},
  {attr_type::multi_exit_disc, optional_non_transitive,
   severity::treat_as_withdraw, decode_u32},
  {attr_type::local_pref, well_known, severity::treat_as_withdraw, decode_u32},
  {attr_type::atomic_aggregate, well_known, severity::attribute_discard,
   decode_atomic_aggregate},
  {attr_type::aggregator, optional_transitive, severity::attribute_discard,
   decode_aggregator},
  {attr_type::communities, optional_transitive, severity::treat_as_withdraw,
   decode_communities},
  {attr_type::mp_reach_nlri, optional_non_transitive, severity::session_reset,
   decode_mp_reach_value},
  {attr_type::mp_unreach_nlri, optional_non_transitive, severity::session_reset,
   decode_mp_unreach_value},
  {attr_type::as4_path, optional_transitive, severity::attribute_discard,
   decode_as4_path},
  {attr_type::as4_aggregator, optional_transitive, severity::attribute_discard,
   decode_as4_aggregator},
  {attr_type::large_communities, optional_transitive,
   severity::treat_as_withdraw, decode_large_communities},
};

const attribute_rule* find_rule(std::uint8_t type) {
  auto it = std::find_if(std::begin(rules), std::end(rules),
                         [type](const attribute_rule& r) {
                           return static_cast<std::uint8_t>(r.type) == type;
                         });
  return it == std::end(rules) ? nullptr : &*it;
}

tl::unexpected<attribute_error> reject(severity level, std::uint8_t subcode,
                                       bytes data) {
  return tl::unexpected<attribute_error>(
    attribute_error{level, update_error(subcode, std::move(data))});
}

} // namespace

tl::expected<path_attribute, attribute_error>
decode_attribute(std::uint8_t flags, std::uint8_t type, byte_reader value,
                 byte_reader whole, const wire_options& opts) {
  const attribute_rule* rule = find_rule(type);
  if (rule == nullptr) {
    // RFC 4271 §6.3: an unrecognized attribute with the Optional bit clear
    // is an Unrecognized Well-known Attribute (RFC 7606 does not relax it).
    if ((flags & attr_flag_optional) == 0)
      return reject(severity::session_reset,
                    update_subcode::unrecognized_wellknown_attribute,
                    whole.rest());
    return path_attribute{flags, type, raw_attribute{value.rest()}};
  }
  // RFC 7606 §3(c): Optional/Transitive bits in conflict with the type make
  // the attribute malformed (RFC 4271 §6.3: Attribute Flags Error).
  if ((flags & category_mask) != rule->category)
    return reject(rule->on_error, update_subcode::attribute_flags_error,
                  whole.rest());
  auto decoded = rule->decode(value, opts);
  if (!decoded) {
    // RFC 4271 §6.3: Malformed AS_PATH is the one error without Data.
    bool with_data = decoded.error() != update_subcode::malformed_as_path;
    return reject(rule->on_error, decoded.error(),
                  with_data ? whole.rest() : bytes{});
  }
  return path_attribute{flags, type, std::move(*decoded)};
}

namespace {

void encode_as_path(const as_path& p, bool four_octet, bytes& out) {
  for (const auto& seg : p.segments) {
    // Segments hold at most 255 ASNs; longer ones are split, empty ones
    // (malformed per RFC 7606 §7.2) are not written.
    for (std::size_t i = 0; i < seg.asns.size(); i += 255) {
      auto n = std::min<std::size_t>(255, seg.asns.size() - i);
      put_u8(out, static_cast<std::uint8_t>(seg.type));
      put_u8(out, static_cast<std::uint8_t>(n));
      for (std::size_t j = i; j < i + n; ++j) {
        if (four_octet)
          put_u32(out, seg.asns[j]);
        else // RFC 6793 §4.2.2: AS_TRANS stands in for a 4-octet ASN
          put_u16(out, seg.asns[j] > 0xffff
                         ? as_trans
                         : static_cast<std::uint16_t>(seg.asns[j]));
      }
    }
  }
}

struct value_encoder {
  std::uint8_t type;
  const wire_options& opts;
  bytes& out;

  bool four_octet() const {
    return opts.four_octet_as
           || type == static_cast<std::uint8_t>(attr_type::as4_path)
           || type == static_cast<std::uint8_t>(attr_type::as4_aggregator);
  }
  void operator()(origin o) { put_u8(out, static_cast<std::uint8_t>(o)); }
  void operator()(const as_path& p) { encode_as_path(p, four_octet(), out); }
  void operator()(const net::ip_address& a) {
    out.insert(out.end(), a.bytes.begin(),
               a.bytes.begin() + static_cast<std::ptrdiff_t>(a.size()));
  }
  void operator()(std::uint32_t v) { put_u32(out, v); }
  void operator()(atomic_aggregate) {}
  void operator()(const aggregator& a) {
    if (four_octet())
      put_u32(out, a.asn);
    else
      put_u16(out,
              a.asn > 0xffff ? as_trans : static_cast<std::uint16_t>(a.asn));
    put_u32(out, a.address);
  }
  void operator()(const std::vector<std::uint32_t>& communities) {
    for (auto c : communities)
      put_u32(out, c);
  }
  void operator()(const std::vector<large_community>& communities) {
    for (const auto& c : communities) {
      put_u32(out, c.global_admin);
      put_u32(out, c.local_data1);
      put_u32(out, c.local_data2);
    }
  }
  void operator()(const mp_reach& mp) { encode_mp_reach(mp, opts, out); }
  void operator()(const mp_unreach& mp) { encode_mp_unreach(mp, opts, out); }
  void operator()(const raw_attribute& r) { put_bytes(out, r.value); }
};

} // namespace

void encode_attribute(const path_attribute& attr, const wire_options& opts,
                      bytes& out) {
  bytes value;
  std::visit(value_encoder{attr.type, opts, value}, attr.value);
  auto flags = attr.flags;
  // RFC 4271 §4.3: the Extended Length bit is needed above 255 octets; a
  // received one is kept so that re-encoding is byte exact.
  if (value.size() > 255)
    flags |= attr_flag_extended_length;
  put_u8(out, flags);
  put_u8(out, attr.type);
  if ((flags & attr_flag_extended_length) != 0)
    put_u16(out, static_cast<std::uint16_t>(value.size()));
  else
    put_u8(out, static_cast<std::uint8_t>(value.size()));
  put_bytes(out, value);
}

} // namespace porter::bgp::detail
