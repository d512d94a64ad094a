#pragma once
// The moving average of a whole model: its weights (WeightAverage) and its buffers, batch norm's
// running statistics, averaged the same way after every step — PyTorch's
// swa_utils.AveragedModel(use_buffers=True). Averaged weights evaluated with the last iterate's
// statistics would see activations those statistics were not gathered for.
#include <optional>
#include <span>
#include <vector>

#include "runtime/nn/model.hpp"
#include "runtime/train/weight_average.hpp"

namespace regimen::train {

/// The averaged copy of a built model's weights and buffers.
class ModelAverage {
 public:
  /// Starts from `weights` and `buffers` (a run's start, or a checkpoint's averages); empty
  /// spans mean the model's current values. `model` must outlive the average.
  ModelAverage(double decay, nn::Model& model, std::span<const float> weights, std::span<const float> buffers);

  /// One step: both averages move towards the model's current values. Allocates nothing.
  void update();
  /// Exchanges the model's weights and buffers with the averages (twice restores both).
  void swap();

  std::span<const float> weights() const { return weights_.values(); }
  std::span<const float> buffers() const { return buffers_ ? buffers_->values() : std::span<const float>(); }

 private:
  void read_buffers();
  void write_buffers();

  nn::Model& model_;
  WeightAverage weights_;
  std::optional<WeightAverage> buffers_;  ///< absent for a model without buffers
  std::vector<nn::Buffer> buffer_list_;   ///< the model's buffers, listed once
  std::vector<float> scratch_;            ///< the buffers' current values, flat
};

}  // namespace regimen::train
