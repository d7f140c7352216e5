// The `porter` command line: global flags and the subcommands (manager,
// agent, inspect, sim, version). Parsing errors exit 2 with one line.
#pragma once

namespace porter {

/// Parses `argv` and runs the chosen subcommand; returns the exit code.
int run_cli(int argc, char** argv);

} // namespace porter
