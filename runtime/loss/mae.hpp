#pragma once
// Mean absolute error over every element (PyTorch's L1Loss, reduction='mean'). With d = p - t
// and n = N x D elements:
//
//   L = (1/n) sum |d|
//   dL/dp = sign(d) / n        (0 at d = 0, as PyTorch's sgn; any value in [-1, 1] is a subgradient)
#include <string>

#include "runtime/loss/loss.hpp"

namespace regimen::loss {

/// |d|, one element's term.
inline double mae_term(double d) { return d < 0.0 ? -d : d; }
/// d|d|/dd, with 0 at d = 0.
inline double mae_derivative(double d) { return d > 0.0 ? 1.0 : (d < 0.0 ? -1.0 : 0.0); }

/// The mean of |prediction - target| over all elements; a regression loss, robust to outliers.
class MeanAbsoluteError : public Loss {
 public:
  std::string name() const override { return "mae"; }
  std::string describe() const override { return "mae (mean absolute error)"; }
  bool classification() const override { return false; }
  /// Throws InvalidArgument when the shapes differ or the batch is empty.
  double value(const Matrix& prediction, const Matrix& target) const override;
  double value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const override;
};

}  // namespace regimen::loss
