#pragma once
// Counts of (true class, predicted class) pairs over a data set, and the compact table a
// classification run prints at its end: true classes as rows, predicted classes as columns.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/tensor.hpp"

namespace regimen::train {

/// A classes x classes table of counts; row = true class, column = predicted class.
class ConfusionMatrix {
 public:
  /// All zeros; `classes` >= 1.
  explicit ConfusionMatrix(Index classes);

  Index classes() const { return classes_; }
  /// Sets every count to zero (keeps the storage).
  void clear();
  /// Counts one sample; both indices in [0, classes).
  void add(Index truth, Index predicted) { ++counts_[static_cast<std::size_t>(truth * classes_ + predicted)]; }
  std::int64_t count(Index truth, Index predicted) const {
    return counts_[static_cast<std::size_t>(truth * classes_ + predicted)];
  }
  /// Samples counted.
  std::int64_t total() const;
  /// Samples on the diagonal (predicted = true).
  std::int64_t correct() const;
  /// The counts as rows (true class) of columns (predicted class).
  std::vector<std::vector<std::int64_t>> rows() const;
  /// Every count, row-major (a checkpoint saves and restores them).
  std::span<const std::int64_t> counts() const { return counts_; }
  std::span<std::int64_t> counts() { return counts_; }

 private:
  Index classes_;
  std::vector<std::int64_t> counts_;  ///< row-major
};

/// The table as text, every column right-aligned to one width, after a title line:
///
///   confusion matrix (test, rows: true class, columns: predicted class)
///        0    1    2
///     0  850    3   12
///     1    2  960    0
///     2   31    5  900
std::string format_confusion_matrix(const ConfusionMatrix& matrix, const std::string& split);

/// One JSON object: {"confusion_matrix": {"split": "test", "classes": 3, "rows": [[850, 3, 12], ...]}}.
std::string confusion_matrix_json(const ConfusionMatrix& matrix, const std::string& split);

}  // namespace regimen::train
