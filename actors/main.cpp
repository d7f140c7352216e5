#include "actors/cli.hpp"
#include "actors/runtime.hpp"

int main(int argc, char** argv) {
  // Before any thread exists, so all threads inherit the mask.
  porter::use_one_heap_arena();
  porter::block_termination_signals();
  return porter::run_cli(argc, argv);
}
