// Recursive-descent parser for the CEL grammar (cel-spec langdef.md
// "Syntax"): Expr = ConditionalOr ["?" ConditionalOr ":" Expr], then ||, &&,
// relations, + -, * / %, unary ! -, member access, primaries. The macros
// has/all/exists/exists_one/map/filter are expanded here, as cel-go does.
#include <limits>
#include <set>

#include "sim/apiserver/cel_lexer.hpp"

namespace porter::sim::cel {

namespace {

// Deep enough for any real rule, shallow enough for the stack.
constexpr int max_depth = 200;

const std::set<std::string, std::less<>> reserved
  = {"as",        "break",  "const",  "continue", "else", "for",
     "function",  "if",     "import", "let",      "loop", "package",
     "namespace", "return", "var",    "void",     "while"};

node_ptr make(node_kind k, std::size_t pos) {
  auto n = std::make_unique<node>();
  n->kind = k;
  n->pos = pos;
  return n;
}

node_ptr make_call(std::string op, std::size_t pos, node_ptr a,
                   node_ptr b = nullptr) {
  auto n = make(node_kind::call, pos);
  n->name = std::move(op);
  n->args.push_back(std::move(a));
  if (b)
    n->args.push_back(std::move(b));
  return n;
}

class parser {
public:
  explicit parser(std::string_view src) : lex_(src) {}

  tl::expected<node_ptr, parse_error> run() {
    if (auto r = advance(); !r)
      return tl::unexpected(r.error());
    auto e = expr();
    if (!e)
      return e;
    if (tok_.kind != token_kind::end)
      return fail("mismatched input '" + describe() + "' expecting <EOF>");
    return e;
  }

private:
  using parsed = tl::expected<node_ptr, parse_error>;

  tl::expected<void, parse_error> advance() {
    auto t = lex_.next();
    if (!t)
      return tl::unexpected(t.error());
    tok_ = std::move(*t);
    return {};
  }
  bool is(std::string_view p) const {
    return tok_.kind == token_kind::punct && tok_.text == p;
  }
  std::string describe() const {
    return tok_.kind == token_kind::end ? "<EOF>" : tok_.text;
  }
  tl::unexpected<parse_error> fail(const std::string& what) const {
    return tl::unexpected(parse_error{tok_.pos, "Syntax error: " + what});
  }
  tl::expected<void, parse_error> expect(std::string_view p) {
    if (!is(p))
      return fail("mismatched input '" + describe() + "' expecting '"
                  + std::string(p) + "'");
    return advance();
  }

  parsed expr() {
    if (++depth_ > max_depth)
      return fail("expression recursion limit exceeded");
    auto cond = binary(0);
    if (cond && is("?")) {
      auto pos = tok_.pos;
      if (auto r = advance(); !r)
        return tl::unexpected(r.error());
      auto yes = binary(0);
      if (!yes)
        return yes;
      if (auto r = expect(":"); !r)
        return tl::unexpected(r.error());
      auto no = expr();
      if (!no)
        return no;
      auto n = make(node_kind::conditional, pos);
      n->args.push_back(std::move(*cond));
      n->args.push_back(std::move(*yes));
      n->args.push_back(std::move(*no));
      cond = std::move(n);
    }
    --depth_;
    return cond;
  }

  // Precedence climbing over the binary levels: || && relations + *.
  static int level_of(const token& t) {
    if (t.kind == token_kind::ident && t.text == "in")
      return 2;
    if (t.kind != token_kind::punct)
      return -1;
    const std::string& p = t.text;
    if (p == "||")
      return 0;
    if (p == "&&")
      return 1;
    if (p == "==" || p == "!=" || p == "<" || p == "<=" || p == ">"
        || p == ">=")
      return 2;
    if (p == "+" || p == "-")
      return 3;
    if (p == "*" || p == "/" || p == "%")
      return 4;
    return -1;
  }

