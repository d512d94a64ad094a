#pragma once
// `regimen batch-find`: the largest batch that fits a memory budget and the training throughput of
// every power of two up to it, as a table (docs/cli.md).
#include <string>
#include <vector>

namespace regimen::cli {

/// Runs `regimen batch-find` with the arguments after "batch-find"; returns the exit code. Throws
/// boost::program_options::error for a usage mistake and regimen::Error for a recipe's.
int batch_find_command(const std::vector<std::string>& args);

}  // namespace regimen::cli
