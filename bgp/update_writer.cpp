#include "bgp/update_writer.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace porter::bgp {

namespace {

// RFC 4271 §4.1 / §4.3 offsets: Length in the header, then the Withdrawn
// Routes Length and (with no withdrawn routes) the Total Path Attribute
// Length.
constexpr std::size_t length_at = 16;
constexpr std::size_t withdrawn_length_at = header_size;
constexpr std::size_t attributes_length_at = header_size + 2;

std::size_t get_u16(const std::uint8_t* p) {
  return static_cast<std::size_t>(p[0]) << 8 | p[1];
}

void set_u16(std::uint8_t* p, std::size_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

std::size_t prefix_octets(const nlri& n) {
  return std::min<std::size_t>((n.prefix.length + 7u) / 8u,
                               n.prefix.addr.size());
}

// RFC 4271 §4.3 / RFC 7911 §3: [Path Identifier] Length Prefix.
std::uint8_t* put_nlri(std::uint8_t* p, const nlri& n, bool add_path) {
  if (add_path) {
    p[0] = static_cast<std::uint8_t>(n.path_id >> 24);
    p[1] = static_cast<std::uint8_t>(n.path_id >> 16);
    p[2] = static_cast<std::uint8_t>(n.path_id >> 8);
    p[3] = static_cast<std::uint8_t>(n.path_id);
    p += 4;
  }
  *p++ = n.prefix.length;
  auto octets = prefix_octets(n);
  std::memcpy(p, n.prefix.addr.bytes.data(), octets);
  return p + octets;
}

/// The NLRI of one UPDATE: `at(k)` for k in [first, last).
template <class At>
struct nlri_list {
  std::size_t first;
  std::size_t last;
  At at;
  bool add_path;

  std::size_t size() const {
    std::size_t size = 0;
    for (auto k = first; k < last; ++k) {
      size += (add_path ? 5 : 1) + prefix_octets(at(k));
    }
    return size;
  }
  std::uint8_t* put(std::uint8_t* p) const {
    for (auto k = first; k < last; ++k) {
      p = put_nlri(p, at(k), add_path);
    }
    return p;
  }
};

template <class At>
nlri_list<At> make_list(std::size_t first, std::size_t last, At at,
                        bool add_path) {
  return {first, last, at, add_path};
}

std::uint8_t* copy(std::uint8_t* p, const bytes& b, std::size_t from,
                   std::size_t to) {
  std::memcpy(p, b.data() + from, to - from);
  return p + (to - from);
}

/// IPv4: Withdrawn Routes before the attributes, NLRI after them.
template <class Gone, class Added>
void write_ipv4(const bytes& t, const Gone& gone, const Added& added,
                bytes& out) {
  auto start = out.size();
  auto w = gone.size();
  auto total = t.size() + w + added.size();
  out.resize(start + total);
  auto* base = out.data() + start;
  auto* p = copy(base, t, 0, withdrawn_length_at);
  set_u16(base + length_at, total);
  set_u16(p, w);
  p = gone.put(p + 2);
  p = copy(p, t, attributes_length_at, t.size());
  p = added.put(p);
  assert(p == out.data() + out.size());
}

/// IPv6: the NLRI go inside the MP attribute, whose length and the Total
/// Path Attribute Length grow by as much.
template <class List>
void write_mp(const bytes& t, std::size_t mp_length_at, std::size_t splice,
              const List& list, bytes& out) {
  auto start = out.size();
  auto size = list.size();
  out.resize(start + t.size() + size);
  auto* base = out.data() + start;
  auto* p = copy(base, t, 0, splice);
  set_u16(base + length_at, t.size() + size);
  set_u16(base + attributes_length_at,
          get_u16(&t[attributes_length_at]) + size);
  set_u16(base + mp_length_at, get_u16(&t[mp_length_at]) + size);
  p = list.put(p);
  p = copy(p, t, splice, t.size());
  assert(p == out.data() + out.size());
}

} // namespace

update_writer::update_writer(const wire_options& opts)
    : opts_(opts),
      add_path_v4_(opts.has_add_path(ipv4_unicast)),
      add_path_v6_(opts.has_add_path(ipv6_unicast)),
      withdraw_v4_(make_template(make_withdraw_update(false))),
      withdraw_v6_(make_template(make_withdraw_update(true))) {}

void update_writer::add_group(const std::vector<path_attribute>& attrs) {
  groups_.push_back(make_template(update_message{{}, attrs, {}}));
}

update_writer::update_template
update_writer::make_template(const update_message& u) const {
  update_template t;
  t.wire = encode_message(message{u}, opts_);
  t.splice = t.wire.size();
  // Walk the attributes the codec wrote to find MP_(UN)REACH_NLRI.
  auto i = attributes_length_at + 2;
  while (i + 3 <= t.wire.size()) {
    auto flags = t.wire[i];
    auto type = static_cast<attr_type>(t.wire[i + 1]);
    bool extended = (flags & attr_flag_extended_length) != 0;
    auto length = extended ? get_u16(&t.wire[i + 2]) : t.wire[i + 2];
    std::size_t head = extended ? 4 : 3;
    if (type == attr_type::mp_reach_nlri
        || type == attr_type::mp_unreach_nlri) {
      assert(extended && "MP attributes need a 2-byte length");
      t.mp_length_at = i + 2;
      t.splice = i + head + length;
    }
    i += head + length;
  }
  return t;
}

void update_writer::write(const planned_update& u, const update_planner& plan,
                          const nlri_source& announced,
                          const nlri_source& withdrawn, bytes& out) const {
  bool announces = u.group != planned_update::no_group;
  const auto& t
    = announces ? groups_[u.group] : (u.ipv6 ? withdraw_v6_ : withdraw_v4_);
  const auto* order = plan.withdrawn_order().data();
  bool add_path = u.ipv6 ? add_path_v6_ : add_path_v4_;
  auto added = make_list(
    u.first, u.last,
    [&announced](std::size_t i) -> const nlri& { return announced[i]; },
    add_path);
  auto gone = make_list(
    u.first_withdrawn, u.last_withdrawn,
    [&withdrawn, order](std::size_t k) -> const nlri& {
      return withdrawn[order[k]];
    },
    add_path);
  if (t.mp_length_at == 0) {
    write_ipv4(t.wire, gone, added, out);
    return;
  }
  // IPv6 announcements never carry withdrawals (update_planner).
  assert(!announces || u.first_withdrawn == u.last_withdrawn);
  if (announces) {
    write_mp(t.wire, t.mp_length_at, t.splice, added, out);
  } else {
    write_mp(t.wire, t.mp_length_at, t.splice, gone, out);
  }
}

} // namespace porter::bgp
