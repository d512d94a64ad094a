#pragma once
// Runs Lua text through a real Interpreter and reports the outcome, for binding tests.
#include <sstream>
#include <string>

#include "regimen/interpreter.hpp"

namespace regimen::testing {

/// The failure of a chunk: its message and exit code; exit_code 0 when it ran fine.
struct Outcome {
  int exit_code = 0;
  std::string message;
  RunResult result;
};

/// Loads `text` as chunk "test.lua" and runs it; training output is discarded.
inline Outcome run_lua(const std::string& text, InterpreterOptions options = {}) {
  std::ostringstream sink;
  options.out = &sink;
  if (options.threads == 0) options.threads = 1;
  Outcome outcome;
  try {
    Interpreter interpreter(options);
    interpreter.load_string(text, "test.lua");
    outcome.result = interpreter.run();
  } catch (const Error& e) {
    outcome.exit_code = e.exit_code();
    outcome.message = e.what();
  }
  return outcome;
}

/// The message of a chunk expected to fail; "" when it did not.
inline std::string error_of(const std::string& text, InterpreterOptions options = {}) {
  return run_lua(text, std::move(options)).message;
}

/// Evaluates a Lua expression and returns tostring() of it, by making the chunk fail with it.
inline std::string eval(const std::string& expression) {
  return error_of("error(tostring(" + expression + "), 0)");
}

}  // namespace regimen::testing
