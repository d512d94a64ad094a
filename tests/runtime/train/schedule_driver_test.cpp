// Scheduled hyperparameters in the training loop: the planned run length (accumulation and a
// scheduled batch size counted right), the stateful schedules fed by the trainer, a scheduled
// dropout p and momentum, and step-numbered failures. Oracles: closed forms of the plan, and a
// fresh Plateau fed the metrics the run recorded.
#include "runtime/train/schedule_driver.hpp"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/error.hpp"
#include "runtime/loss/mse.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/relu.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/random.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/deferred.hpp"
#include "runtime/schedule/hypergradient.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/piecewise.hpp"
#include "runtime/schedule/plateau.hpp"
#include "runtime/train/trainer.hpp"

namespace nn = regimen::nn;
namespace train = regimen::train;
namespace sched = regimen::schedule;
using regimen::Index;
using regimen::InvalidArgument;

namespace {

regimen::data::Dataset regression(Index n, std::uint64_t seed) {
  auto table = std::make_shared<regimen::data::Table>();
  table->features.resize(n, 2);
  table->targets.resize(n, 1);
  regimen::Random rng(seed);
  for (Index i = 0; i < n; ++i) {
    const float a = static_cast<float>(2.0 * rng.uniform() - 1.0), b = static_cast<float>(2.0 * rng.uniform() - 1.0);
    table->features(i, 0) = a;
    table->features(i, 1) = b;
    table->targets(i, 0) = 1.5f * a - b * b + 0.25f;
  }
  table->source = "regression";
  return regimen::data::Dataset(table);
}

std::shared_ptr<nn::Model> mlp(std::shared_ptr<nn::Dropout> dropout = std::make_shared<nn::Dropout>(0.0)) {
  auto model = std::make_shared<nn::Model>(std::vector<nn::NamedLayer>{{"", std::make_shared<nn::Linear>(2, 8)},
                                                                       {"", std::make_shared<nn::ReLU>()},
                                                                       {"", dropout},
                                                                       {"", std::make_shared<nn::Linear>(8, 1)}});
  model->build(2, 7);
  return model;
}

train::TrainConfig config(int epochs, Index batch_size, int accumulate = 1) {
  train::TrainConfig c;
  c.epochs = epochs;
  c.batch_size = batch_size;
  c.accumulate = accumulate;
  c.seed = 3;
  return c;
}

// A learning rate that turns negative at step 3 (no factory would build one).
struct GoesNegative final : sched::Schedule {
  double operator()(double t) const override { return t < 3 ? 0.1 : -0.5; }
  std::string describe() const override { return "goes_negative"; }
};

}  // namespace

TEST_CASE("ScheduleDriver: the plan counts optimizer updates", "[train]") {
  // 100 samples in batches of 16: 7 batches; accumulated 3 at a time: 3 updates per epoch.
  CHECK(train::plan_run(100, config(4, 16)) == sched::RunLength::uniform(7, 4));
  CHECK(train::plan_run(100, config(4, 16, 3)) == sched::RunLength::uniform(3, 4));
  CHECK(train::plan_run(96, config(2, 16, 2)) == sched::RunLength::uniform(3, 2));
  CHECK(train::plan_run(100, config(0, 16)).steps_per_epoch() == 7);
  // A scheduled batch size, by epoch: 16 for epochs 0-1, then 50 (2 batches).
  train::TrainConfig c = config(4, 16);
  c.batch_size_schedule = sched::piecewise({1}, {16, 50});
  CHECK(train::plan_run(100, c) == sched::RunLength::of_epochs({7, 7, 2, 2}, 7));
  CHECK(train::batch_size_at(c, 3) == 50);
  c.batch_size_schedule = sched::linear(2, 0, 4);  // 2, 1.5, 1, 0.5 -> 2, 2, 1, then too small
  CHECK(train::batch_size_at(c, 1) == 2);
  CHECK_THROWS_MATCHES(train::batch_size_at(c, 4), InvalidArgument,
                       Catch::Message("batch_size must be >= 1, got 0 at epoch 4"));
}

TEST_CASE("ScheduleDriver: a scheduled batch size sets every epoch's steps", "[train]") {
  auto model = mlp();
  regimen::optim::Sgd sgd(sched::constant(0.01));
  regimen::loss::MeanSquaredError mse;
  train::TrainConfig c = config(3, 16);
  c.batch_size_schedule = sched::piecewise({0}, {16, 40});  // 16 at epoch 0, then 40
  train::Trainer trainer(*model, mse, sgd, c);
  train::Progress progress;
  trainer.set_progress(&progress);
  const auto history = trainer.fit(regression(80, 1), nullptr);
  CHECK(sgd.steps() == 5 + 2 + 2);
  CHECK(sgd.steps() == train::plan_run(80, c).total_steps());
  CHECK(progress.step == 9);
  CHECK(progress.epoch == 2);
  CHECK_FALSE(progress.running);
  CHECK(progress.metrics.get("loss") == history.epochs.back().get("loss"));
  CHECK(progress.metrics_version == 3);
}

TEST_CASE("ScheduleDriver: a plateau is fed the monitored metric at every epoch end", "[train]") {
  auto model = mlp();
  const sched::PlateauOptions options{.lr = 0.05, .factor = 0.5, .patience = 0, .threshold = 0.5};
  auto state = std::make_shared<sched::Plateau>(options);
  regimen::optim::Sgd sgd(sched::plateau(state));
  regimen::loss::MeanSquaredError mse;
  train::Trainer trainer(*model, mse, sgd, config(6, 16));
  const regimen::data::Dataset validation = regression(32, 2);
  const auto history = trainer.fit(regression(64, 1), &validation);
  sched::Plateau oracle(options);
  for (const auto& epoch : history.epochs) oracle.observe(*epoch.get("val_loss"));
  CHECK(state->state() == oracle.state());
  CHECK(state->lr() < 0.05);  // a threshold of 50% makes most epochs "bad"
}

