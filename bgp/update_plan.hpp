// Packing porter's UPDATEs (RFC 4271 §4.3 layout, §9.2 make-before-break;
// RFC 7911 §3 path ids; RFC 4760 §3-4 MP_REACH/MP_UNREACH; RFC 8654 sizes)
// as a plan: which NLRI and which withdrawals go into which UPDATE, given
// as positions in the caller's own tables. Routes are never copied, so a
// million-route table costs a few bytes per route to plan; update_packer
// turns a plan into update_message values, update_writer into wire bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bgp/message.hpp"
#include "bgp/update_packer.hpp"

namespace porter::bgp {

/// Read-only NLRI by position in a caller's table.
class nlri_source {
public:
  virtual std::size_t size() const = 0;
  virtual const nlri& operator[](std::size_t i) const = 0;

protected:
  ~nlri_source() = default;
};

/// A std::vector<nlri> as an nlri_source.
class nlri_vector_source final : public nlri_source {
public:
  explicit nlri_vector_source(const std::vector<nlri>& v) : v_(v) {}
  std::size_t size() const override { return v_.size(); }
  const nlri& operator[](std::size_t i) const override { return v_[i]; }

private:
  const std::vector<nlri>& v_;
};

/// One UPDATE of a plan.
struct planned_update {
  static constexpr std::uint32_t no_group = 0xffffffffu;
  /// The caller's attribute group (update_planner::announce), or no_group
  /// for a withdraw-only UPDATE.
  std::uint32_t group = no_group;
  /// IPv6: NLRI in MP_REACH_NLRI, withdrawals in MP_UNREACH_NLRI.
  bool ipv6 = false;
  /// Announced NLRI: positions [first, last) of the announced source.
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  /// Withdrawals: update_planner::withdrawn_order()[first_withdrawn,
  /// last_withdrawn), themselves positions in the withdrawn source.
  std::uint32_t first_withdrawn = 0;
  std::uint32_t last_withdrawn = 0;
  /// Wire size, header included, as the peer_context encodes it.
  std::uint32_t size = 0;
};

/// Packs announcements, then withdrawals, into as few UPDATEs as the size
/// limit allows. Announcements of one group (same attributes) fill each
/// UPDATE before the next one starts. IPv4 withdrawals first fill the spare
/// room of IPv4 announcement UPDATEs, never one before the last UPDATE that
/// announces a path of the same prefix (make-before-break: a replaced node's
/// path goes away only once its successor is known). The rest, and all IPv6
/// withdrawals, follow in withdraw-only UPDATEs; MP_UNREACH_NLRI next to
/// MP_REACH_NLRI is legal (RFC 4760) but rare, and not worth a peer's bug.
class update_planner {
public:
  /// `max_size` is clamped to [min_max_size, max_extended_message_size].
  /// Both sources must outlive the planner.
  update_planner(const peer_context& ctx, std::size_t max_size,
                 const nlri_source& announced, const nlri_source& withdrawn);

  /// Room for any single withdrawal (an IPv6 /128 with path id needs 51).
  static constexpr std::size_t min_max_size = update_packer::min_max_size;

  /// Plans the announced NLRI at [first, last): one family, one set of
  /// attributes whose UPDATE without NLRI is `fixed_size` bytes. Plans
  /// nothing and returns false when even one of them would not fit into a
  /// message alone.
  bool announce(std::uint32_t group, std::size_t fixed_size, std::size_t first,
                std::size_t last);
  /// Plans every withdrawal, in source order; call once, after announce.
  void withdraw();

  const std::vector<planned_update>& updates() const { return updates_; }
  const std::vector<std::uint32_t>& withdrawn_order() const {
    return withdrawn_order_;
  }
  /// Sum of the sizes of all planned UPDATEs.
  std::size_t total_size() const;

private:
  struct placement {
    std::uint32_t update;
    std::uint32_t withdrawal;
  };

  std::size_t nlri_size_at(const nlri_source& s, std::size_t i) const;
  std::vector<std::uint32_t>
  last_announcements(const std::vector<std::uint32_t>& v4) const;
  void withdraw_into_room(const std::vector<std::uint32_t>& v4,
                          std::vector<placement>& placed,
                          std::vector<std::uint32_t>& rest);
  void withdraw_only(const std::vector<std::uint32_t>& routes, bool ipv6,
                     std::vector<placement>& placed);

  peer_context ctx_;
  std::size_t max_size_;
  const nlri_source& announced_;
  const nlri_source& withdrawn_;
  std::vector<planned_update> updates_;
  std::vector<std::uint32_t> withdrawn_order_;
};

/// A planned UPDATE as a message: `attrs` are its group's attributes (from
/// make_path_attributes; ignored for withdraw-only UPDATEs), the NLRI come
/// from the sources the plan was made with.
update_message render_update(const planned_update& u,
                             const std::vector<path_attribute>& attrs,
                             const update_planner& plan,
                             const nlri_source& announced,
                             const nlri_source& withdrawn);

} // namespace porter::bgp
