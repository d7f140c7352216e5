#include "sim/apiserver/registry.hpp"

#include <algorithm>
#include <tuple>

namespace porter::sim {

namespace {

// "v1beta2" -> {major 1, stability 1 (beta), minor 2}; stability 3 = GA.
struct kube_version {
  bool valid = false;
  int major = 0;
  int stability = 0;
  int minor = 0;
};

int read_number(std::string_view s, std::size_t& pos) {
  int n = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && n < 100000)
    n = n * 10 + (s[pos++] - '0');
  return n;
}

kube_version parse_version(std::string_view s) {
  kube_version v;
  if (s.size() < 2 || s[0] != 'v' || s[1] < '1' || s[1] > '9')
    return v;
  std::size_t pos = 1;
  v.major = read_number(s, pos);
  if (pos == s.size()) {
    v.stability = 3;
    v.valid = true;
    return v;
  }
  std::string_view rest = s.substr(pos);
  if (rest.substr(0, 4) == "beta") {
    v.stability = 2;
    pos += 4;
  } else if (rest.substr(0, 5) == "alpha") {
    v.stability = 1;
    pos += 5;
  } else {
    return v;
  }
  if (pos == s.size() || s[pos] < '1' || s[pos] > '9')
    return v;
  v.minor = read_number(s, pos);
  v.valid = pos == s.size();
  return v;
}

} // namespace

int compare_kube_versions(std::string_view a, std::string_view b) {
  auto va = parse_version(a);
  auto vb = parse_version(b);
  if (va.valid != vb.valid)
    return va.valid ? -1 : 1;
  if (!va.valid)
    return a.compare(b);
  auto ka = std::make_tuple(va.stability, va.major, va.minor);
  auto kb = std::make_tuple(vb.stability, vb.major, vb.minor);
  if (ka == kb)
    return 0;
  return ka > kb ? -1 : 1;
}

void registry::add(resource_info info) {
  auto ptr = std::make_shared<const resource_info>(std::move(info));
  for (auto& existing : infos_) {
    if (existing->group == ptr->group && existing->version == ptr->version
        && existing->resource == ptr->resource) {
      existing = ptr;
      return;
    }
  }
  infos_.push_back(std::move(ptr));
}

void registry::remove(std::string_view group, std::string_view resource) {
  infos_.erase(std::remove_if(infos_.begin(), infos_.end(),
                              [&](const resource_ptr& r) {
                                return r->group == group
                                       && r->resource == resource;
                              }),
               infos_.end());
}

resource_ptr registry::find(std::string_view group, std::string_view version,
                            std::string_view resource) const {
  for (const auto& r : infos_)
    if (r->group == group && r->version == version && r->resource == resource)
      return r;
  return nullptr;
}

resource_ptr registry::find_any(std::string_view group,
                                std::string_view resource) const {
  for (const auto& r : infos_)
    if (r->group == group && r->resource == resource)
      return r;
  return nullptr;
}

std::vector<registry::group_versions> registry::groups() const {
  std::vector<group_versions> out;
  for (const auto& r : infos_) {
    if (r->group.empty())
      continue;
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const auto& g) { return g.group == r->group; });
    if (it == out.end()) {
      out.push_back({r->group, {}});
      it = out.end() - 1;
    }
    if (std::find(it->versions.begin(), it->versions.end(), r->version)
        == it->versions.end())
      it->versions.push_back(r->version);
  }
  for (auto& g : out)
    std::sort(g.versions.begin(), g.versions.end(),
              [](const std::string& a, const std::string& b) {
                return compare_kube_versions(a, b) < 0;
              });
  return out;
}

std::vector<resource_ptr> registry::resources(std::string_view group,
                                              std::string_view version) const {
  std::vector<resource_ptr> out;
  for (const auto& r : infos_)
    if (r->group == group && r->version == version)
      out.push_back(r);
  return out;
}

} // namespace porter::sim
