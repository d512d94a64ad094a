#pragma once
// The learning-rate range test on a resolved recipe: its model, loss, optimizer, penalties and
// training data, with the rate swept instead of scheduled (runtime/train/lr_range_test.hpp).
#include "interpreter/recipe.hpp"
#include "regimen/interpreter.hpp"

namespace regimen::lua {

/// Trains `recipe` for options.steps mini-batches with an exponentially growing rate (stopping
/// when the loss diverges) and returns the curve and its suggestions. The recipe's model and
/// optimizer are left trained: run it afresh to train for real. Throws InvalidArgument for bad
/// options.
LrFindResult find_lr(Recipe& recipe, const LrFindOptions& options);

}  // namespace regimen::lua
