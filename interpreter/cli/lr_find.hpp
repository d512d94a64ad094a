#pragma once
// `regimen lr-find`: the learning-rate range test on a recipe; prints the suggestions and a chart
// of the loss against log10(lr), and writes the chart as an SVG (docs/cli.md).
#include <string>
#include <vector>

namespace regimen::cli {

/// Runs `regimen lr-find` with the arguments after "lr-find"; returns the exit code. Throws
/// boost::program_options::error for a usage mistake and regimen::Error for a recipe's.
int lr_find_command(const std::vector<std::string>& args);

}  // namespace regimen::cli
