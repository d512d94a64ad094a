#pragma once
// Streams a run's metrics over one pass of a data set: the trainer feeds every batch's model
// output and targets, then reads the pass's values. The counters are sized at construction, so
// feeding a batch allocates nothing. Definitions (docs/dsl.md, "Metrics"):
//
// - classification (class-index targets, one logit per class): accuracy = share of rows whose
//   first maximal logit is the target; top_<k>_accuracy = share of rows where fewer than k
//   classes have a logit strictly above the target's (tf.math.in_top_k: ties at the boundary
//   count as hits); precision, recall, f1 = sklearn's macro averages over the confusion matrix.
// - binary (bce; a 0/1 target per column, one logit each): an element is predicted positive
//   when its logit is > 0 (sigmoid > 0.5) and is positive when its target is >= 0.5; accuracy
//   is the share of matching elements (Keras' binary_accuracy); precision, recall, f1 are the
//   positive class's per column, averaged over columns (sklearn on multi-label input).
// - regression: mse, mae over every element; r2 = 1 - SS_res / SS_tot per column, averaged over
//   columns (sklearn's r2_score, multioutput='uniform_average'; a constant column scores 1 when
//   predicted exactly, else 0). SS_tot is accumulated with Welford's update, which does not
//   cancel when the targets sit far from zero.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/io/byte_stream.hpp"
#include "runtime/loss/loss.hpp"
#include "runtime/train/confusion_matrix.hpp"
#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// Accumulates the named metrics over the batches of one pass.
class MetricAccumulator {
 public:
  /// `names` are what write() reports, in order; each must be metric_available for `task`
  /// (InvalidArgument otherwise). `outputs` is the model's output width.
  MetricAccumulator(loss::Task task, Index outputs, std::vector<std::string> names);

  /// Starts a new pass.
  void reset();
  /// Adds one batch: `prediction` N x outputs, `target` as the loss takes it (already checked
  /// by the loss).
  void add(const Matrix& prediction, const Matrix& target);
  /// Sets each named metric of the rows added since reset() (NaN before any row).
  void write(Metrics& metrics) const;

  const std::vector<std::string>& names() const { return names_; }
  /// The pass's confusion matrix: classes x classes for classification, 2 x 2 for a binary loss
  /// on one output column; null otherwise.
  const ConfusionMatrix* confusion() const { return confusion_ ? &*confusion_ : nullptr; }

  /// The pass's counters as sums that add up over shards of the data (data-parallel ranks sum
  /// them element-wise), and back: set_additive_counters(sum) makes this accumulator that of
  /// every shard's rows. Welford's target moments travel as sums of y and y² (their only
  /// cancellation, when targets sit far from zero, is in the merged r2).
  std::vector<double> additive_counters() const;
  void set_additive_counters(std::span<const double> totals);

  /// The counters of the pass so far (a checkpoint taken mid-epoch), and back; load() throws
  /// DataError for counters of another shape.
  void save(io::ByteWriter& out) const;
  void load(io::ByteReader& in);

 private:
  void add_classification(const Matrix& logits, const Matrix& target);
  void add_binary(const Matrix& logits, const Matrix& target);
  void add_regression(const Matrix& prediction, const Matrix& target);
  double value(const std::string& name, std::size_t index) const;

  loss::Task task_;
  Index outputs_;
  std::vector<std::string> names_;
  std::vector<int> top_k_;  ///< k of names_[i], or 0
  bool any_top_k_ = false;
  Index rows_ = 0;
  std::optional<ConfusionMatrix> confusion_;
  std::vector<std::int64_t> top_k_hits_;  ///< per name
  // binary, per column
  std::vector<std::int64_t> true_positives_, predicted_, actual_;
  std::int64_t matches_ = 0;
  // regression
  double squared_sum_ = 0.0, absolute_sum_ = 0.0;
  std::vector<double> mean_, m2_, residual_;  ///< per column: target mean, SS_tot, SS_res
};

}  // namespace regimen::train
