// restore_best puts back the model as it was at the best epoch: weights and buffers (batch
// norm's running statistics, which evaluation uses), as Keras' restore_best_weights restores
// every variable of the model, trainable or not.
#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/train/early_stop.hpp"
#include "runtime/train/early_stop_callback.hpp"
#include "runtime/train/patience_rule.hpp"
#include "runtime/train/stop_rules.hpp"

using regimen::Matrix;
using regimen::nn::Mode;
using regimen::nn::Model;
namespace nn = regimen::nn;
namespace train = regimen::train;

namespace {

// A training-mode forward pass moves the running statistics towards this batch's.
void train_batch(Model& model, float offset) {
  Matrix x(4, 3);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = offset + static_cast<float>(i % 5);
  model.forward(x, Mode::kTrain);
}

train::Metrics loss_of(double value) {
  train::Metrics metrics;
  metrics.set("val_loss", value);
  return metrics;
}

}  // namespace

TEST_CASE("Restore best: batch norm's running statistics come back with the weights", "[train]") {
  Model model({{"", std::make_shared<nn::Linear>(3, 2)}, {"", std::make_shared<nn::BatchNorm>(2)}});
  model.build(3, 1);
  train::EarlyStopOptions options;
  options.patience = 5;
  options.restore_best = true;
  train::EarlyStop rule(options);
  train::EarlyStopCallback callback(rule, model);

  train_batch(model, 1.0f);
  callback.on_epoch_end(0, loss_of(1.0));  // the best epoch: snapshot
  std::vector<float> best_buffers;
  model.read_buffers(best_buffers);
  const std::vector<float> best_weights(model.arena().values().begin(), model.arena().values().end());
  REQUIRE(best_buffers.size() == 4);  // running mean and variance of 2 features

  train_batch(model, 7.0f);
  model.arena().values()[0] += 1.0f;
  callback.on_epoch_end(1, loss_of(2.0));  // worse: no snapshot
  std::vector<float> moved;
  model.read_buffers(moved);
  REQUIRE(moved != best_buffers);

  callback.on_train_end("");
  std::vector<float> restored;
  model.read_buffers(restored);
  CHECK(restored == best_buffers);
  CHECK(std::vector<float>(model.arena().values().begin(), model.arena().values().end()) == best_weights);
}

TEST_CASE("Restore best: write_buffers rejects a wrong count", "[train]") {
  Model model({{"", std::make_shared<nn::BatchNorm>(2)}});
  model.build(2, 1);
  const std::vector<float> three(3, 0.0f);
  CHECK_THROWS_WITH(model.write_buffers(three), "model: 3 buffer values given, the model has 4");
}

TEST_CASE("Restore best: the list form of early_stop restores buffers too, and checkpoints them", "[train]") {
  Model model({{"", std::make_shared<nn::Linear>(3, 2)}, {"", std::make_shared<nn::BatchNorm>(2)}});
  model.build(3, 1);
  train::EarlyStopOptions options;
  options.patience = 5;
  options.restore_best = true;
  std::vector<std::shared_ptr<train::StopRule>> rules{std::make_shared<train::PatienceRule>(options)};
  train::StopRules stop(rules, model);

  train_batch(model, 1.0f);
  stop.on_epoch_end(0, loss_of(1.0));  // the best epoch: snapshot
  std::vector<float> best_buffers;
  model.read_buffers(best_buffers);
  train_batch(model, 7.0f);
  stop.on_epoch_end(1, loss_of(2.0));

  // A copy restored from the checkpoint state restores the same buffers.
  regimen::io::ByteWriter out;
  stop.save(out);
  const std::vector<std::byte> state = out.take();
  std::vector<std::shared_ptr<train::StopRule>> fresh{std::make_shared<train::PatienceRule>(options)};
  train::StopRules resumed(fresh, model);
  regimen::io::ByteReader in(state, "test");
  resumed.load(in);
  in.finish();

  stop.on_train_end("");
  std::vector<float> restored;
  model.read_buffers(restored);
  CHECK(restored == best_buffers);
  train_batch(model, 9.0f);
  resumed.on_train_end("");
  model.read_buffers(restored);
  CHECK(restored == best_buffers);
}
