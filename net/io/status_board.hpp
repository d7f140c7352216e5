// What the admin endpoint's /debug/ pages show (issue #11 item 1): each
// actor publishes its section as a JSON document when it changes
// ("leader", "pools", "services", "bgp/peers", "bgp/routes", "rules"); the
// endpoint's thread reads the latest. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace porter::net::io {

class status_board {
public:
  void set(const std::string& section, std::string json) {
    std::lock_guard lock{mutex_};
    sections_[section] = std::move(json);
  }
  std::optional<std::string> get(const std::string& section) const {
    std::lock_guard lock{mutex_};
    auto it = sections_.find(section);
    if (it == sections_.end())
      return std::nullopt;
    return it->second;
  }
  std::vector<std::string> sections() const {
    std::lock_guard lock{mutex_};
    std::vector<std::string> out;
    for (const auto& [name, json] : sections_)
      out.push_back(name);
    return out;
  }

private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> sections_;
};

} // namespace porter::net::io
