#include "actors/cli.hpp"
#include "actors/runtime.hpp"

int main(int argc, char** argv) {
  // Before any thread exists, so all threads inherit the mask.
  porter::block_termination_signals();
  return porter::run_cli(argc, argv);
}
