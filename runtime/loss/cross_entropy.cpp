#include "runtime/loss/cross_entropy.hpp"

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
  const double inv_rows = 1.0 / static_cast<double>(rows);
  if (grad != nullptr) grad->resize(rows, classes);
  double total = 0.0;
  for (Index i = 0; i < rows; ++i) {
    const Index t = class_index(target, i, classes, kName);
    float* g = grad != nullptr ? grad->row(i).data() : nullptr;
    total += cross_entropy_row(logits.row(i).data(), classes, t, label_smoothing_, g, inv_rows);
  }
  return total * inv_rows;
}

}  // namespace regimen::loss
