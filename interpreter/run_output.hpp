#pragma once
// Where a training run leaves its record (docs/cli.md, "The run directory"): --out DIR, else a
// fresh runs/<recipe>-<YYYYmmdd-HHMMSS>, else nowhere. Opened when training starts, so a recipe
// mistake or a plain script leaves no folder behind.
#include <map>
#include <optional>
#include <string>

#include "interpreter/recipe.hpp"
#include "regimen/interpreter.hpp"
#include "runtime/train/metrics_log.hpp"
#include "runtime/train/run_directory.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::lua {

/// What the run directory records of how a run was asked for.
struct RunRequest {
  std::string chunk_name;                     ///< the recipe's path (or chunk name)
  std::string source_file;                    ///< the recipe file to copy; empty for a string chunk
  std::map<std::string, std::string> params;  ///< the --set values
};

/// overrides.txt: "--set NAME=VALUE", "--seed N", "--epochs N", one per line.
std::string overrides_text(const InterpreterOptions& options, const RunRequest& request);
/// The whole file at `path`; DataError naming it when it cannot be read.
std::string read_source(const std::string& path);

/// The run directory of one training run, if any.
class RunOutput {
 public:
  /// Creates the folder and writes recipe.txt (the resolved recipe), recipe.lua (a copy of the
  /// file) and overrides.txt (--set, --seed, --epochs, one per line). Throws DataError.
  RunOutput(const InterpreterOptions& options, const Recipe& recipe, const RunRequest& request);

  /// Whether anything is written.
  bool active() const { return directory_.has_value(); }
  /// The folder, or "" when inactive.
  std::string path() const { return directory_ ? directory_->path() : std::string(); }
  /// Adds the callbacks that write metrics.jsonl, metrics.csv and curves.svg each epoch.
  void attach(train::Trainer& trainer);
  /// Writes model.safetensors from the model as training left it (the best weights when early
  /// stopping restored them, the weight average with ema), saying which in its metadata.
  void finish(Recipe& recipe) const;

 private:
  std::optional<train::MetricsLog> log_;
  std::optional<train::RunDirectory> directory_;
};

}  // namespace regimen::lua
