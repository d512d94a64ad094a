#pragma once
// The metrics a run can report besides its loss, by the kind of targets its loss takes, under
// the names a recipe's `metrics = {...}` uses (Keras' where Keras has one):
//
//   classification (cross_entropy): accuracy, top_<k>_accuracy (e.g. top_5_accuracy),
//                                   precision, recall, f1 (macro averages)
//   binary (bce):                   accuracy (element-wise), precision, recall, f1 (macro over columns)
//   regression (mse, mae, huber):   mse, mae, r2
#include <string>
#include <vector>

#include "runtime/loss/loss.hpp"

namespace regimen::train {

/// Every metric name a loss of `task` can report, for listings and did-you-mean suggestions
/// (top-k as "top_5_accuracy"; any k >= 1 is accepted).
std::vector<std::string> metric_choices(loss::Task task);

/// What a run reports when the recipe names no metrics: accuracy for classification and
/// binary losses, nothing for regression.
std::vector<std::string> default_metrics(loss::Task task);

/// k of a name "top_<k>_accuracy" with k >= 1 written in decimal digits; 0 for any other name.
int top_k_of(const std::string& name);

/// True when a loss of `task` can report `name`.
bool metric_available(const std::string& name, loss::Task task);

/// Why `name` is not available, as a note to append to an error (" (accuracy needs a
/// classification loss)"); "" when the name is no metric at all (suggest a spelling instead).
std::string metric_unavailable_note(const std::string& name, loss::Task task);

}  // namespace regimen::train
