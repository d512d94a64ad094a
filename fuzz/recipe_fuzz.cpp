// Recipe loading and validation on arbitrary text, in the sandbox with small limits: the only
// way out is a regimen::Error. (`check` resolves the recipe without training.)
#include <sstream>
#include <string>

#include "regimen/interpreter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::ostringstream sink;
  regimen::InterpreterOptions options;
  options.out = &sink;
  options.err = &sink;
  options.threads = 1;
  options.max_memory_mb = 64;
  options.max_instructions = 1'000'000;
  options.timeout_seconds = 2;
  try {
    regimen::Interpreter interpreter(options);
    interpreter.load_string(std::string(reinterpret_cast<const char*>(data), size), "fuzz.lua");
    interpreter.check();
  } catch (const regimen::Error&) {
  }
  return 0;
}
