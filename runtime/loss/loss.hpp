#pragma once
// A loss compares a batch of predictions with targets and gives the mean loss and its gradient.
#include <string>

#include "runtime/tensor.hpp"

namespace regimen::loss {

/// What a loss's targets are; it decides which metrics a run can report.
enum class Task {
  kRegression,      ///< targets have the prediction's shape (mse, mae, huber)
  kClassification,  ///< one column of class indices, one logit per class (cross_entropy)
  kBinary,          ///< a 0/1 target per output column, one logit each (bce; multi-label)
};

/// A differentiable training objective, averaged over the batch.
class Loss {
 public:
  virtual ~Loss() = default;
  /// The DSL name: "mse", "mae", "huber", "bce", "cross_entropy".
  virtual std::string name() const = 0;
  /// One line for `regimen check`.
  virtual std::string describe() const = 0;
  /// True when targets are class indices (one column of integral values) and the model emits
  /// one logit per class; accuracy is then reported.
  virtual bool classification() const = 0;
  /// The kind of targets; regression or classification as classification() says, unless overridden.
  virtual Task task() const { return classification() ? Task::kClassification : Task::kRegression; }
  /// Mean loss over the rows of `prediction`.
  virtual double value(const Matrix& prediction, const Matrix& target) const = 0;
  /// Mean loss, and dLoss/dPrediction written into `grad` (resized to prediction's shape).
  virtual double value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const = 0;
};

}  // namespace regimen::loss
