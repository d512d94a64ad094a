#pragma once
// What lr-find and batch-find share: a short training of a resolved recipe for measurement, not
// for keeping — no moving average, no on_nan ladder, a non-finite loss ending it quietly — with
// the recipe's penalties and clipping, which shape the steps being measured.
#include <memory>

#include "interpreter/recipe.hpp"

namespace regimen::lua {

/// The recipe's training settings, made fit for a probe of at most `max_steps` steps (none: until
/// a callback stops it).
train::TrainConfig probe_config(const Recipe& recipe, std::optional<std::int64_t> max_steps);

/// A trainer over the recipe's model, loss and optimizer with `config`, its regularizer and clip.
std::unique_ptr<train::Trainer> probe_trainer(Recipe& recipe, const train::TrainConfig& config);

}  // namespace regimen::lua
