// Splits a watch response body into event lines (k8s-api.md §1.4): the
// apiserver ends every event with '\n', but chunk boundaries are not event
// boundaries, so bytes are buffered until the newline arrives. Tolerates
// "\r\n" and skips empty lines; at the end of the body a non-empty remainder
// is one last line (servers always end events with '\n'; Go clients parse a
// final unterminated object anyway). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porter::k8s {

class line_splitter {
public:
  /// Appends `bytes` and returns the lines they complete, without the
  /// newline (and without a '\r' before it). Linear in the bytes fed.
  std::vector<std::string> feed(std::string_view bytes);
  /// End of the body: the non-empty unterminated remainder, if any.
  std::optional<std::string> finish();
  /// Bytes held back, waiting for their newline.
  std::size_t buffered() const { return partial_.size(); }

private:
  std::string partial_;
};

} // namespace porter::k8s
