#include "runtime/train/trainer.hpp"

#include <cmath>
#include <limits>
#include <utility>
#include <numeric>
#include <sstream>

#include "runtime/data/batcher.hpp"
#include "runtime/error.hpp"
#include "runtime/flush_denormals.hpp"
#include "runtime/option_check.hpp"
#include "runtime/train/checkpointer.hpp"
#include "runtime/train/epoch_printer.hpp"
#include "runtime/train/metric_catalog.hpp"

namespace regimen::train {
namespace {

bool is_weight_matrix(const ParameterInfo& info) {
  const std::string suffix = ".weight";
  return info.name.size() > suffix.size() &&
         info.name.compare(info.name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The accumulator's settings; a model that is not built is reported by the constructor's body.
MetricAccumulator metrics_for(const nn::Model& model, const loss::Loss& loss, const TrainConfig& config) {
  return MetricAccumulator(loss.task(), model.built() ? model.output_features() : 1,
                           config.metrics.value_or(default_metrics(loss.task())));
}

}  // namespace

Interrupted::Interrupted(int epoch, std::int64_t step, std::string checkpoint)
    : std::runtime_error("interrupted at epoch " + std::to_string(epoch) + ", step " + std::to_string(step)),
      epoch(epoch),
      step(step),
      checkpoint(std::move(checkpoint)) {}

Trainer::Trainer(nn::Model& model, const loss::Loss& loss, optim::Optimizer& optimizer, TrainConfig config)
    : model_(model),
      loss_(loss),
      optimizer_(optimizer),
      config_(config),
      nan_(config_.on_nan),
      schedules_(model, optimizer, config_),
      train_metrics_(metrics_for(model, loss, config_)),
      eval_metrics_(train_metrics_) {
  if (!model_.built()) throw std::logic_error("Trainer: model not built");
  optimizer_.prepare(model_.arena());  // before anything keeps arena offsets
  if (config_.epochs < 0) throw InvalidArgument("epochs must be >= 0, got " + std::to_string(config_.epochs));
  if (config_.batch_size <= 0)
    throw InvalidArgument("batch_size must be positive, got " + std::to_string(config_.batch_size));
  if (config_.accumulate < 1)
    throw InvalidArgument("accumulate must be >= 1, got " + std::to_string(config_.accumulate));
  if (config_.ema) require_unit_interval("ema", *config_.ema);
  if (config_.max_steps && *config_.max_steps < 1)
    throw InvalidArgument("max_steps must be >= 1, got " + std::to_string(*config_.max_steps));
}

void Trainer::set_regularizer(std::shared_ptr<const regularize::Regularizer> regularizer) {
  regularizer_ = std::move(regularizer);
  penalized_.clear();
  const auto& params = model_.arena().parameters();
  for (std::size_t i = 0; i < params.size(); ++i)
    if (is_weight_matrix(params[i])) penalized_.push_back(i);
}

void Trainer::set_gradient_clip(std::shared_ptr<const regularize::GradientClip> clip) { clip_ = std::move(clip); }

void Trainer::add_callback(Callback& callback) { callbacks_.push_back(&callback); }

void Trainer::check_compatible(const data::Dataset& dataset) const {
  if (dataset.size() == 0) throw InvalidArgument("dataset '" + dataset.source() + "' is empty");
  if (loss_.classification()) {
    if (dataset.classes() <= 0)
      throw InvalidArgument("loss " + loss_.name() + " needs class labels, but the data has numeric targets");
    if (dataset.classes() > model_.output_features())
      throw InvalidArgument("the data has " + std::to_string(dataset.classes()) + " classes, but the model emits " +
                            std::to_string(model_.output_features()) + " outputs");
  } else if (dataset.target_columns() != model_.output_features()) {
    throw InvalidArgument("the data has " + std::to_string(dataset.target_columns()) +
                          " target columns, but the model emits " + std::to_string(model_.output_features()) +
                          " outputs");
  }
}

double Trainer::add_penalty() {
  auto& arena = model_.arena();
  double penalty = 0.0;
  const auto penalize = [&](const regularize::Regularizer& regularizer, std::size_t handle) {
    const auto& info = arena.parameters()[handle];
    std::span<const float> w(arena.values().data() + info.offset, info.size());
    std::span<float> g(arena.grads().data() + info.offset, info.size());
    penalty += regularizer.penalty(w);
    regularizer.add_gradient(w, g);
  };
  if (regularizer_) {
    for (std::size_t handle : penalized_) penalize(*regularizer_, handle);
  }
  for (const nn::ParameterRule& rule : rules_) {
    if (rule.regularizer) penalize(*rule.regularizer, rule.handle);
  }
  return penalty;
}

// One optimizer update from the gradients of `batches` batches summed in the arena; returns the
// penalty of the weights before the step (what the batches' losses were computed with).
double Trainer::update(int batches) {
  auto& arena = model_.arena();
  if (batches > 1) {
    // Each batch's loss is a mean over its rows, so the mean of the batches' gradients is the
    // gradient of the mean loss over all their rows (exactly so when the batches are equal).
    Eigen::Map<Eigen::ArrayXf, Eigen::Unaligned> grads(arena.grads().data(),
                                                       static_cast<Eigen::Index>(arena.grads().size()));
    grads *= 1.0f / static_cast<float>(batches);
  }
  const double penalty = add_penalty();
  if (clip_) clip_->apply(arena.grads());
  schedules_.before_update(arena.grads());
  if (nan_.active()) keep_pre_update();
  optimizer_.step(arena.values(), arena.grads());
  schedules_.after_update();
  for (const nn::ParameterRule& rule : rules_) {
    if (rule.constraint) rule.constraint->apply(arena.value(rule.handle));
  }
  if (nan_.active() && !(bad_update_ = undo_bad_update()).empty()) return penalty;
  if (average_) average_->update();
  return penalty;
}

Metrics Trainer::train_epoch(const data::Dataset& train, int epoch) {
  data::Batcher batcher(train, schedules_.start_epoch(epoch), config_.shuffle, config_.seed);
  batcher.start_epoch(epoch);
  if (ranks_) batcher.set_shard(ranks_->rank(), ranks_->size());  // x_, y_: this rank's rows only
  // A run resumed mid-epoch skips the batches it had done (the order is a function of the
  // seed and the epoch); their loss and metrics come from the checkpoint.
  Position& at = position_;
  if (at.epoch == epoch && at.batches > 0) {
    for (std::int64_t b = 0; b < at.batches && batcher.next(x_, y_); ++b) {
    }
  } else {
    at = Position{epoch, 0, 0, 0.0, 0};
    train_metrics_.reset();
  }
  double& loss_sum = at.loss_sum;
  Index& seen = at.seen;
  auto& arena = model_.arena();
  int pending = 0;            // batches whose gradients are in the arena, not yet applied
  double pending_loss = 0.0;  // their summed loss x rows
  Index pending_rows = 0;
  StepEnd step;
  step.epoch = epoch;
  step.epoch_steps = (batcher.batches_per_epoch() + config_.accumulate - 1) / config_.accumulate;
  step.epoch_step = at.epoch_step;
  bool cut = false;  // max_steps, a callback or a non-finite loss ended the epoch early
  // on_nan: a bad step's gradients are dropped (its batches stay consumed) and the ladder acts.
  const auto drop_pending = [&](const std::string& problem, bool names_tensor) {
    seen -= pending_rows;
    pending = 0;
    pending_loss = 0.0;
    pending_rows = 0;
    handle_problem(problem, names_tensor);
  };
  // Applies the group's update; false when on_nan refused it (a loss spike, or an update that
  // left a parameter non-finite: undone).
  const auto apply_pending = [&] {
    if (ranks_) {  // every rank's shard of the group, summed: the same gradient on every rank
      sum_gradients();
      const std::string bad = nan_.active() ? first_non_finite_gradient() : std::string();
      if (!bad.empty()) {
        drop_pending(bad, true);
        return false;
      }
    }
    const double data_loss = pending_loss / static_cast<double>(pending_rows);
    if (nan_.is_spike(data_loss)) {
      drop_pending("loss " + format_metric(data_loss) + " is over " + format_number(*config_.on_nan.loss_spike) +
                       " times the running median " + format_metric(nan_.median()),
                   false);
      return false;
    }
    const double penalty = update(pending);
    if (!bad_update_.empty()) {
      drop_pending("the update made " + bad_update_ + " (undone)", true);
      return false;
    }
    nan_.accept(data_loss);
    const double step_loss = pending_loss + penalty * static_cast<double>(pending_rows);
    loss_sum += step_loss;
    step.loss = step_loss / static_cast<double>(pending_rows);
    step.samples = seen;
    pending = 0;
    pending_loss = 0.0;
    pending_rows = 0;
    return true;
  };
  while (batcher.next(x_, y_)) {
    schedules_.before_batch();
    const Index rows = batcher.batch_rows();  // the whole batch's, whatever this rank's share
    const bool computes = x_.rows() > 0;      // a batch with fewer rows than ranks leaves some none
    if (config_.augment && computes) {
      config_.augment->apply(x_, batcher.positions(), train.image_shape(), config_.seed, epoch,
                             schedules_.augment_strength(), augment_workspace_);
    }
    const Matrix* out = computes ? &model_.forward(x_, nn::Mode::kTrain) : nullptr;
    double batch_loss = computes ? loss_.value_and_gradient(*out, y_, grad_) : 0.0;
    if (ranks_) {  // the batch's mean loss over every shard: every rank decides alike on it
      double summed = batch_loss * static_cast<double>(x_.rows());
      ranks_->sum(std::span<double>(&summed, 1));
      batch_loss = summed / static_cast<double>(rows);
      // The shard's mean-loss gradient, weighted by its share of the batch: summed over the
      // ranks it is the gradient of the batch's mean loss.
      if (computes) grad_ *= static_cast<float>(static_cast<double>(x_.rows()) / static_cast<double>(rows));
    }
    if (!std::isfinite(batch_loss) && nan_.active()) {
      ++at.batches;
      drop_pending("loss is " + format_number(batch_loss), false);
      continue;
    }
    if (!std::isfinite(batch_loss)) {
      const std::string where = "training loss is " + format_number(batch_loss) + " at epoch " +
                                std::to_string(epoch + 1) + ", step " + std::to_string(steps_ + 1);
      if (config_.non_finite_loss_throws) throw NonFiniteLoss(where);
      cut_reason_ = where;
      loss_sum = std::numeric_limits<double>::quiet_NaN();
      cut = true;
      break;
    }
    if (computes) train_metrics_.add(*out, y_);
    if (pending == 0) arena.zero_grads();
    const bool closes_group = pending + 1 == config_.accumulate || at.batches + 1 == batcher.batches_per_epoch();
    backpropagate(computes, closes_group);  // adds to the gradients of the group's earlier batches
    if (nan_.active() && !ranks_) {  // data-parallel: checked once the ranks' gradients are summed
      const std::string bad = first_non_finite_gradient();
      if (!bad.empty()) {
        ++at.batches;
        drop_pending(bad, true);
        continue;
      }
    }
    pending_loss += batch_loss * static_cast<double>(rows);
    pending_rows += rows;
    seen += rows;
    ++at.batches;
    if (++pending == config_.accumulate && apply_pending() && (cut = end_step(step))) break;
  }
  if (pending > 0 && !cut && apply_pending()) end_step(step);  // a shorter last group, its own count
  if (ranks_) merge_train_metrics();
  Metrics metrics;
  metrics.set("loss", loss_sum / static_cast<double>(seen));
  train_metrics_.write(metrics);
  return metrics;
}

// Counts the step and tells the callbacks; true when the run stops here (a callback asked, or
// max_steps is reached), with cut_reason_ saying why.
bool Trainer::end_step(StepEnd& step) {
  step.step = ++steps_;
  position_.epoch_step = ++step.epoch_step;
  bool stop = false;
  for (Callback* callback : callbacks_) {
    if (callback->on_step_end(step) && !stop) {
      stop = true;
      cut_reason_ = callback->stop_reason();
    }
  }
  if (!stop && config_.max_steps && steps_ >= *config_.max_steps) {
    stop = true;
    cut_reason_ = "max_steps " + std::to_string(*config_.max_steps) + " reached at epoch " +
                  std::to_string(step.epoch + 1);
  }
  // A step that ends the run is not a resume point: the epoch's end follows at once.
  const bool interrupted = interrupt_ && interrupt_->load();
  const bool checkpoint_due = checkpointer_ && checkpointer_->due_after_step(steps_);
  const Verdict verdict = agree_on(stop            ? Verdict::kStop
                                   : interrupted    ? Verdict::kInterrupt
                                   : checkpoint_due ? Verdict::kCheckpoint
                                                    : Verdict::kGoOn,
                                   cut_reason_);
  if (verdict == Verdict::kStop) return true;
  if (verdict == Verdict::kInterrupt) {
    const std::string written = checkpointer_ ? checkpointer_->write(*this, steps_) : std::string();
    throw Interrupted(step.epoch + 1, steps_, written);
  }
  if (verdict == Verdict::kCheckpoint) {  // data-parallel: rank 0 writes, every rank keeps the snapshot
    if (checkpointer_) checkpointer_->write(*this, steps_);
    take_snapshot();  // a rollback returns to the newest checkpoint
  }
  return false;
}

Metrics Trainer::evaluate(const data::Dataset& dataset) {
  check_compatible(dataset);
  data::Batcher batcher(dataset, config_.batch_size, false, 0);
  batcher.start_epoch(0);
  double loss_sum = 0.0;
  eval_metrics_.reset();
  while (batcher.next(x_, y_)) {
    const Matrix& out = model_.forward(x_, nn::Mode::kEval);
    loss_sum += loss_.value(out, y_) * static_cast<double>(x_.rows());
    eval_metrics_.add(out, y_);
  }
  Metrics metrics;
  metrics.set("loss", loss_sum / static_cast<double>(dataset.size()));
  eval_metrics_.write(metrics);
  return metrics;
}

History Trainer::fit(const data::Dataset& train, const data::Dataset* validation) {
  check_compatible(train);
  if (validation) check_compatible(*validation);
  if (config_.augment) config_.augment->check_data(train);
  if (ranks_) {
    share_start_state();
    draw_own_random_numbers();
  }
  if (!std::exchange(resumed_, false)) {  // a fresh run; resume() set these otherwise
    history_ = History();
    position_ = Position();
    steps_ = 0;
    stopped_ = false;
    average_in_model_ = false;
    resumed_average_.clear();  // the average starts from the model as it is
    resumed_buffer_average_.clear();
    nan_ = NanPolicy(config_.on_nan);
  }
  apply_lr_factor();
  cut_reason_.clear();
  rules_ = model_.parameter_rules();
  average_.reset();
  if (config_.ema) average_.emplace(*config_.ema, model_, resumed_average_, resumed_buffer_average_);
  resumed_average_ = {};
  resumed_buffer_average_ = {};
  const ScopedFlushDenormals flush_denormals;
  const ScheduleDriver::Run running = schedules_.start();
  for (int epoch = position_.epoch; epoch < config_.epochs && !stopped_; ++epoch) {
    // With an average, the model holds it between epochs: validation, callbacks (early stopping's
    // snapshot, Lua hooks) and the run's final weights all see it; training continues from the
    // last iterate, swapped back in here.
    if (average_ && average_in_model_) average_->swap();
    average_in_model_ = false;
    take_snapshot();  // the state at the last epoch's end, for on_nan's rollback
    Metrics metrics = train_epoch(train, epoch);
    if (average_) average_->swap();
    average_in_model_ = average_.has_value();
    if (ranks_) share_buffers();  // one set of running statistics to validate and save
    if (validation) metrics.merge(evaluate(*validation), "val_");
    schedules_.end_epoch(metrics);
    history_.epochs.push_back(metrics);
    bool stop = false;
    for (Callback* callback : callbacks_) {
      if (callback->on_epoch_end(epoch, metrics) && !stop) {
        stop = true;
        history_.stop_reason = callback->stop_reason();
      }
    }
    if (!cut_reason_.empty()) {  // the epoch was cut short: that stop came first
      stop = true;
      history_.stop_reason = cut_reason_;
    }
    after_epoch(epoch, agree_on(stop ? Verdict::kStop : Verdict::kGoOn, history_.stop_reason) == Verdict::kStop);
  }
  history_.steps = steps_;
  for (Callback* callback : callbacks_) callback->on_train_end(history_.stop_reason);
  return history_;
}

// The epoch's end is a resume point: the next epoch starts from its first batch.
void Trainer::after_epoch(int epoch, bool stop) {
  stopped_ = stop;
  position_ = Position{epoch + 1, 0, 0, 0.0, 0};
  if (checkpointer_ && checkpointer_->due_after_epoch(epoch))
    checkpointer_->write(*this, steps_);
}

}  // namespace regimen::train
