// libFuzzer target for the BGP framer and decoder (RFC 4271 §4, §6;
// RFC 7606). The first input byte picks the wire options and the chunk size
// fed to the framer; the rest is the TCP stream. Oracles (trap on breach):
//  (a) every failure is a valid NOTIFICATION: code 1..7, and for header,
//      OPEN and UPDATE errors a subcode the RFCs define;
//  (b) decode -> encode -> decode succeeds and re-encodes to the same bytes;
//  (c) a message decoded without an RFC 7606 action re-encodes to its size;
//  (d) capabilities and negotiation of any decoded OPEN never misbehave.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "bgp/codec.hpp"
#include "bgp/negotiation.hpp"

namespace {

using namespace porter::bgp;

void check(bool ok) {
  if (!ok)
    __builtin_trap();
}

bool one_of(std::uint8_t v, std::initializer_list<std::uint8_t> allowed) {
  for (auto a : allowed)
    if (a == v)
      return true;
  return false;
}

/// Oracle (a): codes and subcodes of RFC 4271 §4.5/§6, RFC 5492, RFC 7313,
/// RFC 9234 (deprecated subcodes excluded), with the Data RFC 4271 §6.1
/// prescribes for header errors.
void check_notification(const notification& n) {
  check(n.code >= 1 && n.code <= 7);
  switch (static_cast<error_code>(n.code)) {
    case error_code::message_header:
      check(one_of(n.subcode, {1, 2, 3}));
      check(n.subcode != 2 || n.data.size() == 2);
      check(n.subcode != 3 || n.data.size() == 1);
      break;
    case error_code::open_message:
      check(one_of(n.subcode, {0, 1, 2, 3, 4, 6, 7, 11}));
      check(n.subcode != 1 || n.data == bytes{0, 4});
      break;
    case error_code::update_message:
      check(one_of(n.subcode, {1, 2, 3, 4, 5, 6, 8, 9, 10, 11}));
      check(n.subcode != 3 || n.data.size() == 1);
      break;
    case error_code::route_refresh:
      check(n.subcode == 1);
      break;
    default:
      break;
  }
}

void check_open(const open_message& o) {
  auto caps = decode_capabilities(o);
  if (!caps) {
    check_notification(caps.error());
    return;
  }
  open_message again;
  again.parameters = encode_capabilities(*caps);
  auto back = decode_capabilities(again);
  check(back.has_value());
  check(encode_capabilities(*back) == again.parameters);
  session_config local;
  local.local_as = 65000;
  local.local_id = 1;
  local.local_caps = *caps;
  auto s = negotiate(local, o);
  if (!s)
    check_notification(s.error());
  else
    check(s->keepalive_time == s->hold_time / 3);
}

void check_message(const std::uint8_t* data, std::size_t size,
                   const wire_options& opts) {
  auto first = decode_message(data, size, opts);
  if (!first) {
    check_notification(first.error());
    return;
  }
  if (first->action != update_error_action::none) {
    check(first->cause.has_value());
    check_notification(*first->cause);
  }
  auto once = encode_message(first->msg, opts);
  check(first->action != update_error_action::none || once.size() == size);
  auto second = decode_message(once.data(), once.size(), opts);
  check(second.has_value());
  check(encode_message(second->msg, opts) == once);
  if (const auto* o = std::get_if<open_message>(&first->msg))
    check_open(*o);
  if (const auto* u = std::get_if<update_message>(&first->msg))
    (void) end_of_rib_family(*u);
  if (const auto* n = std::get_if<notification>(&first->msg)) {
    auto text = describe(*n);
    check(!text.empty());
    (void) shutdown_communication(*n);
  }
}

wire_options options_for(std::uint8_t selector) {
  wire_options opts;
  opts.four_octet_as = (selector & 0x01) != 0;
  opts.extended_message = (selector & 0x02) != 0;
  if ((selector & 0x04) != 0)
    opts.add_path.push_back(ipv4_unicast);
  if ((selector & 0x08) != 0)
    opts.add_path.push_back(ipv6_unicast);
  return opts;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0)
    return 0;
  auto opts = options_for(data[0]);
  std::size_t chunk = static_cast<std::size_t>(data[0] >> 4) * 16 + 1;
  ++data;
  --size;
  // The whole input as one message exercises decode_message's own checks.
  check_message(data, size, opts);
  framer f(opts.max_size());
  for (std::size_t at = 0; at < size; at += chunk) {
    f.feed(data + at, std::min(chunk, size - at));
    for (;;) {
      auto next = f.next();
      if (!next) {
        check_notification(next.error());
        return 0;
      }
      if (!*next)
        break;
      check_message((*next)->data(), (*next)->size(), opts);
    }
  }
  return 0;
}
