#include "net/ipam.hpp"

#include <utility>

namespace porter::net {

namespace {

tl::unexpected<ipam_error> fail(ipam_error_kind kind, std::string message) {
  return tl::unexpected<ipam_error>(ipam_error{kind, std::move(message)});
}

std::string join(const std::set<std::string>& owners) {
  std::string out;
  for (const auto& o : owners) {
    if (!out.empty())
      out += ';';
    out += o;
  }
  return out;
}

} // namespace

std::vector<std::string> split_owners(std::string_view value) {
  std::vector<std::string> out;
  while (!value.empty()) {
    auto semi = value.find(';');
    auto part = value.substr(0, semi);
    if (!part.empty())
      out.emplace_back(part);
    if (semi == std::string_view::npos)
      break;
    value.remove_prefix(semi + 1);
  }
  return out;
}

pool_ledger::pool_ledger(ip_range range)
    : range_(range), low_water_(range.first) {}

std::optional<ipam_error>
pool_ledger::check_owner(const std::string& owner) const {
  // Owners are Service keys "namespace/name"; ';' separates them in
  // Eip status.used (openelb.md §2.2).
  auto slash = owner.find('/');
  if (slash == 0 || slash == std::string::npos || slash + 1 == owner.size()
      || owner.find('/', slash + 1) != std::string::npos
      || owner.find(';') != std::string::npos)
    return ipam_error{ipam_error_kind::invalid,
                      "owner \"" + owner + "\" is not \"namespace/name\""};
  return std::nullopt;
}

std::optional<ipam_error>
pool_ledger::check_member(const ip_address& ip) const {
  // OpenELB assignIPFromEip: an offset outside the range is "beyond the
  // range" (openelb.md §2.4).
  if (!range_.contains(ip))
    return ipam_error{ipam_error_kind::not_in_pool, to_string(ip)
                                                      + " is outside the pool "
                                                      + to_string(range_)};
  return std::nullopt;
}

pool_ledger::result pool_ledger::add(const ip_address& ip,
                                     const std::string& owner) {
  if (auto held = address_of(owner)) {
    if (*held == ip)
      return ip;
    return fail(ipam_error_kind::conflict,
                owner + " already holds " + to_string(*held) + " in the pool "
                  + to_string(range_));
  }
  by_ip_[ip].insert(owner);
  by_owner_.emplace(owner, ip);
  if (low_water_ && *low_water_ == ip) {
    auto n = next_address(ip);
    low_water_ = n && range_.contains(*n) ? n : std::nullopt;
  }
  return ip;
}

pool_ledger::result pool_ledger::allocate_any(const std::string& owner) {
  if (auto e = check_owner(owner))
    return tl::unexpected(*e);
  if (auto held = address_of(owner))
    return *held;
  auto exhausted = [&] {
    return fail(ipam_error_kind::exhausted,
                "pool " + to_string(range_) + " is exhausted ("
                  + std::to_string(used_count()) + " of "
                  + std::to_string(size()) + " addresses in use)");
  };
  if (!low_water_)
    return exhausted();
  // First fit (§2.4): walk the allocated run that starts at the low-water
  // mark; the first gap is the lowest free address.
  auto cand = *low_water_;
  for (auto it = by_ip_.lower_bound(cand);
       it != by_ip_.end() && it->first == cand; ++it) {
    auto n = next_address(cand);
    if (!n || !range_.contains(*n)) {
      low_water_.reset();
      return exhausted();
    }
    cand = *n;
  }
  low_water_ = cand;
  return add(cand, owner);
}

pool_ledger::result pool_ledger::allocate_specific(const ip_address& ip,
                                                   const std::string& owner) {
  if (auto e = check_owner(owner))
    return tl::unexpected(*e);
  if (auto e = check_member(ip))
    return tl::unexpected(*e);
  auto it = by_ip_.find(ip);
  if (it != by_ip_.end() && it->second.count(owner) == 0)
    return fail(ipam_error_kind::conflict,
                to_string(ip) + " is already used by " + join(it->second));
  return add(ip, owner);
}

pool_ledger::result pool_ledger::share(const ip_address& ip,
                                       const std::string& owner) {
  if (auto e = check_owner(owner))
    return tl::unexpected(*e);
  if (auto e = check_member(ip))
    return tl::unexpected(*e);
  return add(ip, owner);
}

pool_ledger::result pool_ledger::restore(const ip_address& ip,
                                         const std::string& owner) {
  // The cluster is the source of truth (status.used, §2.2): what it says is
  // shared stays shared; only the range and one-address-per-owner hold.
  return share(ip, owner);
}

std::optional<ip_address> pool_ledger::release(const std::string& owner) {
  auto it = by_owner_.find(owner);
  if (it == by_owner_.end())
    return std::nullopt;
  auto ip = it->second;
  by_owner_.erase(it);
  auto slot = by_ip_.find(ip);
  slot->second.erase(owner);
  if (slot->second.empty()) {
    by_ip_.erase(slot);
    if (!low_water_ || ip < *low_water_)
      low_water_ = ip;
  }
  return ip;
}

std::vector<std::string> pool_ledger::owners_of(const ip_address& ip) const {
  auto it = by_ip_.find(ip);
  if (it == by_ip_.end())
    return {};
  return {it->second.begin(), it->second.end()};
}

std::optional<ip_address>
pool_ledger::address_of(const std::string& owner) const {
  auto it = by_owner_.find(owner);
  if (it == by_owner_.end())
    return std::nullopt;
  return it->second;
}

std::map<ip_address, std::string> pool_ledger::used() const {
  std::map<ip_address, std::string> out;
  for (const auto& [ip, owners] : by_ip_)
    out.emplace_hint(out.end(), ip, join(owners));
  return out;
}

} // namespace porter::net
