#include "runtime/loss/cross_entropy.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "runtime/error.hpp"
#include "runtime/loss/class_targets.hpp"

namespace regimen::loss {
namespace {

constexpr const char* kName = "cross_entropy";

double checked_smoothing(double s) {
  if (!(s >= 0.0 && s < 1.0)) {  // written so that NaN fails too
    std::ostringstream message;
    message << kName << ": label_smoothing must be in [0, 1), got " << s;
    throw InvalidArgument(message.str());
  }
  return s;
}

// logsumexp of one row, shifted by its max so that no exponent is positive.
double log_sum_exp(const float* z, Index classes) {
  double m = z[0];
  for (Index j = 1; j < classes; ++j) m = std::max(m, static_cast<double>(z[j]));
  double sum = 0.0;
  for (Index j = 0; j < classes; ++j) sum += std::exp(static_cast<double>(z[j]) - m);
  return m + std::log(sum);
}

}  // namespace

CrossEntropy::CrossEntropy(double label_smoothing) : label_smoothing_(checked_smoothing(label_smoothing)) {}

std::string CrossEntropy::describe() const {
  if (label_smoothing_ == 0.0) return kName;
  std::ostringstream text;
  text << kName << "(label_smoothing=" << label_smoothing_ << ")";
  return text.str();
}

double CrossEntropy::value(const Matrix& prediction, const Matrix& target) const {
  return mean_loss(prediction, target, nullptr);
}

double CrossEntropy::value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const {
  return mean_loss(prediction, target, &grad);
}

double CrossEntropy::mean_loss(const Matrix& logits, const Matrix& target, Matrix* grad) const {
  check_class_targets(logits, target, kName);
  const Index rows = logits.rows();
  const Index classes = logits.cols();
  const double s = label_smoothing_;
  const double smooth = s / static_cast<double>(classes);  // q_j for j != t
  const double inv_rows = 1.0 / static_cast<double>(rows);
  if (grad != nullptr) grad->resize(rows, classes);
  double total = 0.0;
  for (Index i = 0; i < rows; ++i) {
    const Index t = class_index(target, i, classes, kName);
    const float* z = logits.row(i).data();
    const double lse = log_sum_exp(z, classes);
    double expected_z = 0.0;  // sum_j q_j z_j
    for (Index j = 0; j < classes; ++j) expected_z += smooth * z[j];
    expected_z += (1.0 - s) * z[t];
    total += lse - expected_z;
    if (grad == nullptr) continue;
    float* g = grad->row(i).data();
    for (Index j = 0; j < classes; ++j) {
      const double q = smooth + (j == t ? 1.0 - s : 0.0);
      g[j] = static_cast<float>((std::exp(static_cast<double>(z[j]) - lse) - q) * inv_rows);
    }
  }
  return total * inv_rows;
}

}  // namespace regimen::loss
