#include "runtime/train/schedule_driver.hpp"

#include <cmath>
#include <string>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"
#include "runtime/schedule/deferred.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::train {
namespace {

Index batch_size_of(Index fixed, const schedule::SchedulePtr& schedule, int epoch) {
  if (!schedule) return fixed;
  const double value = (*schedule)(static_cast<double>(epoch));
  const double rounded = std::round(value);
  if (!std::isfinite(value) || rounded < 1.0) {
    throw InvalidArgument("batch_size must be >= 1, got " + format_number(value) + " at epoch " +
                          std::to_string(epoch));
  }
  return static_cast<Index>(rounded);
}

std::vector<nn::Dropout*> scheduled_dropouts(const nn::Model& model) {
  std::vector<nn::Dropout*> found;
  for (const nn::NamedLayer& layer : model.layers())
    if (auto* dropout = dynamic_cast<nn::Dropout*>(layer.layer.get()); dropout && dropout->schedule())
      found.push_back(dropout);
  return found;
}

// The schedules whose counter is the optimizer's step: all of run_schedules but the batch size's.
std::vector<schedule::SchedulePtr> step_schedules(const nn::Model& model, const optim::Optimizer& optimizer) {
  std::vector<schedule::SchedulePtr> all = optimizer.schedules();
  for (const nn::Dropout* d : scheduled_dropouts(model)) all.push_back(d->schedule());
  return all;
}

}  // namespace

std::vector<schedule::SchedulePtr> run_schedules(const nn::Model& model, const optim::Optimizer& optimizer,
                                                 const TrainConfig& config) {
  std::vector<schedule::SchedulePtr> all = step_schedules(model, optimizer);
  if (config.augment_strength_schedule) all.push_back(config.augment_strength_schedule);
  if (config.batch_size_schedule) all.push_back(config.batch_size_schedule);
  return all;
}

Index batch_size_at(const TrainConfig& config, int epoch) {
  return batch_size_of(config.batch_size, config.batch_size_schedule, epoch);
}

schedule::RunLength plan_run(Index train_size, const TrainConfig& config) {
  if (train_size <= 0) throw InvalidArgument("the training set is empty");
  const auto steps_of = [&](Index batch) {
    const Index batches = (train_size + batch - 1) / batch;
    const Index accumulate = std::max(1, config.accumulate);
    return static_cast<double>((batches + accumulate - 1) / accumulate);
  };
  const bool varies = config.batch_size_schedule && !schedule::depends_on_run(config.batch_size_schedule);
  const double first = steps_of(batch_size_at(config, 0));
  std::vector<double> steps(static_cast<std::size_t>(std::max(0, config.epochs)), first);
  if (varies)
    for (int e = 1; e < config.epochs; ++e) steps[static_cast<std::size_t>(e)] = steps_of(batch_size_at(config, e));
  return schedule::RunLength::of_epochs(std::move(steps), first);
}

schedule::RunLength prepare_schedules(const nn::Model& model, const optim::Optimizer& optimizer,
                                      const TrainConfig& config, Index train_size) {
  if (config.batch_size_schedule) {
    const schedule::SchedulePtr batch[] = {config.batch_size_schedule};
    schedule::resolve_lengths(batch, schedule::RunLength::uniform(1.0, std::max(0, config.epochs)));
  }
  schedule::RunLength run = plan_run(train_size, config);
  std::vector<schedule::SchedulePtr> steps = step_schedules(model, optimizer);
  if (config.augment_strength_schedule) steps.push_back(config.augment_strength_schedule);
  schedule::resolve_lengths(steps, run);
  return run;
}

ScheduleDriver::ScheduleDriver(nn::Model& model, optim::Optimizer& optimizer, const TrainConfig& config)
    : model_(model),
      optimizer_(optimizer),
      batch_size_(config.batch_size),
      batch_size_schedule_(config.batch_size_schedule),
      augment_strength_schedule_(config.augment_strength_schedule),
      augment_strength_(config.augment_strength),
      epochs_(config.epochs) {}

