#pragma once
// A run's folder (docs/cli.md): after every epoch metrics.csv and curves.svg are rewritten whole,
// each atomically (a reader, or a run killed mid-write, never sees half a file); at the end the
// weights go to model.safetensors. metrics.jsonl is MetricsLog's; recipe.txt and the like are
// written by whoever knows the recipe (write_file).
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/nn/model.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/train/callback.hpp"

namespace regimen::train {

/// Creates and returns "<root>/<stem>-<YYYYmmdd-HHMMSS>" (local time `now`), or the first of
/// "...-2", "...-3", ... that does not exist yet (creating a folder is the claim, so two runs
/// started in the same second get different folders). `stem` is reduced to letters, digits,
/// '.', '-' and '_' (others become '_'; "run" when empty). Throws DataError naming the folder.
std::string create_unique_run_directory(const std::string& root, const std::string& stem, std::time_t now);

/// The per-epoch files of a run, as a training callback, and its final weights.
class RunDirectory final : public Callback {
 public:
  /// Creates `directory` (and its parents) if needed; `optimizer` (which must outlive this)
  /// gives each epoch's "lr"; `title` heads the chart. Throws DataError naming the folder.
  RunDirectory(std::string directory, const optim::Optimizer& optimizer, std::string title);

  const std::string& path() const { return directory_; }
  /// Writes `name` inside the folder atomically; throws DataError naming it.
  void write_file(const std::string& name, std::string_view bytes) const;

  /// Records the epoch's metrics and lr, then rewrites metrics.csv and curves.svg.
  bool on_epoch_end(int epoch, const Metrics& metrics) override;
  /// A resumed run rewrites the file from the saved epochs.
  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;
  /// Writes the model's weights (export_tensors) with `metadata` to model.safetensors.
  void write_weights(nn::Model& model, const std::map<std::string, std::string>& metadata) const;

  /// Every recorded epoch, "lr" last in each.
  const std::vector<Metrics>& epochs() const { return epochs_; }

 private:
  std::string directory_;
  const optim::Optimizer& optimizer_;
  std::string title_;
  std::vector<Metrics> epochs_;
};

}  // namespace regimen::train