TEST_CASE("ScheduleDriver: a plateau without its metric stops the run", "[train]") {
  auto model = mlp();
  regimen::optim::Sgd sgd(sched::plateau(sched::PlateauOptions{.lr = 0.05}));
  regimen::loss::MeanSquaredError mse;
  train::Trainer trainer(*model, mse, sgd, config(2, 16));
  CHECK_THROWS_MATCHES(trainer.fit(regression(64, 1), nullptr), InvalidArgument,
                       Catch::Message("plateau: monitor 'val_loss' is not a metric of this run"));
}

TEST_CASE("ScheduleDriver: a hypergradient sees every update's gradient", "[train]") {
  auto model = mlp();
  auto state = std::make_shared<sched::Hypergradient>(0.01, 1e-3);
  regimen::optim::Sgd sgd(sched::hypergradient(state));
  regimen::loss::MeanSquaredError mse;
  train::Trainer trainer(*model, mse, sgd, config(2, 16, 2));
  trainer.fit(regression(64, 1), nullptr);
  // {lr, g_prev...}: one number per parameter once a gradient was seen.
  CHECK(state->state().size() == 1 + model->arena().values().size());
  CHECK(state->lr() != 0.01);
}

TEST_CASE("ScheduleDriver: a scheduled dropout p follows the optimizer's step", "[train]") {
  auto dropout = std::make_shared<nn::Dropout>(0.0);
  dropout->set_schedule(sched::linear(0.5, 0.0, 10));
  auto model = mlp(dropout);
  regimen::optim::Sgd sgd(sched::constant(0.01));
  regimen::loss::MeanSquaredError mse;
  train::Trainer trainer(*model, mse, sgd, config(2, 16));
  trainer.fit(regression(64, 1), nullptr);
  CHECK(sgd.steps() == 8);
  // Set before the last step, t = 7.
  CHECK_THAT(dropout->p(), Catch::Matchers::WithinRel(0.5 - 0.05 * 7, 1e-12));
  CHECK(dropout->describe() == "dropout(p=linear(from=0.5, to=0, steps=10))");

  dropout->set_schedule(sched::linear(0.5, 2.0, 4));  // reaches 1 at t = 1.33
  regimen::optim::Sgd again(sched::constant(0.01));
  train::Trainer failing(*model, mse, again, config(1, 16));
  CHECK_THROWS_MATCHES(failing.fit(regression(64, 1), nullptr), InvalidArgument,
                       Catch::Message("dropout: p must be in [0, 1), got 1.25 at step 2"));
}

TEST_CASE("Optimizer: a scheduled momentum is set before every step", "[train][optim]") {
  regimen::optim::Sgd sgd(sched::constant(0.1));
  sgd.schedule_option("momentum", sched::linear(0.5, 0.9, 4));
  CHECK(sgd.option("momentum") == 0.5);
  CHECK(sgd.scheduled_options().size() == 1);
  std::vector<float> p{1.0f, 2.0f}, g{0.5f, -0.5f};
  for (int i = 0; i < 3; ++i) sgd.step(p, g);
  CHECK_THAT(*sgd.option("momentum"), Catch::Matchers::WithinRel(0.7, 1e-12));  // set for step 2
  CHECK(sgd.schedulable_options() == std::vector<std::string>{"momentum", "weight_decay"});
  CHECK_THROWS_MATCHES(sgd.schedule_option("dampening", sched::constant(0.1)), InvalidArgument,
                       Catch::Message("'dampening' cannot follow a schedule (momentum, weight_decay can)"));
  // Evaluated now (step 3), and so at every step.
  CHECK_THROWS_MATCHES(sgd.schedule_option("momentum", std::make_shared<GoesNegative>()), InvalidArgument,
                       Catch::Message("momentum must be >= 0, got -0.5 at step 3"));
}

TEST_CASE("Optimizer: a learning rate gone negative names the step", "[train][optim]") {
  regimen::optim::Sgd sgd(std::make_shared<GoesNegative>());
  std::vector<float> p{1.0f}, g{1.0f};
  for (int i = 0; i < 3; ++i) sgd.step(p, g);
  CHECK_THROWS_MATCHES(sgd.step(p, g), InvalidArgument, Catch::Message("lr must be >= 0, got -0.5 at step 3"));
  CHECK(sgd.steps() == 3);
}

TEST_CASE("ScheduleDriver: prepare_schedules builds lengths in epochs for the plan", "[train]") {
  auto model = mlp();
  const auto deferred = std::make_shared<sched::Deferred>(
      "linear(steps='2 epochs')", "pending", std::vector<sched::SchedulePtr>{},
      [](const sched::RunLength& run) { return sched::linear(0.1, 0.0, 2 * run.steps_per_epoch()); });
  regimen::optim::Sgd sgd(deferred);
  train::TrainConfig c = config(4, 16, 2);
  const auto run = train::prepare_schedules(*model, sgd, c, 100);  // 7 batches, 4 updates per epoch
  CHECK(run == sched::RunLength::uniform(4, 4));
  CHECK(deferred->describe() == "linear(from=0.1, to=0, steps=8)");
  CHECK(train::run_schedules(*model, sgd, c).size() == 1);
}
