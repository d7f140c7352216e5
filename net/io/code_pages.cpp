#include "net/io/code_pages.hpp"

#include <fstream>
#include <sstream>

#include <sys/mman.h>

#include "net/proc_maps.hpp"

namespace porter::net::io {

std::size_t drop_code_page_mappings() {
  std::ifstream in{"/proc/self/smaps"};
  if (!in)
    return 0;
  std::ostringstream text;
  text << in.rdbuf();
  std::size_t bytes = 0;
  for (const auto& r : droppable_file_mappings(text.str())) {
    auto* start = reinterpret_cast<void*>(r.start);
    const std::size_t length = r.end - r.start;
    // Read-only and no private copy: the next access faults the page back
    // in from the page cache, unchanged.
    if (madvise(start, length, MADV_RANDOM) == 0
        && madvise(start, length, MADV_DONTNEED) == 0)
      bytes += length;
  }
  return bytes;
}

} // namespace porter::net::io
