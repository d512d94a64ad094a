// Data-parallel training without MPI: ranks as threads of this process, joined by an in-memory
// Communicator. The oracle is one trainer on the whole batch: N ranks, each computing its shard
// and summing gradients, must reach its weights up to summation order. Runs under
// ThreadSanitizer in CI, so the trainer's collectives are also checked for races.
#include <array>
#include <barrier>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/loss/mse.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/nn/activations.hpp"
#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/random.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/train/gradient_buckets.hpp"
#include "runtime/train/trainer.hpp"

namespace nn = regimen::nn;
namespace train = regimen::train;
using regimen::Index;

namespace {

// N threads as ranks: every collective copies each rank's values into a shared slot, waits for
// all, then combines the slots in rank order (the same order on every rank, as MPI requires).
class ThreadRanks {
 public:
  explicit ThreadRanks(int size) : slots_(static_cast<std::size_t>(size)), barrier_(size) {}

  class Rank final : public train::Communicator {
   public:
    Rank(ThreadRanks& group, int rank) : group_(group), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return static_cast<int>(group_.slots_.size()); }
    void sum(std::span<float> values) override { combine(values, true); }
    void sum(std::span<double> values) override {  // doubles through slots of their own
      group_.double_slots(rank_).assign(values.begin(), values.end());
      group_.barrier_.arrive_and_wait();
      for (std::size_t i = 0; i < values.size(); ++i) {
        double total = 0;
        for (int r = 0; r < size(); ++r) total += group_.double_slots(r)[i];
        values[i] = total;
      }
      group_.barrier_.arrive_and_wait();
    }
    void broadcast(std::span<float> values) override { combine(values, false); }
    void broadcast(std::span<char> bytes) override {
      std::vector<float> as_floats(bytes.begin(), bytes.end());
      combine(as_floats, false);
      for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(as_floats[i]);
    }

   private:
    void combine(std::span<float> values, bool summed) {
      group_.slots_[static_cast<std::size_t>(rank_)].assign(values.begin(), values.end());
      group_.barrier_.arrive_and_wait();
      for (std::size_t i = 0; i < values.size(); ++i) {
        float total = 0;
        for (int r = 0; r < (summed ? size() : 1); ++r) total += group_.slots_[static_cast<std::size_t>(r)][i];
        values[i] = total;
      }
      group_.barrier_.arrive_and_wait();
    }
    ThreadRanks& group_;
    int rank_;
  };

 private:
  std::vector<double>& double_slots(int rank) { return double_slots_[static_cast<std::size_t>(rank)]; }
  std::vector<std::vector<float>> slots_;
  std::vector<std::vector<double>> double_slots_ = std::vector<std::vector<double>>(slots_.size());
  std::barrier<> barrier_;
};

regimen::data::Dataset regression(Index n) {
  auto table = std::make_shared<regimen::data::Table>();
  table->features.resize(n, 3);
  table->targets.resize(n, 1);
  regimen::Random rng(5);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < 3; ++j) table->features(i, j) = static_cast<float>(2.0 * rng.uniform() - 1.0);
    table->targets(i, 0) = std::sin(table->features(i, 0)) + 0.5f * table->features(i, 1) * table->features(i, 2);
  }
  table->source = "regression";
  return regimen::data::Dataset(table);
}

struct Trained {
  std::vector<float> weights;
  std::vector<std::pair<std::string, double>> last_epoch;  ///< loss and metrics
};

// Trains a fresh 3 -> 8 -> 1 model for two epochs, data-parallel when `ranks` is given.
Trained train_model(const regimen::data::Dataset& data, int accumulate, train::Communicator* ranks) {
  nn::Model model({{"", std::make_shared<nn::Linear>(3, 8)}, {"", std::make_shared<nn::Tanh>()},
                   {"", std::make_shared<nn::Linear>(8, 1)}});
  model.build(3, 7);
  regimen::optim::SgdOptions momentum;
  momentum.momentum = 0.9;
  regimen::optim::Sgd sgd(regimen::schedule::constant(0.1), momentum);
  regimen::loss::MeanSquaredError mse;
  train::TrainConfig config;
  config.epochs = 2;
  config.batch_size = 16;
  config.accumulate = accumulate;
  config.seed = 3;
  config.metrics = std::vector<std::string>{"mse", "mae", "r2"};
  train::Trainer trainer(model, mse, sgd, config);
  trainer.set_communicator(ranks);
  const train::History history = trainer.fit(data, nullptr);
  const auto values = model.arena().values();
  return {{values.begin(), values.end()}, history.epochs.back().items()};
}

