#include "runtime/train/divergence_rule.hpp"

#include <cmath>
#include <limits>

#include "runtime/option_check.hpp"
#include "runtime/train/epoch_printer.hpp"

namespace regimen::train {

DivergenceRule::DivergenceRule(std::string monitor, double factor, int smoothing)
    : value_(std::move(monitor), smoothing), factor_(factor), best_(std::numeric_limits<double>::infinity()) {
  require_finite("divergence", factor_);
  require(factor_ >= 1.0, "divergence", ">= 1", factor_);
}

bool DivergenceRule::observe_epoch(int epoch, const Metrics& metrics) {
  const auto value = value_.read(metrics);
  if (!value) return false;
  const bool diverged = !std::isfinite(*value) || (std::isfinite(best_) && *value > factor_ * best_);
  if (diverged) {
    fired_epoch_ = epoch;
    fired_value_ = *value;
    return true;
  }
  if (*value < best_) best_ = *value;
  return false;
}

std::string DivergenceRule::reason() const {
  std::string text = value_.describe() + " diverged at epoch " + std::to_string(fired_epoch_ + 1) + ": ";
  if (!std::isfinite(fired_value_)) return text + format_metric(fired_value_);
  return text + format_metric(fired_value_) + " > " + format_number(factor_) + " x best " + format_metric(best_);
}

std::string DivergenceRule::describe() const {
  return "divergence(monitor=" + value_.describe() + ", factor=" + format_number(factor_) + ")";
}

}  // namespace regimen::train

namespace regimen::train {

void DivergenceRule::save(io::ByteWriter& out) const {
  value_.save(out);
  out.f64(best_);
  out.i64(fired_epoch_);
  out.f64(fired_value_);
}

void DivergenceRule::load(io::ByteReader& in) {
  value_.load(in);
  best_ = in.f64();
  fired_epoch_ = static_cast<int>(in.i64());
  fired_value_ = in.f64();
}

}  // namespace regimen::train
