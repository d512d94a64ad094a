// Resuming from a checkpoint continues a run bit-identically. The oracle is the uninterrupted
// run itself: a run resumed from any checkpoint (an epoch's end or mid-epoch) must end with the
// same weight bytes, the same buffers and the same metrics history, for a model whose state
// reaches into every corner a checkpoint must cover: dropout's random stream, batch norm's
// running statistics, Adam's moments, a plateau schedule's state, the weight average (ema),
// early stopping's counters and best-weights copy, and the partial epoch's metric counters.
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/error.hpp"
#include "runtime/loss/cross_entropy.hpp"
#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/nn/relu.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/random.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/plateau.hpp"
#include "runtime/train/checkpointer.hpp"
#include "runtime/train/early_stop_callback.hpp"
#include "runtime/train/trainer.hpp"
#include "support/temp_dir.hpp"

namespace nn = regimen::nn;
namespace train = regimen::train;
using regimen::Index;

namespace {

// n samples of 3 classes by the sign pattern of two of 4 noisy features.
regimen::data::Dataset blobs(Index n, std::uint64_t seed) {
  auto table = std::make_shared<regimen::data::Table>();
  table->features.resize(n, 4);
  table->targets.resize(n, 1);
  table->classes = 3;
  regimen::Random rng(seed);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < 4; ++j) table->features(i, j) = static_cast<float>(2.0 * rng.uniform() - 1.0);
    const float a = table->features(i, 0), b = table->features(i, 1);
    table->targets(i, 0) = a + b > 0.5f ? 2.0f : (a - b > 0.0f ? 1.0f : 0.0f);
  }
  table->source = "blobs";
  return regimen::data::Dataset(table);
}

// One complete training setup; `epochs` and the checkpoint policy vary.
struct Setup {
  std::shared_ptr<nn::Model> model;
  regimen::loss::CrossEntropy loss;
  std::unique_ptr<regimen::optim::Adam> optimizer;
  train::EarlyStop early_stop{train::EarlyStopOptions{"val_loss", "auto", 0.0, 100, std::nullopt, true, 0}};
  std::optional<train::EarlyStopCallback> early_stop_callback;
  std::unique_ptr<train::Trainer> trainer;
  regimen::data::Dataset data = blobs(100, 5);
  regimen::data::Dataset validation = blobs(40, 6);

  explicit Setup(int epochs) {
    model = std::make_shared<nn::Model>(std::vector<nn::NamedLayer>{
        {"", std::make_shared<nn::Linear>(4, 8)},
        {"", std::make_shared<nn::BatchNorm>(8)},
        {"", std::make_shared<nn::ReLU>()},
        {"", std::make_shared<nn::Dropout>(0.3)},
        {"", std::make_shared<nn::Linear>(8, 3)},
    });
    model->build(4, 11);
    regimen::schedule::PlateauOptions plateau;
    plateau.lr = 0.05;
    plateau.patience = 0;
    plateau.factor = 0.5;
    optimizer = std::make_unique<regimen::optim::Adam>(regimen::schedule::plateau(plateau), regimen::optim::AdamOptions{});
    train::TrainConfig config;
    config.epochs = epochs;
    config.batch_size = 16;
    config.seed = 3;
    config.ema = 0.9;
    trainer = std::make_unique<train::Trainer>(*model, loss, *optimizer, config);
    trainer->add_callback(early_stop_callback.emplace(early_stop, *model));
  }

  train::History fit() { return trainer->fit(data, &validation); }

  std::vector<float> weights() const {
    std::vector<float> all(model->arena().values().begin(), model->arena().values().end());
    for (const nn::Buffer& buffer : model->buffers())
      all.insert(all.end(), buffer.value->data(), buffer.value->data() + buffer.value->size());
    return all;
  }
};

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void require_same_history(const train::History& a, const train::History& b) {
  REQUIRE(a.epochs.size() == b.epochs.size());
  for (std::size_t e = 0; e < a.epochs.size(); ++e) {
    INFO("epoch " << e);
    REQUIRE(a.epochs[e].items() == b.epochs[e].items());
  }
  REQUIRE(a.steps == b.steps);
  REQUIRE(a.stop_reason == b.stop_reason);
}

}  // namespace

