// The update path of the training loop: gradient accumulation, per-layer penalties and
// constraints, clipping and the weight average. Each expectation is an oracle independent of the
// feature under test: a run without it, or a closed form of the formula.
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/error.hpp"
#include "runtime/loss/mse.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/nn/relu.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/random.hpp"
#include "runtime/regularize/clip_norm.hpp"
#include "runtime/regularize/l1.hpp"
#include "runtime/regularize/l2.hpp"
#include "runtime/regularize/max_norm.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/train/trainer.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
namespace nn = regimen::nn;
namespace train = regimen::train;
namespace regularize = regimen::regularize;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;

namespace {

constexpr Index kFeatures = 4;

// n samples of a smooth two-output regression, features in [-1, 1].
regimen::data::Dataset regression(Index n, std::uint64_t seed = 3) {
  auto table = std::make_shared<regimen::data::Table>();
  table->features.resize(n, kFeatures);
  table->targets.resize(n, 2);
  regimen::Random rng(seed);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < kFeatures; ++j) table->features(i, j) = static_cast<float>(2.0 * rng.uniform() - 1.0);
    const auto x = table->features.row(i);
    table->targets(i, 0) = 1.5f * x(0) - 0.5f * x(1) * x(2) + 0.25f;
    table->targets(i, 1) = std::sin(2.0f * x(3)) + x(0) * x(0);
  }
  table->source = "regression";
  return regimen::data::Dataset(table);
}

// fc1 (4 -> 6), relu, fc2 (6 -> 2); fc1 gets the given penalty and constraint.
std::shared_ptr<nn::Model> mlp(std::shared_ptr<const regularize::Regularizer> regularizer = nullptr,
                               std::shared_ptr<const regularize::Constraint> constraint = nullptr) {
  auto fc1 = std::make_shared<nn::Linear>(kFeatures, 6);
  fc1->set_regularizer(std::move(regularizer));
  fc1->set_constraint(std::move(constraint));
  auto model = std::make_shared<nn::Model>(std::vector<nn::NamedLayer>{
      {"", fc1}, {"", std::make_shared<nn::ReLU>()}, {"", std::make_shared<nn::Linear>(6, 2)}});
  model->build(kFeatures, 11);
  return model;
}

std::vector<float> tensor(const nn::Model& model, const std::string& name) {
  const auto& arena = model.arena();
  for (std::size_t i = 0; i < arena.parameters().size(); ++i) {
    if (arena.parameters()[i].name != name) continue;
    const auto value = arena.value(i);
    return std::vector<float>(value.data(), value.data() + value.size());
  }
  FAIL("no parameter " << name);
  return {};
}

std::vector<float> all_values(const nn::Model& model) {
  const auto values = model.arena().values();
  return {values.begin(), values.end()};
}

// Records the model's weights as the callbacks see them after every epoch.
struct Recorder : train::Callback {
  explicit Recorder(const nn::Model& m) : model(m) {}
  bool on_epoch_end(int /*epoch*/, const train::Metrics& /*metrics*/) override {
    seen.push_back(all_values(model));
    return false;
  }
  const nn::Model& model;
  std::vector<std::vector<float>> seen;
};

struct Run {
  std::shared_ptr<nn::Model> model;
  std::unique_ptr<regimen::optim::Sgd> sgd;
  regimen::loss::MeanSquaredError mse;
  std::unique_ptr<train::Trainer> trainer;

  Run(std::shared_ptr<nn::Model> m, double lr, train::TrainConfig config) : model(std::move(m)) {
    sgd = std::make_unique<regimen::optim::Sgd>(regimen::schedule::constant(lr));
    trainer = std::make_unique<train::Trainer>(*model, mse, *sgd, config);
  }
};

train::TrainConfig config(int epochs, Index batch_size, int accumulate = 1, bool shuffle = true) {
  train::TrainConfig c;
  c.epochs = epochs;
  c.batch_size = batch_size;
  c.seed = 5;
  c.shuffle = shuffle;
  c.accumulate = accumulate;
  return c;
}

void check_same(const std::vector<float>& actual, const std::vector<float>& expected, double abs) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("element " << i);
    CHECK_THAT(actual[i], WithinAbs(expected[i], abs));
  }
}

}  // namespace

