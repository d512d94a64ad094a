#include "runtime/loss/mae.hpp"

#include "runtime/loss/elementwise.hpp"

namespace regimen::loss {
namespace {

double mean(const Matrix& prediction, const Matrix& target, Matrix* grad) {
  check_same_shape(prediction, target, "mae");
  return elementwise_mean(
      prediction, target, grad, [](double p, double t) { return mae_term(p - t); },
      [](double p, double t) { return mae_derivative(p - t); });
}

}  // namespace

double MeanAbsoluteError::value(const Matrix& prediction, const Matrix& target) const {
  return mean(prediction, target, nullptr);
}

double MeanAbsoluteError::value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const {
  return mean(prediction, target, &grad);
}

}  // namespace regimen::loss
