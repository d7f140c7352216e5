// Which mappings of /proc/self/smaps (proc(5)) may lose their page-table
// entries without losing data: private, read-only file mappings holding no
// private copy of a page.
#include <string>

#include <gtest/gtest.h>

#include "net/proc_maps.hpp"

namespace porter::net {
namespace {

std::string entry(const char* header, int anonymous_kb, int swap_kb = 0) {
  return std::string{header} + "\nSize:                 64 kB\n"
         + "Rss:                  64 kB\nAnonymous:            "
         + std::to_string(anonymous_kb) + " kB\nSwap:                 "
         + std::to_string(swap_kb) + " kB\nVmFlags: rd mr mw me\n";
}

TEST(ProcMaps, ReadOnlyFileMappingsWithoutPrivateCopies) {
  const std::string smaps
    // porter: rodata, code, RELRO (written before it became read-only), data
    = entry(
        "55d0a0000000-55d0a0400000 r--p 00000000 08:01 1234 /usr/bin/porter", 0)
      + entry(
        "55d0a0400000-55d0a1000000 r-xp 00400000 08:01 1234 /usr/bin/porter", 0)
      + entry(
        "55d0a1000000-55d0a1010000 r--p 01000000 08:01 1234 /usr/bin/porter",
        64)
      + entry(
        "55d0a1010000-55d0a1100000 rw-p 01010000 08:01 1234 /usr/bin/porter", 0)
      // the heap; an anonymous executable mapping (no file)
      + entry("55d0a2000000-55d0a3000000 rw-p 00000000 00:00 0   [heap]", 64)
      + entry("7f0000000000-7f0000001000 r-xp 00000000 00:00 0 ", 0)
      // a library's code with a debugger's breakpoint (a private copy)
      + entry("7f1000000000-7f1000200000 r-xp 00028000 08:01 99 /lib/libx.so",
              4)
      // a library's code, path with a dash and a space
      + entry("7f1100000000-7f1100200000 r-xp 00028000 08:01 98 /opt/my-lib "
              "dir/liby.so",
              0)
      // a page of it swapped out after being copied
      + entry("7f1200000000-7f1200001000 r--p 00000000 08:01 97 /lib/libz.so",
              0, 4)
      // shared (writes reach the file) and the kernel's pages
      + entry("7f2000000000-7f2000001000 r-xs 00000000 08:01 77 /dev/shm/x", 0)
      + entry("7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0   [vdso]", 0)
      // malformed range
      + entry("7f4000001000-7f4000000000 r-xp 00000000 08:01 5 /lib/b.so", 0);
  const std::vector<address_range> want{
    {0x55d0a0000000, 0x55d0a0400000},
    {0x55d0a0400000, 0x55d0a1000000},
    {0x7f1100000000, 0x7f1100200000},
  };
  EXPECT_EQ(droppable_file_mappings(smaps), want);
}

TEST(ProcMaps, AnEntryCutBeforeItsCountersIsNotTrusted) {
  EXPECT_TRUE(droppable_file_mappings(
                "7f1000000000-7f1000200000 r-xp 00028000 08:01 99 /lib/a.so\n"
                "Size:                 64 kB\n")
                .empty());
  EXPECT_TRUE(droppable_file_mappings("").empty());
}

} // namespace
} // namespace porter::net
