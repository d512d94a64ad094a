#pragma once
// L1 weight penalty in Keras' convention (keras/src/regularizers/regularizers.py, L1):
//
//   R(w)     = c * sum_i |w_i|
//   dR/dw_i  = c * sign(w_i)          (0 at w_i = 0, as autograd's derivative of |x| is there)
//
// L1 pushes small weights to exactly zero (sparsity); L2 shrinks all weights in proportion.
#include <span>
#include <string>

#include "runtime/regularize/regularizer.hpp"

namespace regimen::regularize {

/// reg.l1(c): c * sum(|w|).
class L1 final : public Regularizer {
 public:
  /// c must be finite and >= 0.
  explicit L1(double c);

  /// "l1(1e-05)".
  std::string describe() const override;
  /// c * sum(|w|), summed in double.
  double penalty(std::span<const float> weights) const override;
  /// grad += c * sign(w). weights and grad have the same length.
  void add_gradient(std::span<const float> weights, std::span<float> grad) const override;

  double c() const { return c_; }

 private:
  double c_;
};

}  // namespace regimen::regularize
