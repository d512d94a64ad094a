#include "runtime/loss/accuracy.hpp"

#include "runtime/loss/class_targets.hpp"

namespace regimen::loss {

Index argmax(const Matrix& logits, Index row) {
  Index best = 0;
  for (Index j = 1; j < logits.cols(); ++j) {
    if (logits(row, j) > logits(row, best)) best = j;
  }
  return best;
}

Index count_correct(const Matrix& logits, const Matrix& targets) {
  check_class_targets(logits, targets, "accuracy");
  Index correct = 0;
  for (Index i = 0; i < logits.rows(); ++i) {
    if (argmax(logits, i) == class_index(targets, i, logits.cols(), "accuracy")) ++correct;
  }
  return correct;
}

}  // namespace regimen::loss
