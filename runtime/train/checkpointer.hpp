#pragma once
// When and where a run writes its checkpoints (docs/reliability.md, "Checkpoint contract"):
// <run>/checkpoints/step-<10-digit step>.ckpt, every N epochs or every N optimizer steps, the
// newest `keep` kept. A checkpoint is the identity sections the caller gives (the recipe text
// and its --set values) followed by Trainer::save_state()'s. An older file is deleted only
// after the new one is in place, so a crash at any moment leaves at least one whole checkpoint.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/io/checkpoint_file.hpp"

namespace regimen::train {

class Trainer;

/// checkpoint = {every = N, every_steps = N, keep = K}; 0 = not at that kind of point.
struct CheckpointPolicy {
  int every = 0;                ///< epochs between checkpoints
  std::int64_t every_steps = 0; ///< optimizer steps between checkpoints
  int keep = 3;                 ///< newest files kept (>= 1)
};

/// "step-0000000040.ckpt".
std::string checkpoint_file_name(std::int64_t step);
/// The checkpoint files in `directory` (names as checkpoint_file_name writes them), newest
/// (highest step) first; empty when there is no such folder.
std::vector<std::string> list_checkpoints(const std::string& directory);

/// Writes a run's checkpoints.
class Checkpointer {
 public:
  /// `directory` is created when the first checkpoint is written; `identity` sections go first
  /// in every file. Throws InvalidArgument for keep < 1 or a negative interval.
  Checkpointer(std::string directory, CheckpointPolicy policy, io::CheckpointSections identity);

  /// True when the policy asks for a checkpoint after optimizer step `step` (1-based).
  bool due_after_step(std::int64_t step) const;
  /// True when the policy asks for one after epoch `epoch` (0-based).
  bool due_after_epoch(int epoch) const;
  /// Writes the trainer's state as step-<step>.ckpt, then deletes all but the newest `keep`.
  /// Returns the path written. Throws DataError when the file cannot be written.
  std::string write(const Trainer& trainer, std::int64_t step);

  const std::string& directory() const { return directory_; }
  const io::CheckpointSections& identity() const { return identity_; }

 private:
  std::string directory_;
  CheckpointPolicy policy_;
  io::CheckpointSections identity_;
  int pause_ms_ = 0;  ///< REGIMEN_CHECKPOINT_PAUSE_MS: a pause before the rename, for kill tests
};

}  // namespace regimen::train
