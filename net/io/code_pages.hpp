// File pages the process no longer needs mapped. When a page of a shared
// library or of porter is first touched, the kernel maps up to 64 KB around
// it ("fault-around"), and start-up touches much that never runs again: the
// agent's idle resident set was 15 MB of such file pages around 2 MB of its
// own memory. Once the agent is up it drops the page-table entries of its
// read-only file mappings (MADV_DONTNEED; the pages stay in the page cache,
// shared with every other process), so only what it keeps using is mapped
// again. MADV_RANDOM asks for no read-ahead on those faults.
#pragma once

#include <cstddef>

namespace porter::net::io {

/// Bytes of mappings handled; 0 when /proc/self/smaps is unreadable.
std::size_t drop_code_page_mappings();

} // namespace porter::net::io
