#include "runtime/train/smoothed_metric.hpp"

#include <cmath>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::train {

SmoothedMetric::SmoothedMetric(std::string name, int window) : name_(std::move(name)), window_(window) {
  if (name_.empty()) throw InvalidArgument("monitor must name a metric, got \"\"");
  require(window_ >= 1, "smoothing", ">= 1", window_);
}

std::optional<double> SmoothedMetric::read(const Metrics& metrics) {
  const std::optional<double> value = metrics.get(name_);
  if (!value) return std::nullopt;
  if (window_ == 1) return value;
  values_.push_back(*value);
  if (static_cast<int>(values_.size()) > window_) values_.pop_front();
  // Summed afresh: a running sum never recovers from a NaN that has left the window.
  double sum = 0.0;
  for (double v : values_) sum += v;
  return sum / static_cast<double>(values_.size());
}

std::string SmoothedMetric::describe() const {
  return window_ == 1 ? name_ : name_ + " (mean of " + std::to_string(window_) + ")";
}

}  // namespace regimen::train

namespace regimen::train {

void SmoothedMetric::save(io::ByteWriter& out) const {
  const std::vector<double> values(values_.begin(), values_.end());
  out.doubles(values);
}

void SmoothedMetric::load(io::ByteReader& in) {
  const std::vector<double> values = in.doubles();
  if (values.size() > static_cast<std::size_t>(window_))
    in.fail(name_ + ": " + std::to_string(values.size()) + " values for a window of " + std::to_string(window_));
  values_.assign(values.begin(), values.end());
}

}  // namespace regimen::train
