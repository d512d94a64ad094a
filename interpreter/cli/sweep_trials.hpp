#pragma once
// Runs `regimen sweep`'s trials as child processes (`regimen run FILE --set ... --json`), a few
// at a time, reading each one's per-epoch JSON as it comes and stopping the ones the median
// rule prunes (docs/cli.md).
#include <functional>
#include <string>
#include <vector>

#include "interpreter/cli/sweep_space.hpp"

namespace regimen::cli {

/// How a trial ended.
enum class TrialStatus { kDone, kPruned, kFailed };

/// "done", "pruned" or "failed".
const char* status_name(TrialStatus status);

/// A trial's outcome: the metric at each epoch it reported (NaN where it was null), how it ended.
struct TrialOutcome {
  int index = 0;
  TrialStatus status = TrialStatus::kFailed;
  std::vector<double> values;  ///< values[e - 1]: the metric at epoch e
  std::string message;         ///< why it failed or was pruned
};

/// What every trial shares.
struct TrialRunnerOptions {
  std::string file;                    ///< the recipe
  std::vector<std::string> sets;       ///< NAME=VALUE: every trial's fixed param()s
  int threads = 1;                     ///< compute threads of each trial (of each rank of it)
  bool trusted = false;                ///< lift the sandbox
  std::string sweep_dir;               ///< trial K runs in sweep_dir/trial-K, its stderr in trial-K.log
  std::string metric = "val_loss";
  bool maximize = false;
  int jobs = 1;
  bool prune = false;                  ///< the median rule
  int warmup = 0;                      ///< no pruning before this epoch
  std::vector<TrialOutcome> finished;  ///< earlier results (a resumed sweep): the median counts them
  /// When set, a trial runs only if this returns true for it (another rank of a distributed
  /// sweep has not taken it); asked as the trial's turn comes.
  std::function<bool(const SweepTrial&)> claim;
  /// When set, the median rule asks it for the metric per epoch of every done trial (a
  /// distributed sweep's, wherever they ran) instead of counting this runner's own.
  std::function<std::vector<std::vector<double>>()> done_values;
};

/// Runs `trials`, at most `jobs` at once, calling `on_finish` as each one ends. Throws
/// boost::program_options::error when the runs report no such metric.
void run_trials(const std::vector<SweepTrial>& trials, const TrialRunnerOptions& options,
                const std::function<void(const SweepTrial&, const TrialOutcome&)>& on_finish);

/// Throws boost::program_options::error: the trials report no `metric`, only `reported` ("loss, lr").
[[noreturn]] void throw_unknown_metric(const std::string& metric, const std::string& reported);

/// Why the median rule stops a trial whose metric was `values` at epochs 1, 2, ..., given the
/// metric per epoch of the `done` trials; empty when it goes on (or options.prune is off).
std::string median_prune_reason(const std::vector<double>& values, const std::vector<std::vector<double>>& done,
                                const TrialRunnerOptions& options);

/// The index of the best finite value per `maximize` (the earliest on a tie), or -1.
int best_epoch_index(const std::vector<double>& values, bool maximize);

}  // namespace regimen::cli
