#pragma once
// Softmax over each sample's features (PyTorch's Softmax(dim=1) on an N x F batch; on an image
// sample, over all its C*H*W values):
//
//   y_i = exp(x_i - m) / sum_j exp(x_j - m),      m = max_j x_j (for range only; y is unchanged)
//   dL/dx_i = y_i (g_i - sum_j g_j y_j)
//
// For training a classifier use loss.cross_entropy on logits instead: it fuses the log and is
// exact where softmax underflows.
#include <string>

#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// Row-wise softmax; keeps the shape.
class Softmax : public Layer {
 public:
  std::string type() const override { return "softmax"; }
  std::string describe() const override { return "softmax"; }
  Index output_features(Index input_features) const override { return input_features; }

  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;

 private:
  Matrix output_;
  Matrix grad_input_;
};

}  // namespace regimen::nn
