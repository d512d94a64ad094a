#pragma once
// The small training run whose checkpoints seed fuzz_checkpoint (fuzz/corpus/checkpoint/):
// a model with a random stream and buffers (dropout, batch norm), Adam on a plateau schedule,
// the weight average, early stopping. tests/runtime/train/checkpoint_corpus_test.cpp writes the
// seeds from it (REGIMEN_UPDATE_FUZZ_CORPUS=1) and checks that the committed ones load.
#include <memory>
#include <optional>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/loss/cross_entropy.hpp"
#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/schedule/plateau.hpp"
#include "runtime/train/early_stop_callback.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::fuzz {

/// One trainer, ready to fit or to resume.
struct CheckpointSetup {
  std::shared_ptr<data::Table> table = std::make_shared<data::Table>();
  std::optional<data::Dataset> data;
  nn::Model model{std::vector<nn::NamedLayer>{{"", std::make_shared<nn::Linear>(2, 4)},
                                              {"", std::make_shared<nn::BatchNorm>(4)},
                                              {"", std::make_shared<nn::Dropout>(0.25)},
                                              {"", std::make_shared<nn::Linear>(4, 2)}}};
  loss::CrossEntropy loss;
  optim::Adam adam{schedule::plateau(schedule::PlateauOptions{0.01, "min", 0.5, 0, 1e-4, "rel", 0, 0.0, 1e-8, "loss"}),
                   optim::AdamOptions{}};
  train::EarlyStop early_stop{train::EarlyStopOptions{"loss", "auto", 0.0, 10, std::nullopt, true, 0}};
  std::optional<train::EarlyStopCallback> callback;
  std::optional<train::Trainer> trainer;

  /// `epochs` of 4 steps each over 16 samples of two classes.
  explicit CheckpointSetup(int epochs) {
    table->features.resize(16, 2);
    table->targets.resize(16, 1);
    table->classes = 2;
    for (Index i = 0; i < 16; ++i) {
      table->features(i, 0) = static_cast<float>(i % 4) - 1.5f;
      table->features(i, 1) = static_cast<float>(i / 4) - 1.5f;
      table->targets(i, 0) = table->features(i, 0) + table->features(i, 1) > 0 ? 1.0f : 0.0f;
    }
    data.emplace(table);
    model.build(2, 1);
    train::TrainConfig config;
    config.epochs = epochs;
    config.batch_size = 4;
    config.ema = 0.5;
    trainer.emplace(model, loss, adam, config);
    trainer->add_callback(callback.emplace(early_stop, model));
  }
};

}  // namespace regimen::fuzz
