#pragma once
// Binary cross-entropy from logits, averaged over every element (PyTorch's BCEWithLogitsLoss,
// reduction='mean'; Keras' BinaryCrossentropy(from_logits=True)). Each output column is its own
// yes/no question (multi-label); a target y is 0 or 1, or a probability in [0, 1]. For a logit z,
// with s = sigmoid(z) = 1 / (1 + e^-z):
//
//   l = -(y log s + (1 - y) log(1 - s)) = max(z, 0) - z y + log(1 + e^-|z|)
//   dl/dz = s - y
//
// The right-hand form never exponentiates a positive number, so logits of +-1e4 give finite,
// exact values (log1p keeps the small tail). L is the mean of l over the n = N x D elements.
// A two-class data set with a 1-output model is the case D = 1: class index 0 or 1 is the target.
#include <string>

#include "runtime/loss/loss.hpp"

namespace regimen::loss {

/// l(z, y) for one element.
double bce_term(double z, double y);
/// dl/dz = sigmoid(z) - y for one element.
double bce_derivative(double z, double y);

/// Sigmoid binary cross-entropy on N x D logits against N x D targets in [0, 1].
class BinaryCrossEntropy : public Loss {
 public:
  std::string name() const override { return "bce"; }
  std::string describe() const override { return "bce (binary cross-entropy from logits)"; }
  bool classification() const override { return false; }
  Task task() const override { return Task::kBinary; }
  /// Throws InvalidArgument when the shapes differ, the batch is empty, or a target is outside
  /// [0, 1] (naming its row and column).
  double value(const Matrix& prediction, const Matrix& target) const override;
  double value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const override;
};

}  // namespace regimen::loss
