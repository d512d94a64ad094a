#include "runtime/train/early_stop.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string_view>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::train {
namespace {

// Keras 3 metrics whose class sets _direction = "up" / "down", by their default names
// (keras/src/metrics/*.py). Keras looks the name up among the model's compiled metrics;
// Regimen's metric names are Keras' defaults, so the table is that lookup.
constexpr std::array<std::string_view, 13> kMaximized = {
    "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "auc", "precision",
    "recall", "f1_score", "fbeta_score", "r2_score", "cosine_similarity"};
constexpr std::array<std::string_view, 14> kMinimized = {
    "loss", "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "root_mean_squared_error", "logcosh",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "kl_divergence", "poisson", "hinge", "squared_hinge"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

// Keras 3's _set_monitor_op for mode "auto".
bool auto_maximize(std::string_view monitor) {
  std::string_view name = monitor;
  if (name.starts_with("val_")) name.remove_prefix(4);
  if (contains(kMaximized, name)) return true;
  if (contains(kMinimized, name)) return false;
  throw InvalidArgument("mode \"auto\" cannot tell whether '" + std::string(monitor) +
                        "' should decrease or increase; set mode to \"min\" or \"max\"");
}

void validate(const EarlyStopOptions& o) {
  if (o.monitor.empty()) throw InvalidArgument("monitor must name a metric, got \"\"");
  require_non_negative("min_delta", o.min_delta);
  require(o.patience >= 0, "patience", ">= 0", o.patience);
  require(o.start_from_epoch >= 0, "start_from_epoch", ">= 0", o.start_from_epoch);
  if (o.baseline) require_finite("baseline", *o.baseline);
}

}  // namespace

bool resolve_maximize(const std::string& monitor, const std::string& mode) {
  if (mode == "min") return false;
  if (mode == "max") return true;
  if (mode == "auto") return auto_maximize(monitor);
  throw InvalidArgument("mode must be \"auto\", \"min\" or \"max\", got \"" + mode + "\"");
}

EarlyStop::EarlyStop(EarlyStopOptions options) : options_(std::move(options)) {
  validate(options_);
  maximize_ = resolve_maximize(options_.monitor, options_.mode);
  signed_delta_ = maximize_ ? options_.min_delta : -options_.min_delta;
  best_ = maximize_ ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
}

bool EarlyStop::is_improvement(double value, double reference) const {
  const double shifted = value - signed_delta_;
  return maximize_ ? shifted > reference : shifted < reference;
}

Verdict EarlyStop::observe(int epoch, double value) {
  require(epoch >= 0, "epoch", ">= 0", epoch);
  Verdict verdict;
  if (epoch < options_.start_from_epoch) return verdict;
  if (options_.restore_best && !has_snapshot_) {
    // Keras takes the first monitored epoch's weights as best, improvement or not.
    has_snapshot_ = true;
    verdict.snapshot = true;
    best_epoch_ = epoch;
  }
  ++wait_;
  if (is_improvement(value, best_)) {
    best_ = value;
    best_epoch_ = epoch;
    verdict.improved = true;
    verdict.snapshot = options_.restore_best;
    // Only a value that also beats the baseline restarts the count.
    if (!options_.baseline || is_improvement(value, *options_.baseline)) wait_ = 0;
    return verdict;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    verdict.stop = true;
  }
  return verdict;
}

std::string EarlyStop::stop_reason() const {
  if (stopped_epoch_ == 0) return {};
  return "early_stop: " + options_.monitor + " did not improve for " + std::to_string(wait_) +
         " epochs (best " + format_number(best_) + " at epoch " + std::to_string(best_epoch_) + ")";
}

std::string EarlyStop::describe() const {
  const EarlyStopOptions& o = options_;
  return "early_stop(monitor=" + o.monitor + ", mode=" + (maximize_ ? "max" : "min") +
         ", min_delta=" + format_number(o.min_delta) + ", patience=" + std::to_string(o.patience) +
         ", baseline=" + (o.baseline ? format_number(*o.baseline) : std::string("none")) +
         ", restore_best=" + (o.restore_best ? "true" : "false") +
         ", start_from_epoch=" + std::to_string(o.start_from_epoch) + ")";
}

}  // namespace regimen::train

namespace regimen::train {

void EarlyStop::save(io::ByteWriter& out) const {
  out.f64(best_);
  out.i64(best_epoch_);
  out.i64(stopped_epoch_);
  out.i64(wait_);
  out.u8(has_snapshot_ ? 1 : 0);
}

void EarlyStop::load(io::ByteReader& in) {
  best_ = in.f64();
  best_epoch_ = static_cast<int>(in.i64());
  stopped_epoch_ = static_cast<int>(in.i64());
  wait_ = static_cast<int>(in.i64());
  has_snapshot_ = in.u8() != 0;
}

}  // namespace regimen::train
