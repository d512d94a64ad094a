#pragma once
// The training loop: epochs of shuffled mini-batches, forward, loss, backward, penalty, one
// optimizer step; then metrics on the validation set and the callbacks. Buffers for batches and
// gradients live in the trainer and are reused, so steady-state steps allocate nothing.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/loss/loss.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/regularize/regularizer.hpp"
#include "runtime/train/callback.hpp"
#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// The loop's settings.
struct TrainConfig {
  int epochs = 1;
  Index batch_size = 32;
  std::uint64_t seed = 0;  ///< drives the shuffling of every epoch
  bool shuffle = true;
};

/// What a run produced.
struct History {
  std::vector<Metrics> epochs;  ///< one entry per epoch run
  std::string stop_reason;      ///< empty when all epochs ran
};

/// Trains one model with one loss and one optimizer.
class Trainer {
 public:
  /// The model must be built; the references must outlive the trainer.
  Trainer(nn::Model& model, const loss::Loss& loss, optim::Optimizer& optimizer, TrainConfig config);

  /// Adds c·penalty over every weight matrix ("*.weight"; biases are not penalized, as Keras'
  /// kernel_regularizer) to the loss and its gradient to the gradient.
  void set_regularizer(std::shared_ptr<const regularize::Regularizer> regularizer);
  /// Registers an observer (not owned); called in registration order.
  void add_callback(Callback& callback);

  /// Runs the configured epochs; `validation` may be null.
  History fit(const data::Dataset& train, const data::Dataset* validation);
  /// Loss (and accuracy for classification) of the model on `dataset`, dropout off.
  Metrics evaluate(const data::Dataset& dataset);

 private:
  Metrics train_epoch(const data::Dataset& train, int epoch);
  double add_penalty();
  void check_compatible(const data::Dataset& dataset) const;

  nn::Model& model_;
  const loss::Loss& loss_;
  optim::Optimizer& optimizer_;
  TrainConfig config_;
  std::shared_ptr<const regularize::Regularizer> regularizer_;
  std::vector<std::size_t> penalized_;  ///< arena handles of the weight matrices
  std::vector<Callback*> callbacks_;
  Matrix x_, y_, grad_;
};

}  // namespace regimen::train
