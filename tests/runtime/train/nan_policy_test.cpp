// on_nan: the ladder's order, the loss-spike detector, and the trainer acting on each rung.
// Runs are linear regressions on y = 2x + 1 over n rows in batches of 10 (10 steps an epoch
// for 100 rows, no shuffling), so the step of a planted problem follows from its row.
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/error.hpp"
#include "runtime/loss/mse.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/train/nan_policy.hpp"
#include "runtime/train/trainer.hpp"

namespace train = regimen::train;
using regimen::Index;
using train::NanAction;

namespace {

// y = scale * (2x + 1); a NaN target at row `nan_row` (none when < 0).
std::shared_ptr<regimen::data::Table> line_table(Index n, float scale = 1.0f, Index nan_row = -1) {
  auto table = std::make_shared<regimen::data::Table>();
  table->features.resize(n, 1);
  table->targets.resize(n, 1);
  for (Index i = 0; i < n; ++i) {
    table->features(i, 0) = static_cast<float>(i) / static_cast<float>(n);
    table->targets(i, 0) = scale * (2.0f * table->features(i, 0) + 1.0f);
  }
  if (nan_row >= 0) table->targets(nan_row, 0) = std::numeric_limits<float>::quiet_NaN();
  table->source = "line";
  return table;
}

regimen::data::Dataset line(Index n, float scale = 1.0f, Index nan_row = -1) {
  return regimen::data::Dataset(line_table(n, scale, nan_row));
}

struct Fixture {
  regimen::nn::Model model{{{"fc", std::make_shared<regimen::nn::Linear>(1, 1)}}};
  regimen::loss::MeanSquaredError mse;
  regimen::optim::Sgd sgd{regimen::schedule::constant(0.1)};
  Fixture() { model.build(1, 3); }
  std::vector<float> weights() { return {model.arena().values().begin(), model.arena().values().end()}; }
};

train::TrainConfig config_with(std::vector<NanAction> ladder, int epochs) {
  train::TrainConfig config;
  config.epochs = epochs;
  config.batch_size = 10;
  config.shuffle = false;
  config.on_nan.actions = std::move(ladder);
  return config;
}

bool all_finite(const std::vector<float>& values) {
  for (const float v : values)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

TEST_CASE("NanPolicy: the k-th problem takes rung min(k, last)", "[train]") {
  train::NanPolicy policy({{NanAction::kSkip, NanAction::kHalveLr, NanAction::kRollback, NanAction::kStop}, {}});
  CHECK(policy.next() == NanAction::kSkip);
  CHECK(policy.next() == NanAction::kHalveLr);
  CHECK(policy.next() == NanAction::kRollback);
  CHECK(policy.next() == NanAction::kStop);
  CHECK(policy.next() == NanAction::kStop);
  CHECK(policy.problems() == 5);

  train::NanPolicy skip_only({{NanAction::kSkip}, {}});
  for (int i = 0; i < 3; ++i) CHECK(skip_only.next() == NanAction::kSkip);
}

TEST_CASE("NanPolicy: names, a repeated action, loss_spike's checks", "[train]") {
  CHECK(train::parse_nan_action("halve_lr") == NanAction::kHalveLr);
  CHECK_FALSE(train::parse_nan_action("halve").has_value());
  CHECK(train::nan_action_names() == std::vector<std::string>{"skip", "halve_lr", "rollback", "stop"});
  CHECK_THROWS_WITH(train::NanPolicy({{NanAction::kSkip, NanAction::kSkip}, {}}), "on_nan: 'skip' is given twice");
  CHECK_THROWS_WITH(train::NanPolicy({{}, 10.0}), "loss_spike needs on_nan, the ladder a spike climbs");
  CHECK_THROWS_WITH(train::NanPolicy({{NanAction::kStop}, 1.0}), "loss_spike must be > 1, got 1");
  CHECK_FALSE(train::NanPolicy({}).active());
}

TEST_CASE("NanPolicy: each rung is reported once", "[train]") {
  train::NanPolicy policy({{NanAction::kSkip, NanAction::kStop}, {}});
  CHECK(policy.report(57, "loss is nan", NanAction::kSkip, "skipped the update") ==
        "on_nan: step 57: loss is nan; skipped the update (1 of 2 actions)");
  CHECK(policy.report(58, "loss is nan", NanAction::kSkip, "skipped the update").empty());
  CHECK(policy.report(59, "loss is inf", NanAction::kStop, "stopped the run") ==
        "on_nan: step 59: loss is inf; stopped the run (2 of 2 actions)");
}

TEST_CASE("SpikeDetector: 10x the median of the last 50 losses, from the 20th on", "[train]") {
  train::SpikeDetector spikes(10.0);
  for (int i = 1; i <= 19; ++i) spikes.add(1.0);
  CHECK_FALSE(spikes.is_spike(1e9));  // 19 losses: too few to judge
  spikes.add(3.0);
  // Window {1 x19, 3}: the median of 20 values is the mean of the 10th and 11th smallest = 1.
  CHECK(spikes.median() == 1.0);
  CHECK_FALSE(spikes.is_spike(10.0));  // not greater than 10 x 1
  CHECK(spikes.is_spike(10.5));
  // 50 losses of 4 push every earlier one out of the window: the median is 4.
  for (int i = 0; i < 50; ++i) spikes.add(4.0);
  CHECK(spikes.median() == 4.0);
  CHECK_FALSE(spikes.is_spike(40.0));
  CHECK(spikes.is_spike(41.0));
  // An odd count: {4 x49, 100} then 1 more 100 -> {4 x48, 100, 100}; sorted middle pair is 4, 4.
  spikes.add(100.0);
  CHECK(spikes.median() == 4.0);
  CHECK_THROWS_WITH(train::SpikeDetector(0.5), "loss_spike must be > 1, got 0.5");
}

TEST_CASE("NanPolicy: save and load keep the place on the ladder, the factor and the window", "[train]") {
  train::NanPolicy policy({{NanAction::kSkip, NanAction::kHalveLr}, 5.0});
  for (int i = 0; i < 25; ++i) policy.accept(2.0);
  policy.next();
  policy.next();
  policy.halve_lr();
  CHECK_FALSE(policy.report(3, "loss is nan", NanAction::kHalveLr, "halved").empty());
  regimen::io::ByteWriter out;
  policy.save(out);
  const std::vector<std::byte> bytes = out.take();

  train::NanPolicy restored({{NanAction::kSkip, NanAction::kHalveLr}, 5.0});
  regimen::io::ByteReader in(bytes, "test");
  restored.load(in);
  in.finish();
  CHECK(restored.problems() == 2);
  CHECK(restored.lr_factor() == 0.5);
  CHECK(restored.is_spike(10.5));  // 5 x median 2 = 10
  CHECK(restored.report(9, "loss is nan", NanAction::kHalveLr, "halved").empty());

  train::NanPolicy other({{NanAction::kStop}, {}});
  regimen::io::ByteReader again(bytes, "test");
  CHECK_THROWS_AS(other.load(again), regimen::DataError);
}

TEST_CASE("Trainer on_nan: skip, then halve the lr, then stop, on a NaN target", "[train]") {
  Fixture f;
  std::ostringstream warnings;
  // Row 55 is in batch 6 of every epoch: 5 good steps precede it in epoch 1, so it is step 6.
  train::Trainer trainer(f.model, f.mse, f.sgd,
                         config_with({NanAction::kSkip, NanAction::kHalveLr, NanAction::kStop}, 3));
  trainer.set_warnings(&warnings);
  // Epoch 2: 9 + 5 steps before it (step 15); epoch 3: 18 + 5 (step 24).
  CHECK_THROWS_WITH(trainer.fit(line(100, 1.0f, 55), nullptr),
                    "on_nan: step 24: loss is nan (every parameter is finite); stopped the run (3 of 3 actions)");
  CHECK(warnings.str() ==
        "on_nan: step 6: loss is nan; skipped the update (1 of 3 actions)\n"
        "on_nan: step 15: loss is nan; skipped the update and halved the learning rate (x0.5 from now on) "
        "(2 of 3 actions)\n");
  CHECK(all_finite(f.weights()));
  CHECK(f.sgd.lr_scale() == 0.5);
  CHECK(f.sgd.current_lr() == 0.05);
  CHECK(f.sgd.steps() == 23);  // the skipped batches made no update
}

TEST_CASE("Trainer on_nan: an update that overflows the weights is undone", "[train]") {
  Fixture f;
  f.sgd.set_lr(regimen::schedule::constant(1e30));  // every update overflows (targets ~1e20)
  const std::vector<float> before = f.weights();
  std::ostringstream warnings;
  train::Trainer trainer(f.model, f.mse, f.sgd, config_with({NanAction::kSkip}, 2));
  trainer.set_warnings(&warnings);
  const train::History history = trainer.fit(line(100, 1e20f), nullptr);
  CHECK(history.steps == 0);
  CHECK(f.weights() == before);  // finite: each update was taken back
  CHECK(warnings.str().rfind("on_nan: step 1: the update made fc.", 0) == 0);
  CHECK(warnings.str().find(" (undone); skipped the update (1 of 1 actions)\n") != std::string::npos);
}

TEST_CASE("Trainer on_nan: stop names the tensor the update broke", "[train]") {
  Fixture f;
  f.sgd.set_lr(regimen::schedule::constant(1e30));
  train::Trainer trainer(f.model, f.mse, f.sgd, config_with({NanAction::kStop}, 1));
  // Parameters in arena order: fc.weight first; its gradient -2 mean((y - yhat) x) times 1e30
  // overflows float with targets of 1e20.
  CHECK_THROWS_WITH(trainer.fit(line(100, 1e20f), nullptr),
                    Catch::Matchers::StartsWith("on_nan: step 1: the update made fc.weight ") &&
                        Catch::Matchers::EndsWith(" (undone); stopped the run (1 of 1 actions)"));
}

TEST_CASE("Trainer on_nan: rollback restores the epoch-start state, optimizer steps included", "[train]") {
  Fixture f;
  const std::vector<float> initial = f.weights();
  std::ostringstream warnings;
  train::Trainer trainer(f.model, f.mse, f.sgd, config_with({NanAction::kRollback}, 1));
  trainer.set_warnings(&warnings);
  const train::History history = trainer.fit(line(100, 1.0f, 55), nullptr);
  CHECK(warnings.str() ==
        "on_nan: step 6: loss is nan; rolled back to the weights, buffers and optimizer state after step 0 "
        "(1 of 1 actions)\n");
  CHECK(history.steps == 9);
  CHECK(f.sgd.steps() == 4);  // rewound to 0 at the problem, then batches 7..10
  CHECK(f.weights() != initial);
}

TEST_CASE("Trainer on_nan: the lr factor survives a checkpoint", "[train]") {
  Fixture a;
  train::Trainer first(a.model, a.mse, a.sgd, config_with({NanAction::kSkip, NanAction::kHalveLr}, 2));
  first.fit(line(100, 1.0f, 55), nullptr);  // skip in epoch 1, halve in epoch 2
  REQUIRE(a.sgd.lr_scale() == 0.5);
  const regimen::io::CheckpointSections state = first.save_state();

  Fixture b;
  std::ostringstream warnings;
  train::Trainer second(b.model, b.mse, b.sgd, config_with({NanAction::kSkip, NanAction::kHalveLr}, 3));
  second.set_warnings(&warnings);
  second.resume(state, "a.ckpt");
  second.fit(line(100, 1.0f, 55), nullptr);  // epoch 3: the last rung again, not reported again
  CHECK(b.sgd.lr_scale() == 0.25);
  CHECK(warnings.str().empty());
}

TEST_CASE("Trainer on_nan: a loss spike climbs the ladder", "[train]") {
  Fixture f;
  std::ostringstream warnings;
  train::TrainConfig config = config_with({NanAction::kSkip}, 4);
  config.on_nan.loss_spike = 10.0;
  train::Trainer trainer(f.model, f.mse, f.sgd, config);
  trainer.set_warnings(&warnings);
  trainer.fit(line(100), nullptr);
  CHECK(warnings.str().empty());  // a run that converges has no spike

  // Row 95 a hundred times off: its batch is a spike once 20 steps are known (epoch 3, step 30).
  auto table = line_table(100);
  table->targets(95, 0) = 100.0f;
  Fixture g;
  train::Trainer spiky(g.model, g.mse, g.sgd, config);
  spiky.set_warnings(&warnings);
  spiky.fit(regimen::data::Dataset(table), nullptr);
  CHECK_THAT(warnings.str(), Catch::Matchers::StartsWith("on_nan: step 30: loss ") &&
                                 Catch::Matchers::Contains(" is over 10 times the running median "));
}
