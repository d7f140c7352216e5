#include "sim/scenario/text_table.hpp"

#include <algorithm>

namespace porter::sim {

namespace {

/// Display width: UTF-8 continuation bytes take no column.
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
    s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

} // namespace

std::string render_table(const text_row& header,
                         const std::vector<text_row>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const text_row& r) {
    for (std::size_t i = 0; i < r.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], width(r[i]));
  };
  measure(header);
  for (const auto& r : rows)
    measure(r);
  std::string out;
  auto line = [&](const text_row& r) {
    std::string l;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < r.size() ? r[i] : std::string{};
      l += cell;
      if (i + 1 < widths.size())
        l += std::string(widths[i] - width(cell) + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ')
      l.pop_back();
    out += l + "\n";
  };
  line(header);
  for (const auto& r : rows)
    line(r);
  return out;
}

} // namespace porter::sim
