// The routes porter wants its peers to have (RFC 4271 §9.1 Loc-RIB, as far
// as porter originates it): per prefix a set of next hops, one per node that
// serves the EIP, and the attributes of route_attributes. Built once, then
// shared read-only by every session (an immutable snapshot), so it is stored
// compactly: a sorted vector of 24-byte entries whose next hop sets and
// attributes are interned, since thousands of EIPs share the same nodes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "bgp/update_packer.hpp"
#include "net/ip_address.hpp"

namespace porter::bgp {

/// Everything every peer should have. Next hops of the other family than the
/// prefix and unspecified next hops are ignored by adj_rib_out (no RFC 8950
/// next hops). Make one with desired_routes_builder.
class desired_routes {
public:
  /// One prefix and what it wants: an index into path_sets().
  struct entry {
    net::prefix prefix;
    std::uint32_t path_set = 0;
  };

  /// Next hops (ascending, distinct) and attributes (normalized: community
  /// lists sorted, duplicates removed) shared by many prefixes.
  struct path_set {
    std::uint32_t first_hop = 0; // into the next hop pool
    std::uint32_t hop_count = 0;
    std::uint32_t attributes = 0;
  };

  /// The next hops of one path set, as a range.
  struct hop_range {
    const net::ip_address* first = nullptr;
    const net::ip_address* last = nullptr;
    const net::ip_address* begin() const { return first; }
    const net::ip_address* end() const { return last; }
    std::size_t size() const { return static_cast<std::size_t>(last - first); }
  };

  /// Sorted by prefix, one entry per prefix.
  const std::vector<entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  /// The entry of `p`, or nullptr (binary search).
  const entry* find(const net::prefix& p) const;

  const std::vector<path_set>& path_sets() const { return path_sets_; }
  hop_range next_hops(std::uint32_t path_set) const;
  const route_attributes& attributes(std::uint32_t path_set) const {
    return attributes_[path_sets_[path_set].attributes];
  }

  /// RFC 2545 §3: the link-local address that goes with a global IPv6 next
  /// hop, for peers on the same link (then the next hop field is 32 bytes).
  const std::map<net::ip_address, net::ip_address>& link_local() const {
    return link_local_;
  }

private:
  friend class desired_routes_builder;

  std::vector<entry> entries_;
  std::vector<path_set> path_sets_;
  std::vector<net::ip_address> hops_;
  std::vector<route_attributes> attributes_;
  std::map<net::ip_address, net::ip_address> link_local_;
};

/// Builds a desired_routes, from nothing or as an edit of an existing one.
/// Adding is an append (no per-route allocation, no tree): finish() sorts
/// what was added, merges it into the base and lets the last word on each
/// prefix win, so a million-route range costs one sort of a flat vector.
class desired_routes_builder {
public:
  desired_routes_builder() = default;
  /// Starts from a copy of `base`: its routes stay unless replaced/removed.
  explicit desired_routes_builder(const desired_routes& base);

  /// The id of (next hops, attributes) for add(): equal inputs (as sets)
  /// get equal ids, so a range of routes shares one path set.
  std::uint32_t intern(std::vector<net::ip_address> next_hops,
                       route_attributes attrs = {});
  /// Sets what `p` wants, replacing anything added or inherited before.
  void add(const net::prefix& p, std::uint32_t path_set);
  void add(const net::prefix& p, std::vector<net::ip_address> next_hops,
           route_attributes attrs = {});
  void remove(const net::prefix& p);
  /// Removes every route (path sets and link-local addresses stay).
  void clear();
  /// Room for `routes` more add() or remove() calls without reallocation.
  void reserve(std::size_t routes);
  void set_link_local(const net::ip_address& global,
                      const net::ip_address& link_local);

  /// The table; the builder is left empty.
  desired_routes finish();

private:
  static constexpr std::uint32_t removed = 0xffffffffu;
  using path_set_key = std::pair<std::vector<net::ip_address>, std::uint32_t>;

  void merge_added();
  void drop_unused_path_sets();

  desired_routes table_;
  /// table_.entries_[0, sorted_) are sorted and distinct (from the base);
  /// the rest were added in call order and may repeat prefixes.
  std::size_t sorted_ = 0;
  std::map<path_set_key, std::uint32_t> path_set_ids_;
  std::map<route_attributes, std::uint32_t> attribute_ids_;
};

} // namespace porter::bgp
