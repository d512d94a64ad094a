#pragma once
// The training loop: epochs of shuffled mini-batches, forward, loss, backward, penalty, one
// optimizer step; then metrics on the validation set and the callbacks. Buffers for batches and
// gradients live in the trainer and are reused, so steady-state steps allocate nothing.
//
// One update, in order: the gradients of `accumulate` batches summed and scaled by 1/count;
// penalty gradients added (the model-wide regularizer, then each layer's own); the gradient
// clipped; the optimizer step; each layer's constraint applied; the weight average updated.
#include <atomic>
#include <cstdint>
#include <memory>
#include <ostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/data/image_augment.hpp"
#include "runtime/io/checkpoint_file.hpp"
#include "runtime/loss/loss.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/regularize/gradient_clip.hpp"
#include "runtime/regularize/regularizer.hpp"
#include "runtime/train/callback.hpp"
#include "runtime/train/communicator.hpp"
#include "runtime/train/gradient_buckets.hpp"
#include "runtime/train/metric_accumulator.hpp"
#include "runtime/train/metrics.hpp"
#include "runtime/train/nan_policy.hpp"
#include "runtime/train/progress.hpp"
#include "runtime/train/schedule_driver.hpp"
#include "runtime/train/model_average.hpp"

namespace regimen::train {

/// The loop's settings.
struct TrainConfig {
  int epochs = 1;
  /// When set, training stops after this many optimizer steps (mid-epoch: that epoch still gets
  /// its metrics, validation and callbacks), with History::stop_reason saying so.
  std::optional<std::int64_t> max_steps;
  /// A non-finite training batch loss throws NonFiniteLoss when true; when false it ends the run
  /// before that batch's update, the epoch's loss is NaN and the stop reason names epoch and
  /// step (so a divergence rule on "loss" sees it and reports).
  bool non_finite_loss_throws = true;
  /// on_nan = {...} and loss_spike = k (nan_policy.hpp): when the ladder is set, a step with a
  /// non-finite loss or gradient, or a spike, climbs it instead (non_finite_loss_throws unused).
  NanLadder on_nan;
  Index batch_size = 32;
  std::uint64_t seed = 0;  ///< drives the shuffling of every epoch
  bool shuffle = true;
  /// Batches whose gradients are summed into one update (scaled by 1/k: the update of a k times
  /// larger batch); the optimizer steps once per group, and once for a shorter last group.
  int accumulate = 1;
  /// Decay d of the model's moving average (ModelAverage: weights and batch norm's running
  /// statistics); when set, validation, callbacks and the final weights see the average instead
  /// of the last iterate.
  std::optional<double> ema;
  /// When set, the batch size of epoch e is round(batch_size_schedule(e)) (schedule_driver.hpp);
  /// batch_size then sizes evaluation batches only.
  schedule::SchedulePtr batch_size_schedule;
  /// When set, every training batch (never an evaluation batch) is augmented at strength
  /// augment_strength, or augment_strength_schedule(t) at optimizer step t when that is set.
  std::shared_ptr<const data::ImageAugment> augment;
  double augment_strength = 1.0;
  schedule::SchedulePtr augment_strength_schedule;
  /// Metrics reported besides loss, in order (metric_catalog.hpp); unset = default_metrics of
  /// the loss (accuracy for a classification loss).
  std::optional<std::vector<std::string>> metrics;
};

/// What a run produced.
struct History {
  std::vector<Metrics> epochs;  ///< one entry per epoch run
  std::string stop_reason;      ///< empty when all epochs ran
  std::int64_t steps = 0;       ///< optimizer steps done
};

/// A non-finite training loss: "training loss is nan at epoch 3, step 57".
struct NonFiniteLoss : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The interrupt flag was raised: the run stopped after a step (a checkpoint of it written when
/// a checkpointer is set). "interrupted at epoch 3, step 57".
struct Interrupted : std::runtime_error {
  Interrupted(int epoch, std::int64_t step, std::string checkpoint);
  int epoch;               ///< 1-based
  std::int64_t step;       ///< optimizer steps done
  std::string checkpoint;  ///< the file written, or ""
};

class Checkpointer;

/// Trains one model with one loss and one optimizer.
class Trainer {
 public:
  /// The model must be built; the references must outlive the trainer.
  Trainer(nn::Model& model, const loss::Loss& loss, optim::Optimizer& optimizer, TrainConfig config);

  /// Adds c·penalty over every weight matrix ("*.weight"; biases are not penalized, as Keras'
  /// kernel_regularizer) to the loss and its gradient to the gradient.
  void set_regularizer(std::shared_ptr<const regularize::Regularizer> regularizer);
  /// Clips the whole gradient (penalties included) before every optimizer step.
  void set_gradient_clip(std::shared_ptr<const regularize::GradientClip> clip);
  /// Registers an observer (not owned); called in registration order.
  void add_callback(Callback& callback);
  /// Keeps `progress` (not owned) current while fit() runs: epoch, step, last metrics.
  void set_progress(Progress* progress) { schedules_.set_progress(progress); }

  /// Writes checkpoints where `checkpointer` (not owned; null for none) asks for them.
  void set_checkpointer(Checkpointer* checkpointer) { checkpointer_ = checkpointer; }
  /// Once *flag is true (a signal handler sets it), the run stops after the current step,
  /// writes a checkpoint when a checkpointer is set, and fit() throws Interrupted.
  void set_interrupt(const std::atomic<bool>* flag) { interrupt_ = flag; }
  /// Where on_nan reports the actions it takes, one line each (not owned; null for nowhere).
  void set_warnings(std::ostream* warnings) { warnings_ = warnings; }
  /// Trains data-parallel with the other ranks of `ranks` (not owned; null for one process):
  /// each rank computes its shard of every batch (the batch size stays global), gradients are
  /// summed over the ranks before each update, so every rank applies the same step; rank 0's
  /// weights are broadcast when fit() starts, and rank 0 decides every stop (docs/scaling.md).
  void set_communicator(Communicator* ranks) { ranks_ = ranks; }

  /// Everything a bit-exact resume needs, as checkpoint sections (trainer_state.cpp): weights,
  /// buffers, random streams, optimizer, stateful schedules, position in the epoch and its
  /// partial metrics, counters, history, the weight average, each callback's state.
  io::CheckpointSections save_state() const;
  /// Restores save_state()'s sections (callbacks registered as when it was saved); the next
  /// fit() continues from there. Throws DataError naming `source` for a state of another run.
  void resume(const io::CheckpointSections& sections, const std::string& source);

  /// Runs the configured epochs; `validation` may be null.
  History fit(const data::Dataset& train, const data::Dataset* validation);
  /// Loss and the configured metrics of the model on `dataset`, dropout off.
  Metrics evaluate(const data::Dataset& dataset);
  /// The counters of the last evaluate() (its confusion matrix, for a classification loss).
  const MetricAccumulator& last_evaluation() const { return eval_metrics_; }

 private:
  /// Where the run is: the epoch in progress (or next), and how far into it.
  struct Position {
    int epoch = 0;
    std::int64_t batches = 0;     ///< batches of this epoch consumed
    std::int64_t epoch_step = 0;  ///< optimizer steps of this epoch
    double loss_sum = 0.0;        ///< summed loss x rows of this epoch's steps
    Index seen = 0;               ///< rows of this epoch's steps
  };

  Metrics train_epoch(const data::Dataset& train, int epoch);
  void backpropagate(bool computes, bool closes_group);
  void sum_gradients();
  void merge_train_metrics();
  void share_start_state();
  void restore(const io::CheckpointSections& sections, const std::string& source, bool with_callbacks);
  void share_buffers();
  void draw_own_random_numbers();
  /// What a step's or an epoch's end decides.
  enum class Verdict : char { kGoOn, kStop, kInterrupt, kCheckpoint };
  Verdict agree_on(Verdict verdict, std::string& reason);
  double add_penalty();
  double update(int batches);
  bool end_step(StepEnd& step);
  void after_epoch(int epoch, bool stop);
  void check_compatible(const data::Dataset& dataset) const;
  // on_nan (trainer_nan.cpp)
  std::string first_non_finite_gradient() const;
  void apply_lr_factor();
  void keep_pre_update();
  std::string undo_bad_update();
  void handle_problem(const std::string& problem, bool names_tensor);
  void take_snapshot();
  std::string roll_back();

  nn::Model& model_;
  const loss::Loss& loss_;
  optim::Optimizer& optimizer_;
  TrainConfig config_;
  std::shared_ptr<const regularize::Regularizer> regularizer_;
  std::vector<std::size_t> penalized_;  ///< arena handles of the weight matrices
  std::vector<nn::ParameterRule> rules_;  ///< the layers' own penalties and constraints, read by fit()
  std::shared_ptr<const regularize::GradientClip> clip_;
  std::optional<ModelAverage> average_;  ///< while fit() runs with config.ema
  std::vector<Callback*> callbacks_;
  Checkpointer* checkpointer_ = nullptr;
  const std::atomic<bool>* interrupt_ = nullptr;
  std::ostream* warnings_ = nullptr;
  Communicator* ranks_ = nullptr;
  io::CheckpointSections resumed_from_;  ///< what resume() read, while ranks wait for it
  /// Data-parallel: the gradient's buckets being summed while backpropagation goes on. 32K
  /// floats (128 KiB): small enough that the shipped models' last layers go out before the
  /// first layer's backward, large enough that a bucket's latency is a small part of its time.
  static constexpr std::size_t kBucketFloats = std::size_t{1} << 15;
  std::optional<GradientBuckets> buckets_;
  std::vector<float> shared_buffers_;  ///< rank 0's batch norm statistics, on their way to every rank
  NanPolicy nan_;
  std::vector<float> pre_update_;  ///< the weights before this step's update, while on_nan is set
  std::string bad_update_;         ///< "fc2.weight inf" when on_nan undid the last update
  /// The last good state for on_nan's rollback: taken at each epoch's start and each step checkpoint.
  struct Snapshot {
    std::vector<float> weights, buffers;
    std::vector<std::byte> optimizer;
    std::int64_t step = 0;
  } snapshot_;
  History history_;           ///< of the run in progress
  Position position_;
  bool stopped_ = false;      ///< the run ended (stop reason or not): a resume only finishes it
  bool resumed_ = false;      ///< resume() ran: fit() continues instead of starting
  bool average_in_model_ = false;  ///< the model holds the weight average, average_ the iterate
  std::vector<float> resumed_average_;  ///< the weight average resume() read, until fit() builds average_
  std::vector<float> resumed_buffer_average_;  ///< the same for the buffers' average
  std::int64_t steps_ = 0;    ///< optimizer steps done by fit()
  std::string cut_reason_;    ///< why the current epoch was cut short (max_steps, a step callback)
  Matrix x_, y_, grad_;
  std::vector<float> augment_workspace_;  ///< one image per thread, reused by every batch
  ScheduleDriver schedules_;  ///< batch size, dropout p, feedback of stateful schedules
  MetricAccumulator train_metrics_, eval_metrics_;  ///< fed every batch of a pass
};

}  // namespace regimen::train
