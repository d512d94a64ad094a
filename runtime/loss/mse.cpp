#include "runtime/loss/mse.hpp"

#include "runtime/loss/elementwise.hpp"

namespace regimen::loss {

double MeanSquaredError::value(const Matrix& prediction, const Matrix& target) const {
  check_same_shape(prediction, target, "mse");
  // Summed in double: a float sum over a large batch loses the small terms.
  const double sum = (prediction.cast<double>() - target.cast<double>()).squaredNorm();
  return sum / static_cast<double>(prediction.size());
}

double MeanSquaredError::value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const {
  const double loss = value(prediction, target);
  const float scale = static_cast<float>(2.0 / static_cast<double>(prediction.size()));
  grad.resize(prediction.rows(), prediction.cols());
  grad.array() = scale * (prediction.array() - target.array());
  return loss;
}

}  // namespace regimen::loss
