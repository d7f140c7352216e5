// Aligned plain-text tables for `porter sim` output (and, later, `porter
// inspect`): a header and rows of cells, each column as wide as its widest
// cell, two spaces between columns, no trailing blanks. Pure.
#pragma once

#include <string>
#include <vector>

namespace porter::sim {

using text_row = std::vector<std::string>;

/// Rows shorter than the header are padded with empty cells.
std::string render_table(const text_row& header,
                         const std::vector<text_row>& rows);

} // namespace porter::sim