TEST_CASE("Trainer: accumulate = k over batches of b takes the update of one batch of k*b", "[train]") {
  const auto data = regression(24);
  Run big(mlp(), 0.1, config(1, 24));
  Run accumulated(mlp(), 0.1, config(1, 6, 4));
  REQUIRE(all_values(*big.model) == all_values(*accumulated.model));
  const auto big_history = big.trainer->fit(data, nullptr);
  const auto accumulated_history = accumulated.trainer->fit(data, nullptr);
  CHECK(big.sgd->steps() == 1);
  CHECK(accumulated.sgd->steps() == 1);
  check_same(all_values(*accumulated.model), all_values(*big.model), 1e-6);
  CHECK_THAT(*accumulated_history.epochs[0].get("loss"), WithinRel(*big_history.epochs[0].get("loss"), 1e-6));
}

TEST_CASE("Trainer: a shorter last group steps with its own count, steps count updates", "[train]") {
  // 5 batches of 6 in groups of 2: updates on 12, 12 and 6 samples, as batch_size 12 takes.
  const auto data = regression(30);
  Run big(mlp(), 0.05, config(2, 12));
  Run accumulated(mlp(), 0.05, config(2, 6, 2));
  big.trainer->fit(data, nullptr);
  accumulated.trainer->fit(data, nullptr);
  CHECK(accumulated.sgd->steps() == 6);
  CHECK(big.sgd->steps() == 6);
  check_same(all_values(*accumulated.model), all_values(*big.model), 1e-5);
}

TEST_CASE("Trainer: a layer's regularizer penalizes that layer's weight only", "[train]") {
  const double c = 0.05;
  const double lr = 0.1;
  const auto data = regression(8);
  Run plain(mlp(), lr, config(1, 8));
  Run penalized(mlp(std::make_shared<regularize::L2>(c)), lr, config(1, 8));
  const std::vector<float> w0 = tensor(*penalized.model, "fc1.weight");
  const auto plain_history = plain.trainer->fit(data, nullptr);
  const auto penalized_history = penalized.trainer->fit(data, nullptr);

  // One SGD step: the extra gradient 2cw moves fc1.weight by -lr * 2c * w0, nothing else moves.
  std::vector<float> expected = tensor(*plain.model, "fc1.weight");
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] -= static_cast<float>(lr * 2 * c * w0[i]);
  check_same(tensor(*penalized.model, "fc1.weight"), expected, 1e-6);
  CHECK(tensor(*penalized.model, "fc1.bias") == tensor(*plain.model, "fc1.bias"));
  CHECK(tensor(*penalized.model, "fc2.weight") == tensor(*plain.model, "fc2.weight"));
  CHECK(tensor(*penalized.model, "fc2.bias") == tensor(*plain.model, "fc2.bias"));

  // The reported loss includes the penalty of the weights the batch was computed with.
  double penalty = 0;
  for (float w : w0) penalty += c * static_cast<double>(w) * w;
  CHECK_THAT(*penalized_history.epochs[0].get("loss"),
             WithinRel(*plain_history.epochs[0].get("loss") + penalty, 1e-9));
}

TEST_CASE("Trainer: a layer's regularizer adds to the model-wide one", "[train]") {
  const double lr = 0.1;
  const auto data = regression(8);
  Run model_only(mlp(), lr, config(1, 8));
  Run both(mlp(std::make_shared<regularize::L1>(0.02)), lr, config(1, 8));
  model_only.trainer->set_regularizer(std::make_shared<regularize::L2>(0.05));
  both.trainer->set_regularizer(std::make_shared<regularize::L2>(0.05));
  const std::vector<float> w0 = tensor(*both.model, "fc1.weight");
  model_only.trainer->fit(data, nullptr);
  both.trainer->fit(data, nullptr);
  std::vector<float> expected = tensor(*model_only.model, "fc1.weight");
  for (std::size_t i = 0; i < expected.size(); ++i)
    expected[i] -= static_cast<float>(lr * 0.02 * ((w0[i] > 0) - (w0[i] < 0)));
  check_same(tensor(*both.model, "fc1.weight"), expected, 1e-6);
  CHECK(tensor(*both.model, "fc2.weight") == tensor(*model_only.model, "fc2.weight"));
}

