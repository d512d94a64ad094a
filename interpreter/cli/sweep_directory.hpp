#pragma once
// The files of a sweep directory (docs/cli.md): trials.json, the plan; trial-K/result.json once
// trial K ended done or pruned; and in a distributed sweep trial-K.claim, the mark of the rank
// that took it, and trial-K.failed, why it failed.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/cli/sweep_space.hpp"
#include "interpreter/cli/sweep_trials.hpp"

namespace regimen::cli {

/// Writes the plan, or checks that an earlier run of the sweep in `dir` planned the same;
/// throws boost::program_options::error when it did not.
void settle_plan(const std::filesystem::path& dir, const nlohmann::json& plan);

/// Removes what the unfinished ones of `trials` left: a killed trial starts over.
void clear_unfinished(const std::filesystem::path& dir, const std::vector<SweepTrial>& trials);

/// Trial `index`'s result.json, or nullopt when the trial has yet to end.
std::optional<TrialOutcome> read_result(const std::filesystem::path& dir, int index);

/// Records how `trial` ended: result.json when done or pruned; when it failed, trial-K.failed
/// with `outcome.message` if `mark_failure` (a distributed sweep's rank 0 reads it).
void write_result(const std::filesystem::path& dir, const SweepTrial& trial, const TrialOutcome& outcome, bool mark_failure);

/// Takes trial `index` for this rank of a distributed sweep: true unless another rank did.
bool claim_trial(const std::filesystem::path& dir, int index);

/// Removes every trial's claim once the sweep has ended.
void remove_claims(const std::filesystem::path& dir, const std::vector<SweepTrial>& trials);

/// Every trial's outcome as the ranks of a distributed sweep left it: read from result.json, or
/// failed (with the message of trial-K.failed, if any).
std::vector<TrialOutcome> outcomes_in(const std::filesystem::path& dir, const std::vector<SweepTrial>& trials);

}  // namespace regimen::cli
