#include "runtime/loss/bce.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "runtime/error.hpp"
#include "runtime/loss/elementwise.hpp"

namespace regimen::loss {
namespace {

constexpr const char* kName = "bce";

void check_targets(const Matrix& target) {
  for (Index i = 0; i < target.rows(); ++i) {
    for (Index j = 0; j < target.cols(); ++j) {
      const float y = target(i, j);
      if (y >= 0.0f && y <= 1.0f) continue;  // also rejects NaN
      std::ostringstream message;
      message << kName << ": target in row " << i << ", column " << j << " is " << y
              << ", expected a value in [0, 1]";
      throw InvalidArgument(message.str());
    }
  }
}

double mean(const Matrix& prediction, const Matrix& target, Matrix* grad) {
  check_same_shape(prediction, target, kName);
  check_targets(target);
  return elementwise_mean(prediction, target, grad, bce_term, bce_derivative);
}

}  // namespace

double bce_term(double z, double y) { return std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::fabs(z))); }

double bce_derivative(double z, double y) {
  // sigmoid(z) from whichever side keeps the exponent <= 0.
  const double e = std::exp(-std::fabs(z));
  const double s = z >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  return s - y;
}

double BinaryCrossEntropy::value(const Matrix& prediction, const Matrix& target) const {
  return mean(prediction, target, nullptr);
}

double BinaryCrossEntropy::value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const {
  return mean(prediction, target, &grad);
}

}  // namespace regimen::loss
