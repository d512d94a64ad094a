#pragma once
// Keras' MaxNorm constraint (keras/src/constraints/constraints.py) with axis=0: each column of
// the weight matrix -- in a Linear layer's in x out layout, the incoming weights of one output
// unit -- is rescaled so that its L2 norm is at most c (Srivastava et al., 2014, "Dropout", sec. 5.1):
//
//   n_j = sqrt(sum_i w_ij^2)
//   w_ij <- w_ij * min(n_j, c) / (n_j + 1e-7)
//
// This is Keras' formula exactly, epsilon included: a column already within the bound is
// multiplied by n_j / (n_j + 1e-7), a relative change below 1e-7 / n_j (PyTorch's renorm
// leaves such columns alone; the difference is below float precision for any usual norm).
#include <string>

#include "runtime/regularize/constraint.hpp"

namespace regimen::regularize {

/// reg.max_norm(c): every column's L2 norm clipped to c.
class MaxNorm final : public Constraint {
 public:
  /// Keras' backend epsilon, added to the norm before dividing.
  static constexpr double kEpsilon = 1e-7;

  /// c must be finite and > 0.
  explicit MaxNorm(double c);

  /// "max_norm(3)".
  std::string describe() const override;
  /// Rescales each column as above. Allocates nothing: columns are done in blocks whose norms
  /// fit on the stack, reading the row-major matrix row by row.
  void apply(MatrixMap weights) const override;

  double c() const { return c_; }

 private:
  double c_;
};

}  // namespace regimen::regularize
