#pragma once
// Mean squared error over every element (PyTorch's MSELoss, reduction='mean'). For an N x D
// prediction P and target T, with n = N * D:
//
//   L = (1/n) sum_ij (P_ij - T_ij)^2
//   dL/dP_ij = 2 (P_ij - T_ij) / n
#include <string>

#include "runtime/loss/loss.hpp"

namespace regimen::loss {

/// The mean of (prediction - target)^2 over all elements; a regression loss.
class MeanSquaredError : public Loss {
 public:
  std::string name() const override { return "mse"; }
  std::string describe() const override { return "mse (mean squared error)"; }
  bool classification() const override { return false; }
  /// Throws InvalidArgument when the shapes differ or the batch is empty.
  double value(const Matrix& prediction, const Matrix& target) const override;
  double value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const override;
};

}  // namespace regimen::loss
