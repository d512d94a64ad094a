#pragma once
// `regimen plot`: draws a recipe's scheduled values (or one schedule expression) over the
// planned run, as an SVG file and as a chart on standard output (docs/cli.md).
#include <string>
#include <vector>

namespace regimen::cli {

/// Runs `regimen plot` with the arguments after "plot"; returns the exit code. Throws
/// boost::program_options::error for a usage mistake and regimen::Error for a recipe's.
int plot_command(const std::vector<std::string>& args);

}  // namespace regimen::cli