double largest_relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(double{a[i]} - b[i]) / std::max(std::abs(double{a[i]}), 1e-6));
  return worst;
}

}  // namespace

TEST_CASE("Data-parallel: N ranks as threads reach the weights of one trainer", "[train]") {
  // 65 rows in batches of 16: the last batch has one row, so with 2 or 3 ranks some rank's
  // shard is empty and it still joins every collective.
  const auto data = regression(65);
  for (int accumulate : {1, 2}) {
    const Trained alone = train_model(data, accumulate, nullptr);
    for (int size : {2, 3}) {
      INFO(size << " ranks, accumulate " << accumulate);
      ThreadRanks group(size);
      std::vector<Trained> trained(static_cast<std::size_t>(size));
      std::vector<std::thread> threads;
      for (int r = 0; r < size; ++r) {
        threads.emplace_back([&, r] {
          ThreadRanks::Rank rank(group, r);
          trained[static_cast<std::size_t>(r)] = train_model(data, accumulate, &rank);
        });
      }
      for (auto& thread : threads) thread.join();
      for (int r = 1; r < size; ++r) CHECK(trained[static_cast<std::size_t>(r)].weights == trained[0].weights);
      CHECK(largest_relative_difference(alone.weights, trained[0].weights) < 1e-5);
      // The epoch's loss and metrics count every rank's rows, as one trainer counts the batch's.
      REQUIRE(trained[0].last_epoch.size() == alone.last_epoch.size());
      for (std::size_t m = 0; m < alone.last_epoch.size(); ++m) {
        INFO(alone.last_epoch[m].first);
        CHECK(trained[0].last_epoch[m].first == alone.last_epoch[m].first);
        CHECK_THAT(trained[0].last_epoch[m].second, Catch::Matchers::WithinRel(alone.last_epoch[m].second, 1e-5));
      }
    }
  }
}

namespace {

// Records what is summed, and sums nothing (one rank).
struct RecordingRanks final : train::Communicator {
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void sum(std::span<float>) override {}
  void sum(std::span<double>) override {}
  void broadcast(std::span<float>) override {}
  void broadcast(std::span<char>) override {}
  void start_sum(std::span<float> values) override { started.push_back(values); }
  void wait_sums() override { ++waits; }
  std::vector<std::span<float>> started;
  int waits = 0;
};

}  // namespace

TEST_CASE("Gradient buckets: adjacent ranges grow a bucket, the size limit starts it, finish starts the rest", "[train]") {
  std::vector<float> grads(200);
  RecordingRanks ranks;
  train::GradientBuckets buckets(ranks, grads, 64);
  buckets.ready(160, 170);  // padding up to 176 belongs to nothing
  buckets.ready(128, 160);  // adjacent: the bucket is [128, 170)
  buckets.ready(32, 64);    // other tensors between: a second bucket
  CHECK(ranks.started.empty());
  buckets.ready(0, 32);     // [0, 64) reaches 64 floats: starts
  REQUIRE(ranks.started.size() == 1);
  CHECK(ranks.started[0].data() == grads.data());
  CHECK(ranks.started[0].size() == 64);
  buckets.ready(64, 100);  // 28 floats from [128, 170): its own bucket
  buckets.finish();        // the open buckets start, the last in the arena first; every sum is waited for
  REQUIRE(ranks.started.size() == 3);
  CHECK(ranks.started[1].data() == grads.data() + 128);
  CHECK(ranks.started[1].size() == 42);
  CHECK(ranks.started[2].data() == grads.data() + 64);
  CHECK(ranks.started[2].size() == 36);
  CHECK(ranks.waits == 1);
}

