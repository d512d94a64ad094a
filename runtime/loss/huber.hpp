#pragma once
// Huber loss over every element (PyTorch's HuberLoss, reduction='mean'): quadratic near zero,
// linear beyond delta. With d = p - t and n = N x D elements:
//
//   h(d) = d^2 / 2                  if |d| < delta
//          delta (|d| - delta / 2)  otherwise
//   h'(d) = d                       if |d| <= delta
//           delta sign(d)           otherwise
//   L = (1/n) sum h(d),  dL/dp = h'(d) / n
//
// Both pieces and their slopes meet at |d| = delta, so h is continuously differentiable.
// PyTorch's SmoothL1Loss(beta) is h / beta with delta = beta; Keras' Huber(delta) is the same h.
#include <string>

#include "runtime/loss/loss.hpp"

namespace regimen::loss {

/// h(d) for one element.
inline double huber_term(double d, double delta) {
  const double a = d < 0.0 ? -d : d;
  return a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
}
/// h'(d) for one element.
inline double huber_derivative(double d, double delta) {
  if (d > delta) return delta;
  if (d < -delta) return -delta;
  return d;
}

/// The mean Huber loss; a regression loss, quadratic for small errors and linear for outliers.
class Huber : public Loss {
 public:
  /// Throws InvalidArgument unless delta > 0 (infinity gives d^2 / 2 everywhere).
  explicit Huber(double delta = 1.0);

  double delta() const { return delta_; }

  std::string name() const override { return "huber"; }
  /// "huber(delta=1)".
  std::string describe() const override;
  bool classification() const override { return false; }
  /// Throws InvalidArgument when the shapes differ or the batch is empty.
  double value(const Matrix& prediction, const Matrix& target) const override;
  double value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const override;

 private:
  double mean(const Matrix& prediction, const Matrix& target, Matrix* grad) const;

  double delta_;
};

}  // namespace regimen::loss
