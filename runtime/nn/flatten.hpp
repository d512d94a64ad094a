#pragma once
// Turns an image sample (C x H x W) into C*H*W flat features. A batch row already holds the
// sample in that order (shape.hpp), so forward and backward pass their argument through and
// only the shape changes: PyTorch's nn.Flatten() on NCHW gives the same feature order.
#include <string>

#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// Image to flat features; a no-op on the data.
class Flatten : public Layer {
 public:
  std::string type() const override { return "flatten"; }
  std::string describe() const override { return "flatten"; }
  Index output_features(Index input_features) const override { return input_features; }
  Shape output_shape(const Shape& input) const override { return Shape::flat(input.features()); }

  const Matrix& forward(const ParameterArena& /*arena*/, const Matrix& input, Mode /*mode*/) override { return input; }
  const Matrix& backward(ParameterArena& /*arena*/, const Matrix& grad_output) override { return grad_output; }
  /// Nothing: both passes hand their argument through.
  std::size_t bytes_per_sample(const Shape& /*input*/) const override { return 0; }
};

}  // namespace regimen::nn
