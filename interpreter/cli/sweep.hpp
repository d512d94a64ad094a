#pragma once
// `regimen sweep`: trains a recipe once per point of a grid or random search over its param()s,
// trials in parallel processes, pruned by the median rule, ranked in a leaderboard; a rerun
// resumes (docs/cli.md).
#include <string>
#include <vector>

#include "runtime/train/communicator.hpp"

namespace regimen::cli {

/// Runs `regimen sweep` with the arguments after "sweep"; returns the exit code. Throws
/// boost::program_options::error for a usage mistake and regimen::Error for a recipe's. With
/// `ranks` (under mpirun), every rank takes the next unclaimed trial as it frees up, in the
/// shared sweep directory, and rank 0 reports.
int sweep_command(const std::vector<std::string>& args, train::Communicator* ranks = nullptr);

}  // namespace regimen::cli
