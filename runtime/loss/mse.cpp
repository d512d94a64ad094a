#include "runtime/loss/mse.hpp"

#include <string>

#include "runtime/error.hpp"

namespace regimen::loss {
namespace {

std::string shape(const Matrix& m) { return std::to_string(m.rows()) + "x" + std::to_string(m.cols()); }

void check_shapes(const Matrix& prediction, const Matrix& target) {
  if (prediction.rows() != target.rows() || prediction.cols() != target.cols()) {
    throw InvalidArgument("mse: prediction is " + shape(prediction) + " but target is " + shape(target));
  }
  if (prediction.size() == 0) throw InvalidArgument("mse: empty batch (" + shape(prediction) + ")");
}

}  // namespace

double MeanSquaredError::value(const Matrix& prediction, const Matrix& target) const {
  check_shapes(prediction, target);
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