TEST_CASE("Gradient buckets: tensors that parameter groups placed apart still share buckets", "[train]") {
  // Weights in one group, [0, 64) and [64, 128); biases in the other, [128, 136) and [144, 152).
  // Backpropagation reports them layer by layer: fc2's bias and weight, then fc1's.
  std::vector<float> grads(160);
  RecordingRanks ranks;
  train::GradientBuckets buckets(ranks, grads, 1000);
  for (const auto& [begin, end] : std::vector<std::pair<std::size_t, std::size_t>>{{144, 152}, {64, 128}, {128, 136}, {0, 64}})
    buckets.ready(begin, end);
  buckets.finish();
  REQUIRE(ranks.started.size() == 1);  // one sum, not one per tensor
  CHECK(ranks.started[0].data() == grads.data());
  CHECK(ranks.started[0].size() == 152);
}

TEST_CASE("Model: the gradient ranges cover every parameter once, last layer first", "[train]") {
  nn::Model model({{"", std::make_shared<nn::Linear>(3, 8)}, {"", std::make_shared<nn::Tanh>()},
                   {"", std::make_shared<nn::Linear>(8, 1)}});
  model.build(3, 7);
  const auto ranges = model.gradient_ranges();
  REQUIRE(ranges.size() == 4);  // fc2 bias, fc2 weight, fc1 bias, fc1 weight
  std::vector<int> covered(model.arena().grads().size(), 0);
  for (const auto& [begin, end] : ranges)
    for (std::size_t i = begin; i < end; ++i) ++covered[i];
  std::size_t scalars = 0;
  for (int c : covered) {
    CHECK(c <= 1);
    scalars += static_cast<std::size_t>(c);
  }
  CHECK(scalars == model.arena().count());
  CHECK(ranges.front().first > ranges.back().first);
}

namespace {

// What one rank ends with: its batch norm statistics, its validation loss, its dropout stream.
struct RankEnd {
  std::vector<float> buffers;
  double val_loss = 0;
  std::array<std::uint64_t, 5> dropout_stream{};
};

RankEnd train_with_noise(const regimen::data::Dataset& data, train::Communicator& ranks) {
  auto dropout = std::make_shared<nn::Dropout>(0.3);
  nn::Model model({{"", std::make_shared<nn::Linear>(3, 8)}, {"", std::make_shared<nn::BatchNorm>(8)},
                   {"", std::make_shared<nn::Tanh>()}, {"", dropout}, {"", std::make_shared<nn::Linear>(8, 1)}});
  model.build(3, 7);
  regimen::optim::Sgd sgd(regimen::schedule::constant(0.05));
  regimen::loss::MeanSquaredError mse;
  train::TrainConfig config;
  config.epochs = 2;
  config.batch_size = 16;
  train::Trainer trainer(model, mse, sgd, config);
  trainer.set_communicator(&ranks);
  const train::History history = trainer.fit(data, &data);
  RankEnd end;
  model.read_buffers(end.buffers);
  end.val_loss = *history.epochs.back().get("val_loss");
  end.dropout_stream = dropout->random_streams().front()->snapshot();
  return end;
}

}  // namespace

TEST_CASE("Data-parallel: ranks share rank 0's batch norm statistics and draw their own dropout masks", "[train]") {
  const auto data = regression(64);
  ThreadRanks group(2);
  std::vector<RankEnd> ends(2);
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      ThreadRanks::Rank rank(group, r);
      ends[static_cast<std::size_t>(r)] = train_with_noise(data, rank);
    });
  }
  for (auto& thread : threads) thread.join();
  // Each rank's running statistics came from its own shard; the epoch's end hands rank 0's on,
  // so validation (and a plateau schedule fed by it) sees the same numbers everywhere.
  CHECK(ends[0].buffers == ends[1].buffers);
  CHECK(ends[0].val_loss == ends[1].val_loss);
  CHECK(ends[0].dropout_stream != ends[1].dropout_stream);
}
