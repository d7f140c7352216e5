// The file mappings of a process whose pages can be unmapped without losing
// anything, from /proc/<pid>/smaps (proc(5)): the agent drops their
// page-table entries once it is up, so that its resident set holds only the
// code and read-only data it keeps using (net/io/code_pages.hpp). Pure: the
// caller reads the file.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace porter::net {

struct address_range {
  std::uintptr_t start = 0;
  std::uintptr_t end = 0; ///< exclusive

  friend bool operator==(const address_range& a, const address_range& b) {
    return a.start == b.start && a.end == b.end;
  }
};

/// Private, read-only mappings of a file ("r--p", "r-xp" with a path) that
/// hold no private copy of a page ("Anonymous: 0 kB", "Swap: 0 kB"): their
/// contents are the file's, so a dropped page comes back unchanged. RELRO
/// (written, then made read-only) and a debugger's breakpoints are private
/// copies and keep their mapping. Malformed entries are skipped.
std::vector<address_range> droppable_file_mappings(std::string_view smaps);

} // namespace porter::net
