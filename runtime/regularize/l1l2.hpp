#pragma once
// Elastic-net penalty, Keras' L1L2 (keras/src/regularizers/regularizers.py):
//
//   R(w)     = l1 * sum_i |w_i| + l2 * sum_i w_i^2
//   dR/dw_i  = l1 * sign(w_i) + 2 l2 w_i          (sign(0) = 0)
//
// Both coefficients default to 0 as in Keras' class (its l1_l2() shortcut defaults to 0.01).
#include <span>
#include <string>

#include "runtime/regularize/regularizer.hpp"

namespace regimen::regularize {

/// reg.l1l2{l1 = ..., l2 = ...}: l1 * sum(|w|) + l2 * sum(w^2).
class L1L2 final : public Regularizer {
 public:
  /// l1 and l2 must be finite and >= 0.
  L1L2(double l1, double l2);

  /// "l1l2(l1=1e-05, l2=0.0001)".
  std::string describe() const override;
  /// l1 * sum(|w|) + l2 * sum(w^2), summed in double in one pass.
  double penalty(std::span<const float> weights) const override;
  /// grad += l1 * sign(w) + 2 l2 w. weights and grad have the same length.
  void add_gradient(std::span<const float> weights, std::span<float> grad) const override;

  double l1() const { return l1_; }
  double l2() const { return l2_; }

 private:
  double l1_;
  double l2_;
};

}  // namespace regimen::regularize
