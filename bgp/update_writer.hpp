// Encodes planned UPDATEs (update_plan.hpp) straight into a send buffer,
// byte for byte what encode_message writes for the same update_message
// (RFC 4271 §4.3 layout, RFC 4760 §3-4 MP attributes, RFC 7911 §3 path
// ids). The attributes of a group are encoded once, by the codec; per
// UPDATE only the header, two or three lengths and the NLRI are written.
#pragma once

#include <cstddef>
#include <vector>

#include "bgp/codec.hpp"
#include "bgp/message.hpp"
#include "bgp/update_plan.hpp"

namespace porter::bgp {

class update_writer {
public:
  /// `opts` must say what the planner's peer_context says (4-octet AS,
  /// ADD-PATH send per family), as wire_options of the same session do.
  explicit update_writer(const wire_options& opts);

  /// Registers the attributes of the next group id (0, 1, ...), as
  /// make_path_attributes builds them: MP_REACH_NLRI, if any, with the
  /// extended-length flag, so that NLRI never change its length's width.
  void add_group(const std::vector<path_attribute>& attrs);

  /// Appends `u` to `out`.
  void write(const planned_update& u, const update_planner& plan,
             const nlri_source& announced, const nlri_source& withdrawn,
             bytes& out) const;

private:
  /// An UPDATE without NLRI as the codec encodes it, and where NLRI go.
  struct update_template {
    bytes wire;
    /// IPv4 layout: 0. Otherwise the offset of the MP attribute's 2-byte
    /// length; its NLRI go at `splice`, the end of its value.
    std::size_t mp_length_at = 0;
    std::size_t splice = 0;
  };

  update_template make_template(const update_message& u) const;

  wire_options opts_;
  bool add_path_v4_;
  bool add_path_v6_;
  std::vector<update_template> groups_;
  update_template withdraw_v4_;
  update_template withdraw_v6_;
};

} // namespace porter::bgp
