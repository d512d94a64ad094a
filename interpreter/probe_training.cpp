#include "interpreter/probe_training.hpp"

namespace regimen::lua {

train::TrainConfig probe_config(const Recipe& recipe, std::optional<std::int64_t> max_steps) {
  train::TrainConfig config = recipe.config;
  config.ema.reset();
  config.non_finite_loss_throws = false;  // a diverging loss ends a probe, it is not a failure
  config.on_nan = {};
  config.max_steps = max_steps;
  const Index batch = std::max<Index>(1, config.batch_size);
  const auto per_epoch = (recipe.train.size() + batch - 1) / batch;
  config.epochs = max_steps ? static_cast<int>((*max_steps + per_epoch - 1) / per_epoch) : 1 << 20;
  return config;
}

std::unique_ptr<train::Trainer> probe_trainer(Recipe& recipe, const train::TrainConfig& config) {
  auto trainer = std::make_unique<train::Trainer>(*recipe.model, *recipe.loss, *recipe.optimizer, config);
  if (recipe.regularizer) trainer->set_regularizer(recipe.regularizer);
  if (recipe.clip) trainer->set_gradient_clip(recipe.clip);
  return trainer;
}

}  // namespace regimen::lua
