#include "runtime/train/loss_trace.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "runtime/train/epoch_printer.hpp"

namespace regimen::train {

bool LossTraceRecorder::on_step_end(const StepEnd& step) {
  if (!std::isfinite(step.loss)) {
    if (trace_.nonfinite_epoch < 0) {
      trace_.nonfinite_epoch = step.epoch;
      trace_.nonfinite_step = step.step;
      char what[96];
      std::snprintf(what, sizeof what, "the loss became %s at step %lld", std::isnan(step.loss) ? "NaN" : "infinite",
                    static_cast<long long>(step.step));
      warn(what, step.epoch);
    }
    return false;
  }
  const std::int64_t n = steps_++;
  last_[static_cast<std::size_t>(n % LossTrace::kWindow)] = step.loss;
  if (n == 0) trace_.first = step.loss;
  if (step.epoch == 0) {
    if (trace_.first_epoch_steps++ < LossTrace::kWindow) {
      first_sum_ += step.loss;
      trace_.start = first_sum_ / trace_.first_epoch_steps;
    }
  }
  const double recent = recent_mean();
  if (trace_.blow_up_epoch < 0 && trace_.first > 0.0 && recent > kLiveBlowUpFactor * trace_.first) {
    trace_.blow_up_epoch = step.epoch;
    trace_.blow_up_step = step.step;
    trace_.blow_up_loss = recent;
    char factor[32];
    std::snprintf(factor, sizeof factor, "%g", kLiveBlowUpFactor);
    const std::string what = "the loss (" + format_metric(recent) + " over the last steps) is over " + factor +
                             " times its start (" + format_metric(trace_.first) + ") at step " +
                             std::to_string(step.step);
    warn(what.c_str(), step.epoch);  // once: this branch runs at most once per run
  }
  return false;
}

double LossTraceRecorder::recent_mean() const {
  const auto kept = static_cast<int>(std::min<std::int64_t>(steps_, LossTrace::kWindow));
  double sum = 0.0;
  for (int i = 0; i < kept; ++i) sum += last_[static_cast<std::size_t>(i)];
  return kept > 0 ? sum / kept : 0.0;
}

bool LossTraceRecorder::on_epoch_end(int epoch, const Metrics& /*metrics*/) {
  if (epoch == 0 && steps_ > 0) trace_.first_epoch_end = recent_mean();
  return false;
}

void LossTraceRecorder::warn(const char* what, int epoch) {
  if (warned_ || !warnings_) return;
  warned_ = true;
  *warnings_ << "warning: " << what << " in epoch " << epoch + 1
             << ": the learning rate looks too large (try it 10x lower, a warmup, or clip.norm)" << std::endl;
}

}  // namespace regimen::train
