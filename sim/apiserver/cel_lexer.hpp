// Tokens of the CEL subset (cel-spec langdef.md "Lexical structure"):
// identifiers, int/uint/double/string literals, operators and punctuation,
// `//` comments. Bytes literals are refused with a clear error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/apiserver/cel_ast.hpp"

namespace porter::sim::cel {

enum class token_kind {
  end,
  ident,
  int_lit, // magnitude in `u`: a leading '-' may make 2^63 fit (int64 min)
  uint_lit,
  double_lit,
  string_lit,
  punct, // text in `text`: "==", "&&", "(", ...
};

struct token {
  token_kind kind = token_kind::end;
  std::string text{};
  std::uint64_t u = 0;
  double d = 0;
  std::size_t pos = 0;
};

class lexer {
public:
  explicit lexer(std::string_view src) : src_(src) {}
  /// The next token, or a syntax error at its position.
  tl::expected<token, parse_error> next();

private:
  void skip_space();
  tl::expected<token, parse_error> number();
  tl::expected<token, parse_error> string_literal(bool raw);
  tl::expected<void, parse_error> escape(std::string& out);

  std::string_view src_;
  std::size_t pos_ = 0;
};

} // namespace porter::sim::cel