TEST_CASE("Trainer: max_norm holds after every step, on its layer only", "[train]") {
  const double c = 0.5;
  const auto data = regression(8);
  // One batch per epoch, so the callback sees the weights after every step.
  Run run(mlp(nullptr, std::make_shared<regularize::MaxNorm>(c)), 0.5, config(6, 8));
  const auto& infos = run.model->arena().parameters();
  std::size_t fc1 = infos.size();
  std::size_t fc2 = infos.size();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (infos[i].name == "fc1.weight") fc1 = i;
    if (infos[i].name == "fc2.weight") fc2 = i;
  }
  REQUIRE(fc2 < infos.size());
  struct NormCheck : train::Callback {
    NormCheck(nn::Model& m, std::size_t h) : model(m), handle(h) {}
    bool on_epoch_end(int /*epoch*/, const train::Metrics& /*metrics*/) override {
      const Matrix w = model.arena().value(handle);
      norms.push_back(w.colwise().norm().maxCoeff());
      return false;
    }
    nn::Model& model;
    std::size_t handle;
    std::vector<double> norms;
  };
  NormCheck fc1_norms(*run.model, fc1);
  NormCheck fc2_norms(*run.model, fc2);
  run.trainer->add_callback(fc1_norms);
  run.trainer->add_callback(fc2_norms);
  run.trainer->fit(data, nullptr);
  REQUIRE(fc1_norms.norms.size() == 6);
  for (double norm : fc1_norms.norms) CHECK(norm <= c * (1 + 1e-6));
  CHECK_THAT(fc1_norms.norms.back(), WithinRel(c, 1e-5));  // the bound was reached, not just respected
  CHECK(fc2_norms.norms.back() > c);                       // fc2 has no constraint
}

TEST_CASE("Trainer: clip.norm bounds the whole update, penalty gradient included", "[train]") {
  const double lr = 0.1;
  const double max = 0.05;
  const auto data = regression(8);
  Run run(mlp(std::make_shared<regularize::L2>(2.0)), lr, config(1, 8));
  run.trainer->set_gradient_clip(std::make_shared<regularize::ClipNorm>(max));
  const std::vector<float> before = all_values(*run.model);
  run.trainer->fit(data, nullptr);
  const std::vector<float> after = all_values(*run.model);
  double step = 0;
  for (std::size_t i = 0; i < before.size(); ++i) step += std::pow(static_cast<double>(after[i]) - before[i], 2);
  // SGD moves by lr * g; the clipped g has norm max * n / (n + 1e-6), i.e. max to 1e-6 here.
  CHECK_THAT(std::sqrt(step) / lr, WithinRel(max, 1e-4));
}

TEST_CASE("Trainer: ema follows d * ema + (1 - d) * w and is what evaluation and the end see", "[train]") {
  const double d = 0.6;
  const int epochs = 5;
  const auto data = regression(8);
  const auto validation = regression(6, 9);
  // One step per epoch: the plain run's callback sees every iterate w_1..w_5.
  Run plain(mlp(), 0.2, config(epochs, 8));
  auto ema_config = config(epochs, 8);
  ema_config.ema = d;
  Run averaged(mlp(), 0.2, ema_config);
  Recorder iterates(*plain.model);
  Recorder seen(*averaged.model);
  plain.trainer->add_callback(iterates);
  averaged.trainer->add_callback(seen);
  const std::vector<float> w0 = all_values(*plain.model);
  std::vector<double> ema(w0.begin(), w0.end());
  const auto plain_history = plain.trainer->fit(data, &validation);
  const auto averaged_history = averaged.trainer->fit(data, &validation);

  REQUIRE(seen.seen.size() == static_cast<std::size_t>(epochs));
  for (int e = 0; e < epochs; ++e) {
    INFO("epoch " << e);
    for (std::size_t i = 0; i < ema.size(); ++i) ema[i] = d * ema[i] + (1 - d) * iterates.seen[e][i];
    check_same(seen.seen[e], std::vector<float>(ema.begin(), ema.end()), 1e-6);
    // Training itself is unchanged: it runs on the iterates, swapped back after evaluation.
    CHECK(*averaged_history.epochs[e].get("loss") == *plain_history.epochs[e].get("loss"));
  }
  // The final weights are the average, and val_loss was measured with it.
  CHECK(all_values(*averaged.model) == seen.seen.back());
  CHECK(*averaged.trainer->evaluate(validation).get("loss") == *averaged_history.epochs.back().get("val_loss"));
  CHECK(*averaged_history.epochs.back().get("val_loss") != *plain_history.epochs.back().get("val_loss"));
}

TEST_CASE("Trainer: rejects accumulate < 1 and ema outside 0 <= ema < 1", "[train]") {
  auto model = mlp();
  regimen::loss::MeanSquaredError mse;
  regimen::optim::Sgd sgd(regimen::schedule::constant(0.1));
  CHECK_THROWS_MATCHES(train::Trainer(*model, mse, sgd, config(1, 8, 0)), InvalidArgument,
                       Catch::Message("accumulate must be >= 1, got 0"));
  auto bad_ema = config(1, 8);
  bad_ema.ema = 1.0;
  CHECK_THROWS_MATCHES(train::Trainer(*model, mse, sgd, bad_ema), InvalidArgument,
                       Catch::Message("ema must be in [0, 1), got 1"));
}
