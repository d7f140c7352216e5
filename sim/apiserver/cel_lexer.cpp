#include "sim/apiserver/cel_lexer.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <limits>

namespace porter::sim::cel {

namespace {

bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_ident_char(char c) {
  return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

tl::unexpected<parse_error> syntax(std::size_t pos, const std::string& what) {
  return tl::unexpected(parse_error{pos, "Syntax error: " + what});
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Longest first, so "<=" wins over "<".
constexpr std::string_view puncts[]
  = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/",
     "%",  "!",  "?",  ":",  ".",  ",",  "(", ")", "[", "]", "{", "}"};

} // namespace

void lexer::skip_space() {
  for (;;) {
    while (pos_ < src_.size()
           && std::isspace(static_cast<unsigned char>(src_[pos_])) != 0)
      ++pos_;
    if (src_.substr(pos_, 2) != "//")
      return;
    while (pos_ < src_.size() && src_[pos_] != '\n')
      ++pos_;
  }
}

tl::expected<token, parse_error> lexer::next() {
  skip_space();
  token t;
  t.pos = pos_;
  if (pos_ >= src_.size())
    return t;
  char c = src_[pos_];
  if (is_digit(c))
    return number();
  bool has_prefix = pos_ + 1 < src_.size()
                    && (src_[pos_ + 1] == '\'' || src_[pos_ + 1] == '"');
  if (has_prefix && (c == 'r' || c == 'R')) {
    ++pos_;
    return string_literal(true);
  }
  if (has_prefix && (c == 'b' || c == 'B'))
    return syntax(pos_, "bytes literals are not supported");
  if (c == '\'' || c == '"')
    return string_literal(false);
  if (is_ident_start(c)) {
    std::size_t start = pos_;
    while (pos_ < src_.size() && is_ident_char(src_[pos_]))
      ++pos_;
    t.kind = token_kind::ident;
    t.text = std::string(src_.substr(start, pos_ - start));
    return t;
  }
  for (auto p : puncts)
    if (src_.substr(pos_, p.size()) == p) {
      pos_ += p.size();
      t.kind = token_kind::punct;
      t.text = std::string(p);
      return t;
    }
  return syntax(pos_, std::string("token recognition error at: '") + c + "'");
}

tl::expected<token, parse_error> lexer::number() {
  token t;
  t.pos = pos_;
  std::size_t start = pos_;
  bool hex = src_.substr(pos_, 2) == "0x" || src_.substr(pos_, 2) == "0X";
  bool is_double = false;
  if (hex) {
    pos_ += 2;
    while (pos_ < src_.size() && hex_digit(src_[pos_]) >= 0)
      ++pos_;
  } else {
    while (pos_ < src_.size() && is_digit(src_[pos_]))
      ++pos_;
    if (pos_ + 1 < src_.size() && src_[pos_] == '.'
        && is_digit(src_[pos_ + 1])) {
      is_double = true;
      for (++pos_; pos_ < src_.size() && is_digit(src_[pos_]);)
        ++pos_;
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      std::size_t e = pos_ + 1;
      if (e < src_.size() && (src_[e] == '+' || src_[e] == '-'))
        ++e;
      if (e < src_.size() && is_digit(src_[e])) {
        is_double = true;
        for (pos_ = e; pos_ < src_.size() && is_digit(src_[pos_]);)
          ++pos_;
      }
    }
  }
  std::string text(src_.substr(start, pos_ - start));
  if (is_double) {
    t.kind = token_kind::double_lit;
    t.d = std::strtod(text.c_str(), nullptr);
    return t;
  }
  errno = 0;
  t.u = std::strtoull(hex ? text.c_str() + 2 : text.c_str(), nullptr,
                      hex ? 16 : 10);
  if (errno == ERANGE || (hex && text.size() == 2))
    return syntax(start, "invalid int literal");
  t.kind = token_kind::int_lit;
  if (pos_ < src_.size() && (src_[pos_] == 'u' || src_[pos_] == 'U')) {
    ++pos_;
    t.kind = token_kind::uint_lit;
  }
  return t;
}

tl::expected<void, parse_error> lexer::escape(std::string& out) {
  std::size_t at = pos_;
  char c = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
  pos_ += 2;
  switch (c) {
    case 'a':
      out += '\a';
      return {};
    case 'b':
      out += '\b';
      return {};
    case 'f':
      out += '\f';
      return {};
    case 'n':
      out += '\n';
      return {};
    case 'r':
      out += '\r';
      return {};
    case 't':
      out += '\t';
      return {};
    case 'v':
      out += '\v';
      return {};
    case '\\':
    case '\'':
    case '"':
    case '`':
    case '?':
      out += c;
      return {};
    default:
      break;
  }
  int digits = c == 'x' || c == 'X' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
  int base = 16;
  if (c >= '0' && c <= '3') { // three octal digits, the first one read
    digits = 2;
    base = 8;
  }
  if (digits == 0)
    return syntax(at, std::string("invalid escape sequence '\\") + c + "'");
  std::uint32_t cp = base == 8 ? static_cast<std::uint32_t>(c - '0') : 0;
  for (int i = 0; i < digits; ++i, ++pos_) {
    int d = pos_ < src_.size() ? hex_digit(src_[pos_]) : -1;
    if (d < 0 || d >= base)
      return syntax(at, "invalid escape sequence");
    cp = cp * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(d);
  }
  if (base == 8 || c == 'x' || c == 'X')
    out += static_cast<char>(cp); // a byte, as cel-go does for strings
  else if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return syntax(at, "invalid unicode code point");
  else
    append_utf8(out, cp);
  return {};
}

tl::expected<token, parse_error> lexer::string_literal(bool raw) {
  token t;
  t.pos = raw ? pos_ - 1 : pos_;
  char q = src_[pos_];
  bool triple = src_.substr(pos_, 3) == std::string(3, q);
  std::string_view close = triple ? src_.substr(pos_, 3) : src_.substr(pos_, 1);
  pos_ += close.size();
  std::string out;
  for (;;) {
    if (pos_ >= src_.size() || (!triple && src_[pos_] == '\n'))
      return syntax(t.pos, "unterminated string literal");
    if (src_.substr(pos_, close.size()) == close) {
      pos_ += close.size();
      break;
    }
    if (src_[pos_] == '\\' && !raw) {
      if (auto r = escape(out); !r)
        return tl::unexpected(r.error());
      continue;
    }
    out += src_[pos_++];
  }
  t.kind = token_kind::string_lit;
  t.text = std::move(out);
  return t;
}

std::string format_issue(std::string_view source, std::size_t pos,
                         const std::string& message) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos && i < source.size(); ++i)
    if (source[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  auto line_end = source.find('\n', line_start);
  auto text = source.substr(line_start, line_end == std::string_view::npos
                                          ? std::string_view::npos
                                          : line_end - line_start);
  std::size_t col = pos - line_start;
  return "ERROR: <input>:" + std::to_string(line) + ":"
         + std::to_string(col + 1) + ": " + message + "\n | "
         + std::string(text) + "\n | " + std::string(col, '.') + "^";
}

} // namespace porter::sim::cel
