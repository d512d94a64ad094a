#include "interpreter/lr_find.hpp"

#include <cmath>

#include "runtime/schedule/exponential.hpp"
#include "runtime/train/lr_range_test.hpp"

namespace regimen::lua {

LrFindResult find_lr(Recipe& recipe, const LrFindOptions& options) {
  train::LrRangeOptions range;
  range.from = options.from;
  range.to = options.to;
  range.steps = options.steps;
  range.check();
  train::TrainConfig config = recipe.config;
  const Index batch = std::max<Index>(1, config.batch_size);
  const auto per_epoch = (recipe.train.size() + batch - 1) / batch;
  config.max_steps = range.steps;
  config.epochs = static_cast<int>((range.steps + per_epoch - 1) / per_epoch);
  config.ema.reset();
  config.non_finite_loss_throws = false;  // a diverging loss is the test's end, not a failure
  config.on_nan = {};
  recipe.optimizer->set_lr(schedule::exponential(range.from, std::pow(range.to / range.from, 1.0 / (range.steps - 1))));
  train::Trainer trainer(*recipe.model, *recipe.loss, *recipe.optimizer, config);
  if (recipe.regularizer) trainer.set_regularizer(recipe.regularizer);
  if (recipe.clip) trainer.set_gradient_clip(recipe.clip);
  train::LrRangeRecorder recorder(range);
  trainer.add_callback(recorder);
  trainer.fit(recipe.train, nullptr);
  const train::LrRangeCurve curve = train::analyze_lr_range(recorder.losses(), range);
  return {curve.lrs, curve.losses, curve.smoothed, curve.steepest_lr, curve.min_lr, curve.diverged};
}

}  // namespace regimen::lua
