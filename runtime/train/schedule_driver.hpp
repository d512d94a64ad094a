#pragma once
// Everything in a run that follows a schedule, as the trainer drives it:
//
//   * the batch size, per epoch: round(batch_size_schedule(epoch)), a whole number >= 1;
//   * each scheduled dropout p, before every training batch: p(t) at the optimizer's step t;
//   * the augmentation strength, before every training batch: strength(t) at the same step t;
//   * the stateful schedules (schedule/feedback.hpp) inside any of the run's schedules:
//     observe_gradients(g) before every optimizer step (g as the update will use it: averaged
//     over accumulated batches, penalties added, clipped), observe(metrics[monitor]) at every
//     epoch end, before the callbacks (so an on_epoch_end hook sees the new rate);
//   * a Progress (progress.hpp) for schedules that read the run's position.
//
// The optimizer evaluates its own lr and scheduled options (optim/optimizer.hpp). Before the
// run, prepare_schedules() builds every schedule given in the run's units (schedule/deferred.hpp).
#include <cstdint>
#include <span>
#include <vector>

#include "runtime/io/byte_stream.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/schedule/run_length.hpp"
#include "runtime/tensor.hpp"
#include "runtime/train/metrics.hpp"
#include "runtime/train/progress.hpp"

namespace regimen::train {

struct TrainConfig;

/// Every schedule a run evaluates, in this order: the optimizer's lr, its scheduled options,
/// each scheduled dropout's p (in layer order), the augmentation strength's, the batch size's.
std::vector<schedule::SchedulePtr> run_schedules(const nn::Model& model, const optim::Optimizer& optimizer,
                                                 const TrainConfig& config);

/// The batch size of `epoch`: config.batch_size, or round(config.batch_size_schedule(epoch)).
/// Throws InvalidArgument for a value that is not finite or rounds below 1:
/// "batch_size must be >= 1, got 0.2 at epoch 3".
Index batch_size_at(const TrainConfig& config, int epoch);

/// The run's length in optimizer steps: per epoch ceil(ceil(train_size / batch size) / accumulate).
/// A batch-size schedule is evaluated at every epoch, or only at epoch 0 (and assumed to hold)
/// when it reads the run (a Lua function that may follow the metrics).
schedule::RunLength plan_run(Index train_size, const TrainConfig& config);

/// Builds every schedule of the run given in the run's units: the batch size's first (counted
/// in epochs), then the plan, then the others (counted in steps). Returns the plan. Throws
/// InvalidArgument from a schedule's factory when a length comes out invalid.
schedule::RunLength prepare_schedules(const nn::Model& model, const optim::Optimizer& optimizer,
                                      const TrainConfig& config, Index train_size);

/// What the trainer calls; see the header comment.
class ScheduleDriver {
 public:
  /// References must outlive the driver; the config is copied.
  ScheduleDriver(nn::Model& model, optim::Optimizer& optimizer, const TrainConfig& config);
  ScheduleDriver(const ScheduleDriver&) = delete;
  ScheduleDriver& operator=(const ScheduleDriver&) = delete;

  /// Keeps `progress` current from now on (not owned; null to stop).
  void set_progress(Progress* progress) { progress_ = progress; }

  /// Marks the run as started until the returned guard is destroyed (progress.running).
  class Run {
   public:
    explicit Run(ScheduleDriver& driver) : driver_(driver) {}
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;
    ~Run() { driver_.finish(); }

   private:
    ScheduleDriver& driver_;
  };
  /// At the start of fit(): finds the scheduled dropout layers. Hold the Run while training.
  [[nodiscard]] Run start();
  /// At the start of each epoch: collects the feedback (the optimizer's schedules may have been
  /// replaced by a hook) and returns the epoch's batch size.
  Index start_epoch(int epoch);
  /// Before each training forward: each scheduled dropout's p and the augmentation strength at
  /// the current step. Throws InvalidArgument for a strength < 0: "augment: strength must be >=
  /// 0, got -1 at step 3".
  void before_batch();
  /// The augmentation strength before_batch() set (config.augment_strength when not scheduled).
  double augment_strength() const { return augment_strength_; }
  /// Before each optimizer step, with the gradient it will apply.
  void before_update(std::span<const float> gradient);
  /// After each optimizer step.
  void after_update();
  /// At each epoch end, with the epoch's metrics (validation included), before the callbacks.
  /// Throws InvalidArgument when a schedule follows a metric the run does not have.
  void end_epoch(const Metrics& metrics);

  /// The state of every stateful schedule of the run (Feedback::state, in feedback_of order),
  /// for a checkpoint; load() restores it and throws DataError for another set of schedules.
  void save(io::ByteWriter& out) const;
  void load(io::ByteReader& in);

 private:
  void finish();
  std::vector<schedule::FeedbackPtr> all_feedback() const;

  nn::Model& model_;
  optim::Optimizer& optimizer_;
  Index batch_size_;
  schedule::SchedulePtr batch_size_schedule_;
  schedule::SchedulePtr augment_strength_schedule_;
  double augment_strength_;
  int epochs_;
  Progress* progress_ = nullptr;
  std::vector<nn::Dropout*> dropouts_;                 ///< the scheduled ones
  std::vector<schedule::FeedbackPtr> metric_feedback_;  ///< with a monitor
  std::vector<schedule::FeedbackPtr> gradient_feedback_;
};

}  // namespace regimen::train
