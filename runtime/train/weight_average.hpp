#pragma once
// An exponential moving average of the weights (Polyak averaging; the EMA of Keras' use_ema and
// of PyTorch's swa_utils.AveragedModel with get_ema_multi_avg_fn), updated after every
// optimizer step:
//
//   ema <- d * ema + (1 - d) * w          ema starts as the weights at the start of training
//
// The average is a smoother, usually better-generalizing point than the last iterate; the
// trainer evaluates with it by swapping it into the model and swapping back to keep training.
#include <span>
#include <vector>

namespace regimen::train {

/// The averaged copy of a flat weight buffer.
class WeightAverage {
 public:
  /// Starts the average at `weights`; `decay` must be in [0, 1) (InvalidArgument naming "ema").
  WeightAverage(double decay, std::span<const float> weights);

  /// ema <- d * ema + (1 - d) * w, in one pass; `weights` has the length given at construction.
  void update(std::span<const float> weights);
  /// Exchanges the average and `weights` element by element (swapping twice restores both).
  void swap(std::span<float> weights);

  double decay() const { return decay_; }
  /// The average (or, while swapped, the weights it was swapped with).
  std::span<const float> values() const { return average_; }

 private:
  void check_length(std::size_t size) const;

  double decay_;
  std::vector<float> average_;
};

}  // namespace regimen::train
