#include "actors/inspect_command.hpp"

#include <csignal>
#include <ctime>
#include <iostream>

#include "actors/admin_endpoint.hpp"
#include "actors/inspect_tables.hpp"
#include "net/io/http_get.hpp"

namespace porter {

namespace {

/// The /debug/ page of a section name.
std::string page_of(const std::string& section) {
  if (section == "peers" || section == "routes")
    return "/debug/bgp/" + section;
  return "/debug/" + section;
}

/// One rendering; the error is the line to print.
tl::expected<std::string, std::string> show(const inspect_command& cmd,
                                            const std::string& token) {
  auto got = net::io::http_get(cmd.endpoint, page_of(cmd.section), token);
  if (!got)
    return tl::unexpected{got.error()
                          + " (is porter running with --admin-listen "
                          + cmd.endpoint + "?)"};
  if (got->status != 200)
    return tl::unexpected{cmd.endpoint + page_of(cmd.section) + ": "
                          + std::to_string(got->status) + " "
                          + got->body.substr(0, got->body.find('\n'))};
  if (cmd.output == "json")
    return got->body + "\n";
  auto table = render_inspect(cmd.section, got->body, cmd.prefix);
  if (!table)
    return tl::unexpected{cmd.endpoint + page_of(cmd.section) + ": "
                          + table.error()};
  return *table;
}

/// Sleeps a second; true when SIGINT or SIGTERM came (blocked in main,
/// so they are waited for here).
bool interrupted_within_a_second() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  timespec second{1, 0};
  return sigtimedwait(&set, nullptr, &second) > 0;
}

} // namespace

int run_inspect(const inspect_command& cmd) {
  auto token = cmd.token.empty()
                 ? read_token_file(cmd.token_file)
                 : tl::expected<std::string, std::string>{cmd.token};
  if (!token) {
    std::cerr << "porter inspect: " << token.error() << "\n";
    return 1;
  }
  for (;;) {
    auto out = show(cmd, *token);
    if (cmd.watch)
      std::cout << "\x1b[H\x1b[2J"
                << "porter inspect " << cmd.section << " @ " << cmd.endpoint
                << "\n\n";
    if (!out) {
      std::cerr << "porter inspect: " << out.error() << "\n";
      if (!cmd.watch)
        return 1;
    } else {
      std::cout << *out << std::flush;
    }
    if (!cmd.watch || interrupted_within_a_second())
      return 0;
  }
}

} // namespace porter
