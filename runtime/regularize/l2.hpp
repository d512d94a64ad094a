#pragma once
// L2 weight penalty in Keras' convention (keras/src/regularizers/regularizers.py, L2):
//
//   R(w)     = c * sum_i w_i^2
//   dR/dw_i  = 2 c w_i
//
// Keras has no 1/2 in front, so the gradient carries the factor 2; PyTorch's weight_decay=c
// instead adds c*w to the gradient, which is this penalty with c/2.
#include <span>
#include <string>

#include "runtime/regularize/regularizer.hpp"

namespace regimen::regularize {

/// reg.l2(c): c * sum(w^2).
class L2 final : public Regularizer {
 public:
  /// c must be finite and >= 0.
  explicit L2(double c);

  /// "l2(0.0001)".
  std::string describe() const override;
  /// c * sum(w^2), summed in double so that a large layer loses no precision.
  double penalty(std::span<const float> weights) const override;
  /// grad += 2c * w. weights and grad have the same length.
  void add_gradient(std::span<const float> weights, std::span<float> grad) const override;

  double c() const { return c_; }

 private:
  double c_;
};

}  // namespace regimen::regularize
