#pragma once
// batch-find on a resolved recipe: the largest batch that fits the memory budget (as
// batch_size = "auto" picks it) and the training throughput of every power of two up to it.
#include "interpreter/recipe.hpp"
#include "regimen/interpreter.hpp"

namespace regimen::lua {

/// Trains `recipe` briefly at each batch size (its model and optimizer are left trained: run it
/// afresh to train for real). Throws InvalidArgument for a budget without room for one sample.
BatchFindResult find_batch_size(Recipe& recipe, const BatchFindOptions& options);

}  // namespace regimen::lua
