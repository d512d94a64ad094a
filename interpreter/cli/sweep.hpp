#pragma once
// `regimen sweep`: trains a recipe once per point of a grid or random search over its param()s,
// trials in parallel processes, pruned by the median rule, ranked in a leaderboard; a rerun
// resumes (docs/cli.md).
#include <string>
#include <vector>

namespace regimen::cli {

/// Runs `regimen sweep` with the arguments after "sweep"; returns the exit code. Throws
/// boost::program_options::error for a usage mistake and regimen::Error for a recipe's.
int sweep_command(const std::vector<std::string>& args);

}  // namespace regimen::cli
