#include "sim/apiserver/selectors.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace porter::sim {

namespace {

enum class tok {
  ident,
  bang,
  eq,
  eqeq,
  neq,
  in,
  notin,
  open,
  close,
  comma,
  gt,
  lt,
  end,
  bad,
};

struct token {
  tok kind;
  std::string text;
};

bool ident_char(char c) {
  return c != ' ' && c != '\t' && c != ',' && c != '=' && c != '!' && c != '('
         && c != ')' && c != '<' && c != '>';
}

std::optional<tok> single_char_token(char c) {
  switch (c) {
    case '!':
      return tok::bang;
    case '=':
      return tok::eq;
    case '(':
      return tok::open;
    case ')':
      return tok::close;
    case ',':
      return tok::comma;
    case '>':
      return tok::gt;
    case '<':
      return tok::lt;
    default:
      return std::nullopt;
  }
}

// The lexer of labels/selector.go: operators, parentheses, commas and
// identifiers; "in" and "notin" are keywords.
std::vector<token> lex(std::string_view s) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    auto two = s.substr(i, 2);
    if (two == "==" || two == "!=") {
      out.push_back({two == "==" ? tok::eqeq : tok::neq, std::string(two)});
      i += 2;
      continue;
    }
    if (auto single = single_char_token(c)) {
      out.push_back({*single, std::string(1, c)});
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && ident_char(s[j]))
      ++j;
    std::string word(s.substr(i, j - i));
    tok k = word == "in" ? tok::in : word == "notin" ? tok::notin : tok::ident;
    out.push_back({k, std::move(word)});
    i = j;
  }
  out.push_back({tok::end, ""});
  return out;
}

class parser {
public:
  explicit parser(std::vector<token> toks) : toks_(std::move(toks)) {}

  tl::expected<std::vector<label_requirement>, std::string> run() {
    std::vector<label_requirement> out;
    while (true) {
      auto r = requirement();
      if (!r)
        return tl::make_unexpected(r.error());
      out.push_back(std::move(*r));
      if (peek().kind == tok::end)
        return out;
      if (next().kind != tok::comma)
        return tl::make_unexpected("found '" + toks_[pos_ - 1].text
                                   + "', expected: ',' or 'end of string'");
    }
  }

private:
  const token& peek() const { return toks_[pos_]; }
  const token& next() { return toks_[std::min(pos_++, toks_.size() - 1)]; }

  tl::expected<label_requirement, std::string> requirement() {
    label_requirement r;
    if (peek().kind == tok::bang) {
      next();
      if (peek().kind != tok::ident)
        return tl::make_unexpected("found '" + peek().text
                                   + "', expected: identifier after '!'");
      r.key = next().text;
      r.op = selector_op::does_not_exist;
      return r;
    }
    if (peek().kind != tok::ident)
      return tl::make_unexpected("found '" + peek().text
                                 + "', expected: !, identifier, or 'end of "
                                   "string'");
    r.key = next().text;
    auto op = peek().kind;
    if (op == tok::comma || op == tok::end) {
      r.op = selector_op::exists;
      return r;
    }
    next();
    return operand(op, std::move(r));
  }

  tl::expected<label_requirement, std::string> operand(tok op,
                                                       label_requirement r) {
    switch (op) {
      case tok::eq:
      case tok::eqeq:
      case tok::neq:
        r.op = op == tok::neq ? selector_op::not_equals : selector_op::equals;
        r.values.push_back(peek().kind == tok::ident ? next().text : "");
        return r;
      case tok::gt:
      case tok::lt: {
        r.op
          = op == tok::gt ? selector_op::greater_than : selector_op::less_than;
        if (peek().kind != tok::ident)
          return tl::make_unexpected("found '" + peek().text
                                     + "', expected: an integer");
        r.values.push_back(next().text);
        return r;
      }
      case tok::in:
      case tok::notin:
        r.op = op == tok::in ? selector_op::in : selector_op::not_in;
        return value_set(std::move(r));
      default:
        return tl::make_unexpected("found '" + toks_[pos_ - 1].text
                                   + "', expected: in, notin, =, ==, !=, gt, "
                                     "lt");
    }
  }