  parsed binary(int level) {
    if (level > 4)
      return unary();
    auto left = binary(level + 1);
    while (left && level_of(tok_) == level) {
      std::string op = tok_.text;
      auto pos = tok_.pos;
      if (auto r = advance(); !r)
        return tl::unexpected(r.error());
      auto right = binary(level + 1);
      if (!right)
        return right;
      if (op == "||" || op == "&&") {
        auto n = make(
          op == "||" ? node_kind::logical_or : node_kind::logical_and, pos);
        n->args.push_back(std::move(*left));
        n->args.push_back(std::move(*right));
        left = std::move(n);
      } else {
        left = make_call(op, pos, std::move(*left), std::move(*right));
      }
    }
    return left;
  }

  parsed unary() {
    if (!is("!") && !is("-"))
      return member();
    if (depth_ + 1 > max_depth)
      return fail("expression recursion limit exceeded");
    std::string op = tok_.text;
    auto pos = tok_.pos;
    if (auto r = advance(); !r)
      return tl::unexpected(r.error());
    // -9223372036854775808 is an int literal, not the negation of one.
    if (op == "-" && tok_.kind == token_kind::int_lit)
      return negative_literal(pos);
    ++depth_;
    auto operand = unary();
    --depth_;
    if (!operand)
      return operand;
    return make_call(op == "!" ? "!" : "neg", pos, std::move(*operand));
  }

  parsed negative_literal(std::size_t pos) {
    constexpr std::uint64_t min_magnitude = std::uint64_t{1} << 63;
    if (tok_.u > min_magnitude)
      return fail("invalid int literal");
    auto n = make(node_kind::literal, pos);
    n->lit = value::integer(tok_.u == min_magnitude
                              ? std::numeric_limits<std::int64_t>::min()
                              : -static_cast<std::int64_t>(tok_.u));
    if (auto r = advance(); !r)
      return tl::unexpected(r.error());
    return n;
  }

  parsed member() {
    auto e = primary();
    while (e && (is(".") || is("["))) {
      bool dot = is(".");
      auto pos = tok_.pos;
      if (auto r = advance(); !r)
        return tl::unexpected(r.error());
      if (!dot) {
        auto idx = expr();
        if (!idx)
          return idx;
        if (auto r = expect("]"); !r)
          return tl::unexpected(r.error());
        e = make_call("[]", pos, std::move(*e), std::move(*idx));
        (*e)->kind = node_kind::index;
        continue;
      }
      if (tok_.kind != token_kind::ident)
        return fail("mismatched input '" + describe()
                    + "' expecting IDENTIFIER");
      std::string name = tok_.text;
      auto name_pos = tok_.pos;
      if (auto r = advance(); !r)
        return tl::unexpected(r.error());
      if (is("(")) {
        e = call(std::move(name), name_pos, std::move(*e));
      } else {
        auto n = make(node_kind::select, name_pos);
        n->name = std::move(name);
        n->args.push_back(std::move(*e));
        e = std::move(n);
      }
    }
    return e;
  }

  // name(args) or target.name(args), macros expanded.
  parsed call(std::string name, std::size_t pos, node_ptr target) {
    auto n = make(node_kind::call, pos);
    n->name = std::move(name);
    n->receiver = target != nullptr;
    if (target)
      n->args.push_back(std::move(target));
    auto r = list_items(")", n->args);
    if (!r)
      return tl::unexpected(r.error());
    return expand_macro(std::move(n));
  }

