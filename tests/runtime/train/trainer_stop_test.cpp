// The loop's own stops: max_steps (mid-epoch, exact step count), a step callback asking to stop,
// and a non-finite training loss. Step counts follow from the data size: n samples in batches
// of b make ceil(n / b) steps per epoch.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/loss/mse.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/train/trainer.hpp"

namespace train = regimen::train;
using regimen::Index;

namespace {

regimen::data::Dataset line(Index n, float target_scale = 1.0f) {
  auto table = std::make_shared<regimen::data::Table>();
  table->features.resize(n, 1);
  table->targets.resize(n, 1);
  for (Index i = 0; i < n; ++i) {
    table->features(i, 0) = static_cast<float>(i) / static_cast<float>(n);
    table->targets(i, 0) = target_scale * (2.0f * table->features(i, 0) + 1.0f);
  }
  table->source = "line";
  return regimen::data::Dataset(table);
}

struct StepCounter : train::Callback {
  bool on_step_end(const train::StepEnd& step) override {
    steps.push_back(step);
    return stop_at > 0 && step.step == stop_at;
  }
  bool on_epoch_end(int /*epoch*/, const train::Metrics& metrics) override {
    epochs.push_back(metrics);
    return false;
  }
  std::string stop_reason() const override { return "counter said stop"; }
  std::int64_t stop_at = 0;
  std::vector<train::StepEnd> steps;
  std::vector<train::Metrics> epochs;
};

struct Fixture {
  regimen::nn::Model model{{{"", std::make_shared<regimen::nn::Linear>(1, 1)}}};
  regimen::loss::MeanSquaredError mse;
  regimen::optim::Sgd sgd{regimen::schedule::constant(0.1)};
  Fixture() { model.build(1, 3); }
};

}  // namespace

TEST_CASE("Trainer: max_steps stops mid-epoch after exactly that many steps", "[train]") {
  Fixture f;
  train::TrainConfig config;
  config.epochs = 10;
  config.batch_size = 10;  // 100 samples: 10 steps per epoch
  config.max_steps = 25;
  train::Trainer trainer(f.model, f.mse, f.sgd, config);
  StepCounter counter;
  trainer.add_callback(counter);
  const regimen::data::Dataset data = line(100);
  const train::History history = trainer.fit(data, &data);
  CHECK(history.steps == 25);
  CHECK(counter.steps.size() == 25);
  CHECK(counter.steps.back().epoch == 2);
  CHECK(counter.steps.back().epoch_step == 5);
  CHECK(counter.steps.back().epoch_steps == 10);
  CHECK(counter.steps.back().samples == 50);
  // The cut epoch still has its metrics and validation.
  REQUIRE(history.epochs.size() == 3);
  REQUIRE(counter.epochs.size() == 3);
  CHECK(history.epochs.back().get("val_loss"));
  CHECK(history.stop_reason == "max_steps 25 reached at epoch 3");
}

TEST_CASE("Trainer: max_steps counts updates, not batches, with accumulation", "[train]") {
  Fixture f;
  train::TrainConfig config;
  config.epochs = 5;
  config.batch_size = 10;
  config.accumulate = 3;  // 10 batches: updates of 3, 3, 3, 1 batches -> 4 steps per epoch
  config.max_steps = 6;
  train::Trainer trainer(f.model, f.mse, f.sgd, config);
  StepCounter counter;
  trainer.add_callback(counter);
  const train::History history = trainer.fit(line(100), nullptr);
  CHECK(history.steps == 6);
  CHECK(counter.steps.back().epoch_steps == 4);
  CHECK(counter.steps.back().epoch == 1);
  CHECK(history.epochs.size() == 2);
}

TEST_CASE("Trainer: a step callback stops the run at once, with its reason", "[train]") {
  Fixture f;
  train::TrainConfig config;
  config.epochs = 3;
  config.batch_size = 10;
  train::Trainer trainer(f.model, f.mse, f.sgd, config);
  StepCounter counter;
  counter.stop_at = 13;
  trainer.add_callback(counter);
  const train::History history = trainer.fit(line(100), nullptr);
  CHECK(history.steps == 13);
  CHECK(history.epochs.size() == 2);
  CHECK(history.stop_reason == "counter said stop");
}

TEST_CASE("Trainer: a non-finite loss throws, naming the epoch and step", "[train]") {
  Fixture f;
  train::TrainConfig config;
  config.epochs = 3;
  config.batch_size = 10;
  f.sgd.set_lr(regimen::schedule::constant(1e30));  // the first update overflows the weights
  train::Trainer trainer(f.model, f.mse, f.sgd, config);
  CHECK_THROWS_WITH(trainer.fit(line(100, 1e20f), nullptr), Catch::Matchers::StartsWith("training loss is inf") ||
                                                                  Catch::Matchers::StartsWith("training loss is nan"));
}

TEST_CASE("Trainer: a non-finite loss can end the run as a stop instead", "[train]") {
  Fixture f;
  train::TrainConfig config;
  config.epochs = 3;
  config.batch_size = 10;
  config.shuffle = false;
  config.non_finite_loss_throws = false;
  f.sgd.set_lr(regimen::schedule::constant(1e30));
  train::Trainer trainer(f.model, f.mse, f.sgd, config);
  StepCounter counter;
  trainer.add_callback(counter);
  const train::History history = trainer.fit(line(100, 1e20f), nullptr);
  REQUIRE(history.epochs.size() == 1);
  CHECK(std::isnan(*history.epochs[0].get("loss")));
  CHECK(history.stop_reason.rfind("training loss is ", 0) == 0);
  CHECK(history.stop_reason.find("at epoch 1, step ") != std::string::npos);
  CHECK(counter.epochs.size() == 1);
}
