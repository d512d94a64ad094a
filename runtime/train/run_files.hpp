#pragma once
// The per-epoch files of a run directory, computed from the epochs' metrics (each with "lr"):
// metrics.csv and the chart of curves.svg. Plain functions of the history, so that the files are
// rewritten whole (and atomically) after every epoch.
#include <string>
#include <vector>

#include "runtime/io/series.hpp"
#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// The metric names of `epochs`, in order of first appearance: the CSV's columns after "epoch".
std::vector<std::string> metric_columns(const std::vector<Metrics>& epochs);

/// metrics.csv: a header "epoch,loss,accuracy,val_loss,...", then one row per epoch (0-based, as
/// in metrics.jsonl); values with 17 significant digits, "nan"/"inf"/"-inf" for non-finite ones,
/// an empty cell where an epoch lacks a metric. Names with a comma or quote are quoted (RFC 4180).
std::string metrics_csv(const std::vector<Metrics>& epochs);

/// The curves of a run against the epoch (0-based): loss and val_loss in one panel, each other
/// metric with its val_ twin in one panel, lr last. Non-finite values are left out (a series with
/// none left is dropped).
io::Chart run_curves(const std::vector<Metrics>& epochs, const std::string& title);

}  // namespace regimen::train
