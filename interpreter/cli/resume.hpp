#pragma once
// regimen run --resume DIR: what the run in DIR was started with (its copy of the recipe and
// overrides.txt), so that it continues exactly as it began (docs/cli.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace regimen::cli {

/// The recipe file and overrides of a run directory.
struct ResumeRequest {
  std::string recipe;              ///< DIR/recipe.lua
  std::string origin;              ///< the recipe file it is a copy of (DIR/recipe_path.txt), or ""
  std::vector<std::string> sets;   ///< NAME=VALUE, from "--set NAME=VALUE" lines
  std::optional<std::uint64_t> seed;
  std::optional<int> epochs;
};

/// Reads DIR/overrides.txt and checks DIR/recipe.lua exists. Throws
/// boost::program_options::error (a usage error) naming what is missing or unreadable.
ResumeRequest read_resume(const std::string& directory);

}  // namespace regimen::cli
