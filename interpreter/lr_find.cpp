#include "interpreter/lr_find.hpp"

#include <cmath>

#include "interpreter/probe_training.hpp"
#include "runtime/schedule/exponential.hpp"
#include "runtime/train/lr_range_test.hpp"

namespace regimen::lua {

LrFindResult find_lr(Recipe& recipe, const LrFindOptions& options) {
  train::LrRangeOptions range;
  range.from = options.from;
  range.to = options.to;
  range.steps = options.steps;
  range.check();
  recipe.optimizer->set_lr(schedule::exponential(range.from, std::pow(range.to / range.from, 1.0 / (range.steps - 1))));
  const auto trainer = probe_trainer(recipe, probe_config(recipe, range.steps));
  train::LrRangeRecorder recorder(range);
  trainer->add_callback(recorder);
  trainer->fit(recipe.train, nullptr);
  const train::LrRangeCurve curve = train::analyze_lr_range(recorder.losses(), range);
  return {curve.lrs, curve.losses, curve.smoothed, curve.steepest_lr, curve.min_lr, curve.diverged};
}

}  // namespace regimen::lua
