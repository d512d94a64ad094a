#pragma once
// The monitored value of a stop rule: a metric read from each epoch's Metrics, optionally
// smoothed by a moving average over the last n epochs (fewer while fewer have run), so that a
// noisy validation metric does not trip a rule by one bad epoch.
#include <deque>
#include <optional>
#include <string>

#include "runtime/io/byte_stream.hpp"
#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// A metric's value per epoch, averaged over a sliding window.
class SmoothedMetric {
 public:
  /// `window` >= 1 epochs (1: no smoothing); throws InvalidArgument otherwise.
  SmoothedMetric(std::string name, int window = 1);

  /// Records this epoch's value of the metric and returns the mean of the window; nullopt when
  /// the metric is missing (nothing is recorded then). A non-finite value poisons the mean
  /// while it is in the window, which is what a divergence rule wants to see.
  std::optional<double> read(const Metrics& metrics);

  const std::string& name() const { return name_; }
  int window() const { return window_; }
  /// "val_loss" or "val_loss (mean of 3)".
  std::string describe() const;
  /// The window's values, for a checkpoint, and back.
  void save(io::ByteWriter& out) const;
  void load(io::ByteReader& in);

 private:
  std::string name_;
  int window_;
  std::deque<double> values_;
};

}  // namespace regimen::train
