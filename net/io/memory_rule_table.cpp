#include "net/io/memory_rule_table.hpp"

#include <algorithm>

namespace porter::net::io {

namespace {

/// Removes one copy of `x` (the kernel deletes the first match); false if
/// there was none.
template <class T>
bool erase_one(std::vector<T>& v, const T& x) {
  auto it = std::find(v.begin(), v.end(), x);
  if (it == v.end())
    return false;
  v.erase(it);
  return true;
}

} // namespace

tl::expected<kernel_view, std::string> memory_rule_table::read() {
  std::lock_guard lock{mutex_};
  if (failure_)
    return tl::unexpected{*failure_};
  return porters_;
}

apply_report memory_rule_table::apply(const rule_changes& c) {
  std::lock_guard lock{mutex_};
  apply_report report;
  auto refuse = [&](const std::string& what) {
    report.errors.push_back(what + ": " + *failure_);
  };
  for (const auto& r : c.add_routes) {
    if (failure_) {
      refuse("add " + to_string(r));
      continue;
    }
    // "ip route replace": at most one local default route per table.
    if (std::find(porters_.routes.begin(), porters_.routes.end(), r)
        == porters_.routes.end())
      porters_.routes.push_back(r);
    ++report.applied;
  }
  for (const auto& r : c.add_rules) {
    if (failure_) {
      refuse("add " + to_string(r));
      continue;
    }
    porters_.rules.push_back(r); // rules may repeat, as in the kernel
    ++report.applied;
  }
  for (const auto& r : c.remove_rules) {
    if (failure_) {
      refuse("remove " + to_string(r));
      continue;
    }
    erase_one(porters_.rules, r);
    ++report.applied;
  }
  for (const auto& r : c.remove_routes) {
    if (failure_) {
      refuse("remove " + to_string(r));
      continue;
    }
    erase_one(porters_.routes, r);
    ++report.applied;
  }
  changes_applied_ += report.applied;
  return report;
}

void memory_rule_table::add_foreign_rule(const eip_rule& r) {
  std::lock_guard lock{mutex_};
  foreign_.push_back(r);
}

void memory_rule_table::drop_rule(const eip_rule& r) {
  std::lock_guard lock{mutex_};
  erase_one(porters_.rules, r);
}

void memory_rule_table::set_failure(std::optional<std::string> why) {
  std::lock_guard lock{mutex_};
  failure_ = std::move(why);
}

bool memory_rule_table::diverts(const ip_address& dst) const {
  std::lock_guard lock{mutex_};
  auto routed = [&](const eip_rule& r) {
    return r.to == dst
           && std::find(porters_.routes.begin(), porters_.routes.end(),
                        local_route{dst.fam, r.table})
                != porters_.routes.end();
  };
  return std::any_of(porters_.rules.begin(), porters_.rules.end(), routed)
         || std::any_of(foreign_.begin(), foreign_.end(), routed);
}

kernel_view memory_rule_table::contents() const {
  std::lock_guard lock{mutex_};
  return porters_;
}

std::size_t memory_rule_table::changes_applied() const {
  std::lock_guard lock{mutex_};
  return changes_applied_;
}

} // namespace porter::net::io
