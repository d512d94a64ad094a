#pragma once
// Runs a shell command for CLI and recipe tests: its exit code and everything it printed.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace regimen::testing {

/// What a finished command left behind.
struct CommandResult {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr, interleaved
};

/// Runs `command` through /bin/sh with stderr folded into stdout.
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

/// The regimen executable under test, with arguments appended.
inline std::string regimen_command(const std::string& arguments) { return std::string(REGIMEN_BINARY) + " " + arguments; }

/// A path inside the source tree.
inline std::string source_path(const std::string& relative) { return std::string(REGIMEN_SOURCE_DIR) + "/" + relative; }

}  // namespace regimen::testing
