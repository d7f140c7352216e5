// Label selectors (apimachinery/pkg/labels/selector.go grammar: `=`, `==`,
// `!=`, `in (...)`, `notin (...)`, `key`, `!key`, `>`/`<`) and field
// selectors (`f=v`, `f==v`, `f!=v`; the apiserver supports
// metadata.name/metadata.namespace for every resource and a few more per
// resource). k8s-api.md §1.1 and §5.4 list what clients send.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace porter::sim {

using label_map = std::map<std::string, std::string, std::less<>>;

enum class selector_op {
  equals,
  not_equals,
  in,
  not_in,
  exists,
  does_not_exist,
  greater_than,
  less_than,
};

struct label_requirement {
  std::string key;
  selector_op op = selector_op::exists;
  std::vector<std::string> values;
};

class label_selector {
public:
  /// Empty text selects everything.
  static tl::expected<label_selector, std::string> parse(std::string_view text);
  bool matches(const label_map& labels) const;
  bool empty() const { return reqs_.empty(); }
  const std::vector<label_requirement>& requirements() const { return reqs_; }

private:
  std::vector<label_requirement> reqs_;
};

struct field_requirement {
  std::string field;
  bool negate = false;
  std::string value;
};

class field_selector {
public:
  using getter = std::function<std::optional<std::string>(std::string_view)>;

  static tl::expected<field_selector, std::string> parse(std::string_view text);
  /// `get(field)` returns the object's value for a field (nullopt: absent,
  /// compared as "").
  bool matches(const getter& get) const;
  bool empty() const { return reqs_.empty(); }
  const std::vector<field_requirement>& requirements() const { return reqs_; }
  /// The value required by `field=value`, if the selector has one.
  std::optional<std::string> exact(std::string_view field) const;

private:
  std::vector<field_requirement> reqs_;
};

} // namespace porter::sim