ScheduleDriver::Run ScheduleDriver::start() {
  dropouts_ = scheduled_dropouts(model_);
  if (progress_) {
    progress_->running = true;
    progress_->epoch = 0;
    progress_->epochs = epochs_;
    progress_->step = optimizer_.steps();
  }
  return Run(*this);
}

void ScheduleDriver::finish() {
  if (progress_) progress_->running = false;
}

std::vector<schedule::FeedbackPtr> ScheduleDriver::all_feedback() const {
  std::vector<schedule::SchedulePtr> all = step_schedules(model_, optimizer_);
  if (augment_strength_schedule_) all.push_back(augment_strength_schedule_);
  if (batch_size_schedule_) all.push_back(batch_size_schedule_);
  return schedule::feedback_of(all);
}

Index ScheduleDriver::start_epoch(int epoch) {
  metric_feedback_.clear();
  gradient_feedback_.clear();
  for (schedule::FeedbackPtr& f : all_feedback()) {
    if (f->wants_gradients()) gradient_feedback_.push_back(f);
    if (!f->monitor().empty()) metric_feedback_.push_back(std::move(f));
  }
  if (progress_) progress_->epoch = epoch;
  return batch_size_of(batch_size_, batch_size_schedule_, epoch);
}

void ScheduleDriver::before_batch() {
  if (dropouts_.empty() && !augment_strength_schedule_) return;
  const std::int64_t step = optimizer_.steps();
  if (augment_strength_schedule_) {
    const double strength = (*augment_strength_schedule_)(static_cast<double>(step));
    if (!std::isfinite(strength) || strength < 0.0) {
      throw InvalidArgument("augment: strength must be >= 0, got " + format_number(strength) + " at step " +
                            std::to_string(step));
    }
    augment_strength_ = strength;
  }
  for (nn::Dropout* d : dropouts_) {
    const double p = (*d->schedule())(static_cast<double>(step));
    try {
      d->set_p(p);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(e.what()) + " at step " + std::to_string(step));
    }
  }
}

void ScheduleDriver::before_update(std::span<const float> gradient) {
  for (const schedule::FeedbackPtr& f : gradient_feedback_) f->observe_gradients(gradient);
}

void ScheduleDriver::after_update() {
  if (progress_) progress_->step = optimizer_.steps();
}

void ScheduleDriver::end_epoch(const Metrics& metrics) {
  for (const schedule::FeedbackPtr& f : metric_feedback_) {
    const std::optional<double> value = metrics.get(f->monitor());
    if (!value) {
      throw InvalidArgument(f->name() + ": monitor '" + f->monitor() + "' is not a metric of this run");
    }
    f->observe(*value);
  }
  if (progress_) {
    progress_->metrics = metrics;
    ++progress_->metrics_version;
  }
}

void ScheduleDriver::save(io::ByteWriter& out) const {
  const std::vector<schedule::FeedbackPtr> feedback = all_feedback();
  out.u64(feedback.size());
  for (const schedule::FeedbackPtr& f : feedback) {
    out.string(f->name());
    out.doubles(f->state());
  }
}

void ScheduleDriver::load(io::ByteReader& in) {
  const std::vector<schedule::FeedbackPtr> feedback = all_feedback();
  const std::uint64_t count = in.u64();
  if (count != feedback.size())
    in.fail("the checkpoint has " + std::to_string(count) + " stateful schedules, the run has " +
            std::to_string(feedback.size()));
  for (const schedule::FeedbackPtr& f : feedback) {
    const std::string name = in.string();
    if (name != f->name()) in.fail("stateful schedule '" + name + "' where the run has '" + f->name() + "'");
    const std::vector<double> state = in.doubles();
    try {
      f->set_state(state);
    } catch (const InvalidArgument& e) {
      in.fail(name + ": " + e.what());
    }
  }
}

}  // namespace regimen::train