TEST_CASE("Checkpoint: a run resumed from any checkpoint ends bit-identical to the uninterrupted run", "[train]") {
  Setup uninterrupted(3);
  const train::History expected = uninterrupted.fit();
  REQUIRE(expected.steps == 21);  // 7 batches of 16 per epoch

  // The same run writes a checkpoint every 3 steps and after every epoch: mid-epoch points
  // (steps 3, 6, 9, ...) and epoch ends (7, 14).
  regimen::testing::TempDir folder;
  const std::string directory = (folder.path() / "checkpoints").string();
  Setup writer(3);
  train::Checkpointer checkpointer(directory, {1, 3, 100}, {});
  writer.trainer->set_checkpointer(&checkpointer);
  require_same_history(writer.fit(), expected);  // writing checkpoints changes nothing
  REQUIRE(same_bytes(writer.weights(), uninterrupted.weights()));

  const std::vector<std::string> files = train::list_checkpoints(directory);
  REQUIRE(files.size() == 9);  // steps 3, 6, 7, 9, 12, 14, 15, 18, 21
  for (const std::string& file : files) {
    INFO(file);
    Setup resumed(3);
    resumed.trainer->resume(regimen::io::read_checkpoint(file), file);
    require_same_history(resumed.fit(), expected);
    REQUIRE(same_bytes(resumed.weights(), uninterrupted.weights()));
  }
}

TEST_CASE("Checkpoint: 2 epochs equal 1 epoch then a resume for 1 more", "[train]") {
  Setup two(2);
  const train::History expected = two.fit();
  regimen::testing::TempDir folder;
  const std::string directory = (folder.path() / "checkpoints").string();
  Setup first(1);
  train::Checkpointer checkpointer(directory, {1, 0, 3}, {});
  first.trainer->set_checkpointer(&checkpointer);
  first.fit();
  REQUIRE(train::list_checkpoints(directory).size() == 1);
  Setup second(2);
  second.trainer->resume(regimen::io::read_checkpoint(directory + "/step-0000000007.ckpt"), "ckpt");
  require_same_history(second.fit(), expected);
  REQUIRE(same_bytes(second.weights(), two.weights()));
}

TEST_CASE("Checkpoint: only the newest keep files remain", "[train]") {
  regimen::testing::TempDir folder;
  const std::string directory = (folder.path() / "checkpoints").string();
  Setup run(2);
  train::Checkpointer checkpointer(directory, {0, 2, 2}, {});
  run.trainer->set_checkpointer(&checkpointer);
  run.fit();
  const std::vector<std::string> files = train::list_checkpoints(directory);
  REQUIRE(files.size() == 2);
  REQUIRE(std::filesystem::path(files[0]).filename() == "step-0000000014.ckpt");
  REQUIRE(std::filesystem::path(files[1]).filename() == "step-0000000012.ckpt");
  // No temporary file is left behind.
  REQUIRE(std::distance(std::filesystem::directory_iterator(directory), std::filesystem::directory_iterator()) == 2);
}

TEST_CASE("Checkpoint: a state that does not fit the run is a DataError naming the section", "[train]") {
  regimen::testing::TempDir folder;
  const std::string directory = (folder.path() / "checkpoints").string();
  Setup run(1);
  train::Checkpointer checkpointer(directory, {1, 0, 1}, {});
  run.trainer->set_checkpointer(&checkpointer);
  run.fit();
  const std::string file = directory + "/step-0000000007.ckpt";
  // A wider model: the weights section does not fit.
  auto model = std::make_shared<nn::Model>(std::vector<nn::NamedLayer>{{"", std::make_shared<nn::Linear>(4, 5)}});
  model->build(4, 1);
  regimen::loss::CrossEntropy loss;
  regimen::optim::Adam adam(regimen::schedule::constant(0.1), {});
  train::Trainer other(*model, loss, adam, train::TrainConfig{});
  REQUIRE_THROWS_WITH(other.resume(regimen::io::read_checkpoint(file), file),
                      file + ", section 'weights': weights: 128 values, the run has 48 at byte 0");
}

TEST_CASE("Checkpoint: keep below 1 is refused", "[train]") {
  REQUIRE_THROWS_WITH(train::Checkpointer("x", {1, 0, 0}, {}), "checkpoint: keep must be >= 1, got 0");
}
