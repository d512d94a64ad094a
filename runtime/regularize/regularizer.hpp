#pragma once
// A weight penalty: its value is added to the reported loss, its gradient to the gradient.
#include <span>
#include <string>

namespace regimen::regularize {

/// A penalty R(w) on a set of weights.
class Regularizer {
 public:
  virtual ~Regularizer() = default;
  /// One line for `regimen check`: "l2(0.0001)".
  virtual std::string describe() const = 0;
  /// R(w).
  virtual double penalty(std::span<const float> weights) const = 0;
  /// grad += dR/dw.
  virtual void add_gradient(std::span<const float> weights, std::span<float> grad) const = 0;
};

}  // namespace regimen::regularize