  tl::expected<label_requirement, std::string> value_set(label_requirement r) {
    if (next().kind != tok::open)
      return tl::make_unexpected("found '" + toks_[pos_ - 1].text
                                 + "', expected: '('");
    while (true) {
      if (peek().kind == tok::ident)
        r.values.push_back(next().text);
      else if (peek().kind == tok::comma || peek().kind == tok::close)
        r.values.emplace_back(); // "(a,)" includes the empty value
      auto t = next();
      if (t.kind == tok::close)
        return r;
      if (t.kind != tok::comma)
        return tl::make_unexpected("found '" + t.text
                                   + "', expected: ',' or ')'");
    }
  }

  std::vector<token> toks_;
  std::size_t pos_ = 0;
};

bool has_value(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool compare_int(const std::string& have, const std::string& want, bool gt) {
  char* end = nullptr;
  long long a = std::strtoll(have.c_str(), &end, 10);
  if (have.empty() || *end != '\0')
    return false;
  long long b = std::strtoll(want.c_str(), &end, 10);
  if (want.empty() || *end != '\0')
    return false;
  return gt ? a > b : a < b;
}

bool matches_one(const label_requirement& r, const label_map& labels) {
  auto it = labels.find(r.key);
  bool has = it != labels.end();
  switch (r.op) {
    case selector_op::exists:
      return has;
    case selector_op::does_not_exist:
      return !has;
    case selector_op::equals:
      return has && it->second == r.values.front();
    case selector_op::not_equals:
      return !has || it->second != r.values.front();
    case selector_op::in:
      return has && has_value(r.values, it->second);
    case selector_op::not_in:
      return !has || !has_value(r.values, it->second);
    case selector_op::greater_than:
    case selector_op::less_than:
      return has
             && compare_int(it->second, r.values.front(),
                            r.op == selector_op::greater_than);
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

tl::expected<field_requirement, std::string>
parse_field_term(std::string_view term) {
  field_requirement r;
  std::size_t pos = term.find("!=");
  std::size_t skip = 2;
  if (pos != std::string_view::npos) {
    r.negate = true;
  } else if ((pos = term.find("==")) == std::string_view::npos) {
    pos = term.find('=');
    skip = 1;
  }
  if (pos == std::string_view::npos)
    return tl::make_unexpected("invalid selector: '" + std::string(term)
                               + "'; can't understand '" + std::string(term)
                               + "'");
  r.field = std::string(trim(term.substr(0, pos)));
  r.value = std::string(trim(term.substr(pos + skip)));
  if (r.field.empty())
    return tl::make_unexpected("invalid selector: '" + std::string(term) + "'");
  return r;
}

} // namespace

tl::expected<label_selector, std::string>
label_selector::parse(std::string_view text) {
  label_selector sel;
  if (trim(text).empty())
    return sel;
  auto reqs = parser(lex(text)).run();
  if (!reqs)
    return tl::make_unexpected("unable to parse requirement: " + reqs.error());
  sel.reqs_ = std::move(*reqs);
  return sel;
}

bool label_selector::matches(const label_map& labels) const {
  return std::all_of(reqs_.begin(), reqs_.end(),
                     [&](const auto& r) { return matches_one(r, labels); });
}

tl::expected<field_selector, std::string>
field_selector::parse(std::string_view text) {
  field_selector sel;
  while (!trim(text).empty()) {
    auto comma = text.find(',');
    auto term = trim(text.substr(0, comma));
    auto r = parse_field_term(term);
    if (!r)
      return tl::make_unexpected(r.error());
    sel.reqs_.push_back(std::move(*r));
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return sel;
}

bool field_selector::matches(const getter& get) const {
  return std::all_of(reqs_.begin(), reqs_.end(), [&](const auto& r) {
    auto v = get(r.field).value_or("");
    return r.negate ? v != r.value : v == r.value;
  });
}

std::optional<std::string> field_selector::exact(std::string_view field) const {
  for (const auto& r : reqs_)
    if (!r.negate && r.field == field)
      return r.value;
  return std::nullopt;
}

} // namespace porter::sim
