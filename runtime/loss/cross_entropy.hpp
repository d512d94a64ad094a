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
#include <string>

#include "runtime/loss/loss.hpp"

namespace regimen::loss {

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
