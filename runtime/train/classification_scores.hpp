#pragma once
// Macro-averaged precision, recall and F1, as scikit-learn defines them
// (precision_score / recall_score / f1_score with average='macro', zero_division=0). For each
// label, from its true positives tp, predicted count and actual count:
//
//   precision = tp / predicted      (0 when nothing was predicted as the label)
//   recall    = tp / actual         (0 when the label never occurs)
//   F1        = 2 tp / (predicted + actual)   (= 2PR / (P + R); 0 when both counts are 0)
//
// and each score is the unweighted mean over the labels. Which labels: for class-index targets
// sklearn uses the labels present in the targets or the predictions, so a class that is neither
// is left out; for multi-label (one yes/no column per label) every column counts.
#include <cstdint>
#include <span>

#include "runtime/train/confusion_matrix.hpp"

namespace regimen::train {

/// One label's counts.
struct LabelCounts {
  std::int64_t true_positives = 0;
  std::int64_t predicted = 0;  ///< samples predicted as the label (tp + fp)
  std::int64_t actual = 0;     ///< samples that are the label (tp + fn)
};

/// The three macro averages.
struct MacroScores {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

/// Averages over every label, or, with `skip_absent`, over labels with predicted + actual > 0.
/// All zeros when no label is left.
MacroScores macro_scores(std::span<const LabelCounts> labels, bool skip_absent);

/// The macro scores of a confusion matrix's classes (absent classes skipped, as sklearn does).
MacroScores macro_scores(const ConfusionMatrix& matrix);

}  // namespace regimen::train