  parsed expand_macro(node_ptr n) {
    if (!n->receiver && n->name == "has") {
      if (n->args.size() != 1 || n->args[0]->kind != node_kind::select)
        return tl::unexpected(
          parse_error{n->pos, "invalid argument to has() macro"});
      n->args[0]->kind = node_kind::has;
      return std::move(n->args[0]);
    }
    const std::string& m = n->name;
    bool comprehension = m == "all" || m == "exists" || m == "exists_one"
                         || m == "filter" || m == "map";
    std::size_t argc = n->args.size();
    if (!n->receiver || !comprehension
        || !(argc == 3 || (m == "map" && argc == 4)))
      return n;
    if (n->args[1]->kind != node_kind::ident)
      return tl::unexpected(
        parse_error{n->args[1]->pos, "argument must be a simple name"});
    auto c = make(node_kind::comprehension, n->pos);
    c->macro = m;
    c->name = n->args[1]->name;
    c->args.push_back(std::move(n->args[0]));
    for (std::size_t i = 2; i < argc; ++i)
      c->args.push_back(std::move(n->args[i]));
    return c;
  }

  // Comma-separated expressions up to `close` (a trailing comma allowed).
  tl::expected<void, parse_error> list_items(std::string_view close,
                                             std::vector<node_ptr>& out) {
    if (auto r = advance(); !r)
      return r;
    while (!is(close)) {
      auto e = expr();
      if (!e)
        return tl::unexpected(e.error());
      out.push_back(std::move(*e));
      if (!is(","))
        break;
      if (auto r = advance(); !r)
        return r;
    }
    return expect(close);
  }

  parsed map_literal(std::size_t pos) {
    auto n = make(node_kind::map, pos);
    if (auto r = advance(); !r)
      return tl::unexpected(r.error());
    while (!is("}")) {
      auto k = expr();
      if (!k)
        return k;
      if (auto r = expect(":"); !r)
        return tl::unexpected(r.error());
      auto v = expr();
      if (!v)
        return v;
      n->args.push_back(std::move(*k));
      n->args.push_back(std::move(*v));
      if (!is(","))
        break;
      if (auto r = advance(); !r)
        return tl::unexpected(r.error());
    }
    if (auto r = expect("}"); !r)
      return tl::unexpected(r.error());
    return n;
  }

  parsed literal() {
    auto n = make(node_kind::literal, tok_.pos);
    switch (tok_.kind) {
      case token_kind::int_lit:
        if (tok_.u > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
          return fail("invalid int literal");
        n->lit = value::integer(static_cast<std::int64_t>(tok_.u));
        break;
      case token_kind::uint_lit:
        n->lit = value::uinteger(tok_.u);
        break;
      case token_kind::double_lit:
        n->lit = value::real(tok_.d);
        break;
      case token_kind::string_lit:
        n->lit = value::string(tok_.text);
        break;
      default:
        return fail("mismatched input '" + describe()
                    + "' expecting an expression");
    }
    if (auto r = advance(); !r)
      return tl::unexpected(r.error());
    return n;
  }

  parsed primary() {
    auto pos = tok_.pos;
    if (is("(")) {
      if (auto r = advance(); !r)
        return tl::unexpected(r.error());
      auto e = expr();
      if (!e)
        return e;
      if (auto r = expect(")"); !r)
        return tl::unexpected(r.error());
      return e;
    }
    if (is("[")) {
      auto n = make(node_kind::list, pos);
      if (auto r = list_items("]", n->args); !r)
        return tl::unexpected(r.error());
      return n;
    }
    if (is("{"))
      return map_literal(pos);
    if (tok_.kind != token_kind::ident)
      return literal();
    std::string name = tok_.text;
    if (reserved.count(name) != 0)
      return fail("reserved identifier: " + name);
    if (auto r = advance(); !r)
      return tl::unexpected(r.error());
    if (is("("))
      return call(std::move(name), pos, nullptr);
    if (is("{"))
      return fail("message construction is not supported");
    auto n = make(node_kind::literal, pos);
    if (name == "true" || name == "false")
      n->lit = value::boolean(name == "true");
    else if (name != "null") {
      n->kind = node_kind::ident;
      n->name = std::move(name);
    }
    return n;
  }

  lexer lex_;
  token tok_{};
  int depth_ = 0;
};

} // namespace

tl::expected<node_ptr, parse_error> parse(std::string_view source) {
  return parser(source).run();
}

} // namespace porter::sim::cel
