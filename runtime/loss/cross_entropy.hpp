#pragma once
// Cross-entropy from logits with class-index targets, averaged over the batch (PyTorch's
// CrossEntropyLoss with reduction='mean' and label_smoothing). For a row z (1 x C) with target
// class t and smoothing s, the target distribution is q = (1 - s) onehot(t) + s/C, and with
// p = softmax(z):
//
//   l = -sum_j q_j log p_j = logsumexp(z) - sum_j q_j z_j          (since sum_j q_j = 1)
//   dl/dz_j = p_j - q_j
//
// The batch loss is the mean of l over the N rows, so dL/dz = (p - q) / N.
// logsumexp(z) = m + log sum_j exp(z_j - m) with m = max_j z_j: every exponent is <= 0, so
// logits of 1e4 neither overflow nor underflow the sum to zero.
#include <algorithm>
#include <cmath>
#include <string>

#include "runtime/loss/loss.hpp"

namespace regimen::loss {

/// One row's l for logits z[0..classes) (float or double), target class t and smoothing s, in
/// double; when `grad` is set, writes (p_j - q_j) * scale into grad[j]. The batch loss calls it
/// with float logits; the double-precision gradient check calls it with doubles.
template <typename T>
double cross_entropy_row(const T* z, Index classes, Index t, double s, T* grad, double scale) {
  double m = z[0];
  for (Index j = 1; j < classes; ++j) m = std::max(m, static_cast<double>(z[j]));
  double sum = 0.0;
  for (Index j = 0; j < classes; ++j) sum += std::exp(static_cast<double>(z[j]) - m);
  const double lse = m + std::log(sum);
  const double smooth = s / static_cast<double>(classes);  // q_j for j != t
  double expected_z = 0.0;                                  // sum_j q_j z_j
  for (Index j = 0; j < classes; ++j) expected_z += smooth * static_cast<double>(z[j]);
  expected_z += (1.0 - s) * static_cast<double>(z[t]);
  if (grad != nullptr) {
    for (Index j = 0; j < classes; ++j) {
      const double q = smooth + (j == t ? 1.0 - s : 0.0);
      grad[j] = static_cast<T>((std::exp(static_cast<double>(z[j]) - lse) - q) * scale);
    }
  }
  return lse - expected_z;
}

/// Softmax cross-entropy on N x C logits against N x 1 class indices (0-based, stored as floats).
class CrossEntropy : public Loss {
 public:
  /// Throws InvalidArgument unless 0 <= label_smoothing < 1.
  explicit CrossEntropy(double label_smoothing = 0.0);

  double label_smoothing() const { return label_smoothing_; }

  std::string name() const override { return "cross_entropy"; }
  /// "cross_entropy" or "cross_entropy(label_smoothing=0.1)".
  std::string describe() const override;
  bool classification() const override { return true; }
  /// Throws InvalidArgument on a shape mismatch or a target outside [0, C), naming the row.
  double value(const Matrix& prediction, const Matrix& target) const override;
  double value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const override;

 private:
  double mean_loss(const Matrix& logits, const Matrix& target, Matrix* grad) const;

  double label_smoothing_;
};

}  // namespace regimen::loss
