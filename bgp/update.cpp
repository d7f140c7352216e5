// UPDATE message body (RFC 4271 §4.3) and its error handling: RFC 4271 §6.3
// names the error, RFC 7606 §2-5 decides whether it costs the session, the
// routes (treat-as-withdraw) or only the attribute (attribute discard).
#include <array>

#include "bgp/detail/wire.hpp"

namespace porter::bgp::detail {

namespace {

using seen_types = std::array<bool, 256>;

tl::unexpected<notification> reset(std::uint8_t subcode) {
  return tl::unexpected<notification>(update_error(subcode));
}

/// Reads flags, type, length and value; false when they overrun `r`.
bool read_attribute(byte_reader& r, std::uint8_t& flags, std::uint8_t& type,
                    byte_reader& value, byte_reader& whole) {
  const std::uint8_t* start = r.position();
  std::uint16_t length = 0;
  std::uint8_t short_length = 0;
  if (!r.u8(flags) || !r.u8(type))
    return false;
  if ((flags & attr_flag_extended_length) != 0) {
    if (!r.u16(length))
      return false;
  } else {
    if (!r.u8(short_length))
      return false;
    length = short_length;
  }
  if (!r.take(length, value))
    return false;
  whole = byte_reader{start, static_cast<std::size_t>(r.position() - start)};
  return true;
}

bool is_mp_attribute(std::uint8_t type) {
  return type == static_cast<std::uint8_t>(attr_type::mp_reach_nlri)
         || type == static_cast<std::uint8_t>(attr_type::mp_unreach_nlri);
}

tl::expected<void, notification>
decode_attributes(byte_reader r, const wire_options& opts, update_message& u,
                  update_errors& errors, seen_types& seen) {
  while (!r.empty()) {
    std::uint8_t flags = 0;
    std::uint8_t type = 0;
    byte_reader value;
    byte_reader whole;
    // RFC 7606 §4 would treat-as-withdraw, but the unparsed rest may hold
    // MP_REACH_NLRI, whose NLRI cannot then be withdrawn: RFC 7606 §5.3
    // says to fall back to session reset in that case.
    if (!read_attribute(r, flags, type, value, whole))
      return reset(update_subcode::malformed_attribute_list);
    if (seen[type]) {
      // RFC 7606 §3(g): MP_REACH_NLRI or MP_UNREACH_NLRI more than once is
      // a Malformed Attribute List (session reset).
      if (is_mp_attribute(type))
        return reset(update_subcode::malformed_attribute_list);
      // RFC 7606 §3(g): other repeated attributes are discarded, all but
      // the first.
      errors.add(severity::attribute_discard,
                 update_error(update_subcode::malformed_attribute_list));
      continue;
    }
    seen[type] = true;
    auto attr = decode_attribute(flags, type, value, whole, opts);
    if (!attr) {
      if (attr.error().level == severity::session_reset)
        return tl::unexpected(std::move(attr.error().cause));
      errors.add(attr.error().level, std::move(attr.error().cause));
      continue;
    }
    u.attributes.push_back(std::move(*attr));
  }
  return {};
}

bool has_mp_nlri(const update_message& u) {
  for (const auto& a : u.attributes)
    if (const auto* mp = std::get_if<mp_reach>(&a.value); mp != nullptr)
      if (!mp->announced.empty())
        return true;
  return false;
}

void check_mandatory(const update_message& u, const seen_types& seen,
                     update_errors& errors) {
  bool ipv4_nlri = !u.announced.empty();
  if (!ipv4_nlri && !has_mp_nlri(u))
    return;
  // RFC 4271 §6.3 / RFC 7606 §3(d): a missing well-known mandatory
  // attribute is treat-as-withdraw; Data is its type code. NEXT_HOP is
  // needed only for NLRI in the NLRI field (RFC 4760 §3).
  std::vector<attr_type> required{attr_type::origin, attr_type::as_path};
  if (ipv4_nlri)
    required.push_back(attr_type::next_hop);
  for (auto t : required) {
    auto code = static_cast<std::uint8_t>(t);
    if (!seen[code])
      errors.add(
        severity::treat_as_withdraw,
        update_error(update_subcode::missing_wellknown_attribute, bytes{code}));
  }
}

update_error_action to_action(severity s) {
  switch (s) {
    case severity::attribute_discard:
      return update_error_action::attribute_discard;
    case severity::treat_as_withdraw:
      return update_error_action::treat_as_withdraw;
    default:
      return update_error_action::none;
  }
}

} // namespace

tl::expected<decode_result, notification>
decode_update(byte_reader body, const wire_options& opts) {
  std::uint16_t withdrawn_length = 0;
  std::uint16_t attributes_length = 0;
  byte_reader withdrawn;
  byte_reader attributes;
  // RFC 4271 §6.3: Withdrawn Routes Length or Total Attribute Length too
  // large for the message is a Malformed Attribute List.
  if (!body.u16(withdrawn_length) || !body.take(withdrawn_length, withdrawn)
      || !body.u16(attributes_length)
      || !body.take(attributes_length, attributes))
    return reset(update_subcode::malformed_attribute_list);
  update_message u;
  bool add_path = opts.has_add_path(ipv4_unicast);
  // RFC 7606 §5.3: a syntactically incorrect Withdrawn Routes field is a
  // session reset (RFC 4271 §6.3: Invalid Network Field).
  if (!decode_prefixes(withdrawn, ipv4_unicast, add_path, u.withdrawn))
    return reset(update_subcode::invalid_network_field);
  update_errors errors;
  seen_types seen{};
  if (auto ok = decode_attributes(attributes, opts, u, errors, seen); !ok)
    return tl::unexpected(std::move(ok.error()));
  // RFC 7606 §5.3: likewise for the NLRI field.
  if (!decode_prefixes(body, ipv4_unicast, add_path, u.announced))
    return reset(update_subcode::invalid_network_field);
  check_mandatory(u, seen, errors);
  decode_result result{std::move(u), to_action(errors.level),
                       std::move(errors.cause)};
  return result;
}

void encode_update(const update_message& u, const wire_options& opts,
                   bytes& out) {
  bool add_path = opts.has_add_path(ipv4_unicast);
  auto at = out.size();
  put_u16(out, 0);
  encode_prefixes(u.withdrawn, add_path, out);
  patch_u16(out, at, static_cast<std::uint16_t>(out.size() - at - 2));
  at = out.size();
  put_u16(out, 0);
  for (const auto& attr : u.attributes)
    encode_attribute(attr, opts, out);
  patch_u16(out, at, static_cast<std::uint16_t>(out.size() - at - 2));
  encode_prefixes(u.announced, add_path, out);
}

} // namespace porter::bgp::detail
