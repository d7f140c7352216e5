// One EIP pool's allocation ledger: which address each Service ("ns/name")
// holds. Semantics of OpenELB's `assignIPFromEip` (openelb.md §2.4): first-fit
// from the first address, network address of a CIDR included; an owner
// asking again gets the address it already has; `status.used` maps
// ip → "ns/a;ns/b" and `usage` counts distinct addresses (§2.2). Unlike
// OpenELB, a taken address is shared only through an explicit `share`.
// Only allocated addresses are stored, so a /64 costs nothing. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "net/ip_address.hpp"
#include "net/ip_range.hpp"

namespace porter::net {

enum class ipam_error_kind : std::uint8_t {
  exhausted,   ///< no free address left in the pool
  not_in_pool, ///< the address lies outside the pool's range
  conflict,    ///< taken by another owner, or the owner holds another one
  invalid,     ///< malformed owner
};

/// A one-line, user-facing reason (used in Events and conditions).
struct ipam_error {
  ipam_error_kind kind;
  std::string message;
};

/// Splits an Eip `status.used` value "ns/a;ns/b" into owners (empty parts
/// are skipped; OpenELB joins with ';', openelb.md §2.2).
std::vector<std::string> split_owners(std::string_view value);

/// The allocations of one pool. Every owner holds at most one address here
/// (OpenELB: exactly one ingress IP per Service, §2.4).
class pool_ledger {
public:
  using result = tl::expected<ip_address, ipam_error>;

  explicit pool_ledger(ip_range range);

  const ip_range& range() const { return range_; }

  /// The owner's current address, else the lowest free one (first-fit from
  /// `range().first`, §2.4). Fails with `exhausted` when none is free.
  result allocate_any(const std::string& owner);
  /// Takes `ip` for `owner`: `not_in_pool` outside the range ("beyond the
  /// range", §2.4), `conflict` when another owner holds it or `owner`
  /// already holds a different address.
  result allocate_specific(const ip_address& ip, const std::string& owner);
  /// Adds `owner` to `ip` even when others hold it; the caller has decided
  /// that sharing is allowed (e.g. equal `lb.kubesphere.io/sharing-key`).
  result share(const ip_address& ip, const std::string& owner);
  /// Rebuilds one entry read from the cluster (Eip `status.used` or the
  /// Service's ingress). Existing co-owners are kept (the status says the IP
  /// is shared); `conflict` when `owner` already holds another address.
  result restore(const ip_address& ip, const std::string& owner);
  /// Frees the owner's address (if any); returns it. The address becomes
  /// free when its last owner leaves.
  std::optional<ip_address> release(const std::string& owner);

  /// Owners of `ip`, sorted; empty when free.
  std::vector<std::string> owners_of(const ip_address& ip) const;
  std::optional<ip_address> address_of(const std::string& owner) const;
  /// Eip `status.used`: ip → owners sorted and joined with ';'.
  std::map<ip_address, std::string> used() const;

  /// Pool size, saturated at UINT64_MAX (see `ip_range::size`).
  std::uint64_t size() const { return range_.size(); }
  /// Distinct addresses in use — OpenELB `status.usage` (§2.2).
  std::uint64_t used_count() const { return by_ip_.size(); }
  std::uint64_t free_count() const { return size() - used_count(); }
  /// OpenELB `status.occupied`: usage >= poolSize (§2.2).
  bool occupied() const { return used_count() >= size(); }

private:
  std::optional<ipam_error> check_owner(const std::string& owner) const;
  std::optional<ipam_error> check_member(const ip_address& ip) const;
  result add(const ip_address& ip, const std::string& owner);

  ip_range range_;
  std::map<ip_address, std::set<std::string>> by_ip_;
  std::map<std::string, ip_address> by_owner_;
  // Every address in [range_.first, low_water_) is in use; nullopt: all of
  // them are. Lets `allocate_any` skip the allocated prefix of the pool.
  std::optional<ip_address> low_water_;
};

} // namespace porter::net
