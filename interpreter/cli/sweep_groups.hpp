#pragma once
// `regimen sweep --ranks-per-trial K` under mpirun: groups of K ranks train one trial at a time
// together, in their own processes, data-parallel over the group (docs/scaling.md).
#include <functional>
#include <vector>

#include "interpreter/cli/sweep_trials.hpp"
#include "runtime/train/communicator.hpp"

namespace regimen::cli {

/// Runs trials with the ranks of `group` until options.claim (required) refuses every one left:
/// the group's rank 0 claims the next trial and tells the others, all of them train it, and
/// rank 0 writes its run directory (options.sweep_dir/trial-K, the log in trial-K.log), applies
/// the median rule, and calls `on_finish`. A trial that fails on every rank of the group fails
/// alone; one that fails on some ranks while the others train on ends the job. Throws
/// boost::program_options::error (on rank 0) when the runs report no options.metric.
void run_trials_in_group(const std::vector<SweepTrial>& trials, const TrialRunnerOptions& options, train::Communicator& group,
                         const std::function<void(const SweepTrial&, const TrialOutcome&)>& on_finish);

}  // namespace regimen::cli
