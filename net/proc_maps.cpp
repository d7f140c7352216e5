#include "net/proc_maps.hpp"

#include <charconv>
#include <optional>

namespace porter::net {

namespace {

bool parse_hex(std::string_view text, std::uintptr_t& out) {
  if (text.empty())
    return false;
  auto [end, ec]
    = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return ec == std::errc{} && end == text.data() + text.size();
}

/// The next space-separated field of `line`, consumed.
std::string_view field(std::string_view& line) {
  while (!line.empty() && line.front() == ' ')
    line.remove_prefix(1);
  const auto end = line.find(' ');
  auto out = line.substr(0, end);
  line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  return out;
}

/// A mapping's header line: "start-end perms offset dev inode path".
/// Its range when it is a private read-only mapping of a file.
std::optional<address_range> candidate(std::string_view line) {
  const auto range = field(line);
  const auto perms = field(line);
  field(line); // offset
  field(line); // dev
  const auto inode = field(line);
  const auto path = field(line);
  const auto dash = range.find('-');
  address_range r;
  if (dash == std::string_view::npos
      || !parse_hex(range.substr(0, dash), r.start)
      || !parse_hex(range.substr(dash + 1), r.end) || r.end <= r.start)
    return std::nullopt;
  const bool read_only_private = perms == "r--p" || perms == "r-xp";
  // A file: not [vdso], [heap] or anonymous memory (no inode, no path).
  const bool file
    = !inode.empty() && inode != "0" && !path.empty() && path.front() == '/';
  if (!read_only_private || !file)
    return std::nullopt;
  return r;
}

/// "Anonymous:   12 kB" → 12; nullopt for other lines.
std::optional<std::uint64_t> kb_of(std::string_view line,
                                   std::string_view key) {
  if (line.substr(0, key.size()) != key)
    return std::nullopt;
  line.remove_prefix(key.size());
  const auto value = field(line);
  std::uint64_t kb = 0;
  auto [end, ec]
    = std::from_chars(value.data(), value.data() + value.size(), kb);
  if (ec != std::errc{} || end != value.data() + value.size())
    return std::nullopt;
  return kb;
}

} // namespace

std::vector<address_range> droppable_file_mappings(std::string_view smaps) {
  std::vector<address_range> out;
  std::optional<address_range> current;
  bool anonymous_seen = false;
  bool private_copies = false;
  auto finish = [&] {
    // Both counters must have been read: a truncated entry is not trusted.
    if (current && anonymous_seen && !private_copies)
      out.push_back(*current);
    current.reset();
  };
  while (!smaps.empty()) {
    const auto eol = smaps.find('\n');
    const auto line = smaps.substr(0, eol);
    smaps.remove_prefix(eol == std::string_view::npos ? smaps.size() : eol + 1);
    // "start-end perms ..." opens an entry; "Key: value" lines follow.
    const auto first = line.substr(0, line.find(' '));
    const bool header = !first.empty() && first.back() != ':'
                        && first.find('-') != std::string_view::npos;
    if (header) {
      finish();
      current = candidate(line);
      anonymous_seen = private_copies = false;
      continue;
    }
    if (auto kb = kb_of(line, "Anonymous:")) {
      anonymous_seen = true;
      private_copies = private_copies || *kb != 0;
    } else if (auto swapped = kb_of(line, "Swap:")) {
      private_copies = private_copies || *swapped != 0;
    }
  }
  finish();
  return out;
}

} // namespace porter::net
