#pragma once
// The rectifier, element by element:
//
//   y = max(x, 0)
//   dy/dx = 1 if x > 0, else 0      (0 at the kink, as PyTorch does)
#include <string>

#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// Element-wise max(x, 0); no parameters, any width.
class ReLU : public Layer {
 public:
  std::string type() const override { return "relu"; }
  std::string describe() const override { return "relu"; }
  /// Keeps the width; a ReLU takes any.
  Index output_features(Index input_features) const override { return input_features; }

  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;

 private:
  const Matrix* input_ = nullptr;  // the last forward's input: its sign gates the gradient
  Matrix output_;
  Matrix grad_input_;
};

}  // namespace regimen::nn
