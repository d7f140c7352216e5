#include "k8s/io/client_core.hpp"

#include <fstream>
#include <optional>
#include <sstream>

namespace porter::k8s::io {

namespace {

// k8s-api.md §4.2: "re-read the token file at least every 60 s".
constexpr std::chrono::seconds token_period{60};

// The file's content without surrounding whitespace (client-go trims it);
// nullopt when it cannot be read or holds no token.
std::optional<std::string> read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  auto s = text.str();
  auto blank = " \t\r\n\f\v";
  auto first = s.find_first_not_of(blank);
  if (first == std::string::npos)
    return std::nullopt;
  return s.substr(first, s.find_last_not_of(blank) - first + 1);
}

} // namespace

std::string token_source::current(steady_time now) {
  if (!file_.empty() && (!read_once_ || now - read_at_ >= token_period))
    refresh(now);
  return token_;
}

bool token_source::refresh(steady_time now) {
  if (file_.empty())
    return false;
  read_once_ = true;
  read_at_ = now;
  auto t = read_token_file(file_);
  if (!t || *t == token_)
    return false; // unreadable: keep the last good token
  token_ = std::move(*t);
  return true;
}

string_request client_core::make_request(const std::string& method,
                                         const std::string& target,
                                         std::string body,
                                         const std::string& content_type,
                                         steady_time now) {
  string_request req;
  req.version(11);
  auto verb = http::string_to_verb(method);
  if (verb != http::verb::unknown)
    req.method(verb);
  else
    req.method_string(method);
  req.target(target);
  req.set(http::field::host, server.authority);
  req.set(http::field::user_agent, "porter/0.1");
  req.set(http::field::accept, "application/json");
  if (auto t = token.current(now); !t.empty())
    req.set(http::field::authorization, "Bearer " + t);
  if (!body.empty())
    req.set(http::field::content_type,
            content_type.empty() ? "application/json" : content_type);
  req.keep_alive(true);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

std::shared_ptr<http_connection> client_core::take_idle(steady_time now) {
  while (!idle.empty()) {
    auto c = std::move(idle.back());
    idle.pop_back();
    if (now - c->idle_since < max_idle_time && c->still_open()) {
      c->reused = true;
      return c;
    }
    c->close();
  }
  return nullptr;
}

void client_core::put_idle(std::shared_ptr<http_connection> c,
                           steady_time now) {
  if (closed) {
    c->close();
    return;
  }
  c->idle_since = now;
  idle.push_back(std::move(c));
  if (idle.size() > max_idle) {
    idle.front()->close(); // the least recently used
    idle.erase(idle.begin());
  }
}

void client_core::shutdown() {
  closed = true;
  for (auto& c : idle)
    c->close();
  idle.clear();
}

void client_core::when_free(std::function<void()> start) {
  if (active < max_active) {
    ++active;
    start();
    return;
  }
  waiting.push_back(std::move(start));
}

void client_core::request_done() {
  if (active > 0)
    --active;
  while (active < max_active && !waiting.empty()) {
    auto start = std::move(waiting.front());
    waiting.pop_front();
    ++active;
    start();
  }
}

} // namespace porter::k8s::io
