#include "k8s/line_splitter.hpp"

namespace porter::k8s {

namespace {

void emit(std::string_view line, std::vector<std::string>& out) {
  // k8s-api.md §1.4: "Be tolerant of \r\n and empty lines."
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  if (!line.empty())
    out.emplace_back(line);
}

} // namespace

std::vector<std::string> line_splitter::feed(std::string_view bytes) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (auto nl = bytes.find('\n'); nl != std::string_view::npos;
       nl = bytes.find('\n', begin)) {
    auto piece = bytes.substr(begin, nl - begin);
    if (partial_.empty()) {
      emit(piece, out);
    } else {
      partial_.append(piece);
      emit(partial_, out);
      partial_.clear();
    }
    begin = nl + 1;
  }
  partial_.append(bytes.substr(begin));
  return out;
}

std::optional<std::string> line_splitter::finish() {
  std::vector<std::string> last;
  emit(partial_, last);
  partial_.clear();
  if (last.empty())
    return std::nullopt;
  return std::move(last.front());
}

} // namespace porter::k8s
