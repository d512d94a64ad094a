#pragma once
// A run's checkpoints as the interpreter sees them (docs/reliability.md, "Checkpoint contract"):
// each starts with a "recipe" section (the recipe text, its --set values and a hash of both), so
// a checkpoint is only ever resumed by the recipe that wrote it; --resume takes the newest
// valid file and reports the damaged ones it skips.
#include <iosfwd>
#include <string>

#include "runtime/io/checkpoint_file.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::lua {

/// The "recipe" section: recipe text, overrides text, and a 64-bit FNV-1a hash of both.
io::CheckpointSections checkpoint_identity(const std::string& recipe_text, const std::string& overrides);

/// Restores `trainer` from the newest checkpoint in `directory` that reads back whole, telling
/// `err` about each one it skips ("skipping DIR/step-0000000040.ckpt: checksum mismatch ...").
/// Returns the file used. Throws Error: kRuntime when no file is valid, kRecipe when the newest
/// valid one was written by another recipe or other --set values.
std::string resume_newest(train::Trainer& trainer, const std::string& directory,
                          const io::CheckpointSections& identity, std::ostream& err);

}  // namespace regimen::lua
