#include "k8s/selector_text.hpp"

#include <algorithm>
#include <cctype>

namespace porter::k8s {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

/// RFC 1123 label-ish keys with an optional DNS prefix ("a.b/c"); values
/// may be empty. Checked loosely: what the API server would refuse is
/// refused here too, the finer rules are its business.
bool plausible(std::string_view word, bool is_key) {
  if (is_key && word.empty())
    return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'
           || c == '_' || c == '.' || c == '/';
  });
}

} // namespace

tl::expected<label_selector, std::string>
parse_label_selector(std::string_view text) {
  label_selector sel;
  std::size_t from = 0;
  while (from <= text.size()) {
    const auto comma = text.find(',', from);
    const auto term = trim(text.substr(from, comma == std::string_view::npos
                                               ? std::string_view::npos
                                               : comma - from));
    from = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (term.empty()) {
      if (text.empty())
        break;
      return tl::make_unexpected("empty term in label selector '"
                                 + std::string{text} + "'");
    }
    auto bad = [&] {
      return tl::make_unexpected("bad label selector term '" + std::string{term}
                                 + "'");
    };
    if (term.find(" in ") != std::string_view::npos
        || term.find('(') != std::string_view::npos)
      return tl::make_unexpected("set-based term '" + std::string{term}
                                 + "' is not supported; use k=v, k!=v, k, !k");
    if (const auto ne = term.find("!="); ne != std::string_view::npos) {
      auto key = trim(term.substr(0, ne));
      auto value = trim(term.substr(ne + 2));
      if (!plausible(key, true) || !plausible(value, false))
        return bad();
      sel.match_expressions.push_back(
        {std::string{key}, "NotIn", {std::string{value}}});
    } else if (const auto eq = term.find('='); eq != std::string_view::npos) {
      auto key = trim(term.substr(0, eq));
      auto rest = term.substr(eq + 1);
      if (!rest.empty() && rest.front() == '=')
        rest.remove_prefix(1);
      auto value = trim(rest);
      if (!plausible(key, true) || !plausible(value, false))
        return bad();
      sel.match_labels.emplace_back(std::string{key}, std::string{value});
    } else if (term.front() == '!') {
      auto key = trim(term.substr(1));
      if (!plausible(key, true))
        return bad();
      sel.match_expressions.push_back({std::string{key}, "DoesNotExist", {}});
    } else {
      if (!plausible(term, true))
        return bad();
      sel.match_expressions.push_back({std::string{term}, "Exists", {}});
    }
  }
  std::sort(sel.match_labels.begin(), sel.match_labels.end());
  return sel;
}

} // namespace porter::k8s
