#pragma once
// metrics.jsonl: one JSON object per epoch ({"epoch": 0, "loss": 0.41, ...}), flushed as each
// epoch ends so a killed run keeps its history up to the last finished epoch.
#include <fstream>
#include <string>

#include "runtime/train/callback.hpp"

namespace regimen::train {

/// Appends each epoch's metrics to a JSON Lines file.
class MetricsLog final : public Callback {
 public:
  /// Creates `directory` if needed and starts `directory`/metrics.jsonl afresh; throws
  /// std::runtime_error naming the path when it cannot.
  explicit MetricsLog(const std::string& directory);

  bool on_epoch_end(int epoch, const Metrics& metrics) override;
  /// A resumed run rewrites the file from the saved epochs.
  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;

 private:
  std::string path_;
  std::ofstream out_;
  std::string written_;  ///< the file's text so far, for a checkpoint
};

/// One JSON object: {"epoch": N, "name": value, ...}; non-finite values become null.
std::string to_json_line(int epoch, const Metrics& metrics);

}  // namespace regimen::train
