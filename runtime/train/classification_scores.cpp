#include "runtime/train/classification_scores.hpp"

#include <vector>

namespace regimen::train {
namespace {

double ratio(std::int64_t numerator, std::int64_t denominator) {
  return denominator > 0 ? static_cast<double>(numerator) / static_cast<double>(denominator) : 0.0;
}

}  // namespace

MacroScores macro_scores(std::span<const LabelCounts> labels, bool skip_absent) {
  MacroScores sum;
  int counted = 0;
  for (const LabelCounts& l : labels) {
    if (skip_absent && l.predicted + l.actual == 0) continue;
    sum.precision += ratio(l.true_positives, l.predicted);
    sum.recall += ratio(l.true_positives, l.actual);
    sum.f1 += ratio(2 * l.true_positives, l.predicted + l.actual);
    ++counted;
  }
  if (counted == 0) return {};
  const double n = counted;
  return {sum.precision / n, sum.recall / n, sum.f1 / n};
}

MacroScores macro_scores(const ConfusionMatrix& matrix) {
  std::vector<LabelCounts> labels(static_cast<std::size_t>(matrix.classes()));
  for (Index t = 0; t < matrix.classes(); ++t) {
    for (Index p = 0; p < matrix.classes(); ++p) {
      const std::int64_t n = matrix.count(t, p);
      labels[static_cast<std::size_t>(t)].actual += n;
      labels[static_cast<std::size_t>(p)].predicted += n;
      if (t == p) labels[static_cast<std::size_t>(t)].true_positives += n;
    }
  }
  return macro_scores(labels, true);
}

}  // namespace regimen::train
