#include "runtime/train/lr_range_test.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/error.hpp"

namespace regimen::train {
double SmoothedLoss::add(double loss) {
  average_ = beta_ * average_ + (1.0 - beta_) * loss;
  return average_ / (1.0 - std::pow(beta_, static_cast<double>(++count_)));
}

void LrRangeOptions::check() const {
  if (!(from > 0.0 && to > from && std::isfinite(to))) {
    throw InvalidArgument("lr range: need 0 < from < to, got from " + std::to_string(from) + ", to " + std::to_string(to));
  }
  if (steps < 2) throw InvalidArgument("lr range: steps must be >= 2, got " + std::to_string(steps));
  if (!(beta >= 0.0 && beta < 1.0)) throw InvalidArgument("lr range: beta must be in [0, 1)");
  if (!(diverge > 1.0)) throw InvalidArgument("lr range: diverge must be > 1");
}

double LrRangeOptions::lr_at(std::int64_t t) const {
  return from * std::pow(to / from, static_cast<double>(t) / static_cast<double>(steps - 1));
}

LrRangeCurve analyze_lr_range(const std::vector<double>& losses, const LrRangeOptions& options) {
  LrRangeCurve curve;
  SmoothedLoss smoother(options.beta);
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t < losses.size(); ++t) {
    const double smoothed = smoother.add(losses[t]);
    if (!std::isfinite(smoothed) || smoothed > options.diverge * best) {
      curve.diverged = true;
      break;
    }
    best = std::min(best, smoothed);
    curve.lrs.push_back(options.lr_at(static_cast<std::int64_t>(t)));
    curve.losses.push_back(losses[t]);
    curve.smoothed.push_back(smoothed);
  }
  const std::size_t n = curve.smoothed.size();
  if (n == 0) return curve;
  curve.min_lr = curve.lrs[static_cast<std::size_t>(
      std::min_element(curve.smoothed.begin(), curve.smoothed.end()) - curve.smoothed.begin())];
  const bool trim = n >= 10;
  const std::size_t first = trim ? n / 10 : 0, last = trim ? n - n / 20 : n;
  double steepest = std::numeric_limits<double>::infinity();
  curve.steepest_lr = curve.min_lr;
  for (std::size_t i = first + 1; i < last; ++i) {
    const double slope = std::log(curve.smoothed[i] / curve.smoothed[i - 1]) / std::log(curve.lrs[i] / curve.lrs[i - 1]);
    if (slope < steepest) {
      steepest = slope;
      curve.steepest_lr = curve.lrs[i];
    }
  }
  return curve;
}

bool LrRangeRecorder::on_step_end(const StepEnd& step) {
  losses_.push_back(step.loss);
  const double smoothed = smoothed_.add(step.loss);
  if (losses_.size() == 1 || smoothed < best_) best_ = smoothed;
  if (std::isfinite(smoothed) && smoothed <= options_.diverge * best_) return false;
  reason_ = "the loss diverged at lr " + std::to_string(options_.lr_at(step.step - 1));
  return true;
}

}  // namespace regimen::train
