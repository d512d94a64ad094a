#include "interpreter/cli/sweep_groups.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "interpreter/cli/mpi/mpi_communicator.hpp"
#include "interpreter/cli/sets.hpp"
#include "regimen/interpreter.hpp"

namespace regimen::cli {
namespace {

// How long a rank whose trial failed waits for the rest of its group to end the trial too. The
// others are at most a step behind when they train on: past this, they are stuck in a collective
// the failed rank left, and the job ends.
constexpr double kFailurePatienceSeconds = 30;

std::string trial_path(const TrialRunnerOptions& options, int index, const char* suffix = "") {
  return options.sweep_dir + "/" + trial_name(index, suffix);
}

// The group's rank 0 takes the next trial nobody has claimed and tells the others: its position
// in `trials`, or -1 when none is left.
int next_trial(const std::vector<SweepTrial>& trials, const TrialRunnerOptions& options, train::Communicator& group,
               std::size_t& next) {
  int position = -1;
  if (group.rank() == 0) {
    while (next < trials.size() && !options.claim(trials[next])) ++next;
    if (next < trials.size()) position = static_cast<int>(next++);
  }
  return std::stoi(train::broadcast_text(group, std::to_string(position)));
}

// One trial on every rank of the group, as `regimen run FILE --set ... --threads T` would run it.
class GroupTrial {
 public:
  GroupTrial(const SweepTrial& trial, const TrialRunnerOptions& options, train::Communicator& group)
      : trial_(trial), options_(options), group_(group), leader_(group.rank() == 0) {
    outcome_.index = trial.index;
    if (leader_) log_.open(trial_path(options, trial.index, ".log"));
  }

  // Trains the trial; the outcome is rank 0's to report.
  TrialOutcome run() {
    std::optional<Interpreter> interpreter;
    std::string failure;
    try {
      interpreter.emplace(interpreter_options());
      apply_sets(*interpreter, trial_sets(trial_, options_.sets));
      interpreter->load_file(options_.file);
      interpreter->run();
    } catch (const std::exception& e) {
      failure = e.what();
    }
    end_together(failure);
    if (!unknown_metric_.empty()) throw_unknown_metric(options_.metric, unknown_metric_);
    return outcome_;
  }

 private:
  InterpreterOptions interpreter_options() {
    InterpreterOptions options;
    options.trusted = options_.trusted;
    options.threads = options_.threads;
    options.max_memory_mb = options_.trusted ? 0 : kDefaultSandboxMemoryMb;
    options.ranks = &group_;
    options.output = leader_ ? OutputMode::kLines : OutputMode::kQuiet;
    options.out = leader_ ? static_cast<std::ostream*>(&log_) : &discarded_;
    options.err = options.out;
    if (leader_) options.out_dir = trial_path(options_, trial_.index);
    if (leader_) options.on_epoch_end = [this](const EpochEvent& event) { return take_epoch(event); };
    return options;
  }

  // Rank 0's stop decision is every rank's: true prunes the trial (or ends it on an unknown metric).
  bool take_epoch(const EpochEvent& event) {
    std::optional<double> value;
    std::string reported;
    for (const auto& [name, metric] : event.metrics) {
      if (name == options_.metric) value = metric;
      reported += name + ", ";
    }
    if (options_.metric == "lr") value = event.lr;
    if (!value) {
      unknown_metric_ = reported + "lr";
      return true;
    }
    outcome_.values.push_back(std::isfinite(*value) ? *value : std::numeric_limits<double>::quiet_NaN());
    if (!options_.prune) return false;
    outcome_.message = median_prune_reason(outcome_.values, options_.done_values(), options_);
    if (!outcome_.message.empty()) outcome_.status = TrialStatus::kPruned;
    return !outcome_.message.empty();
  }

  // Every rank says whether the trial failed on it. When it failed on some, the group goes on
  // only if every rank called the same collectives: otherwise one waits, or an unmatched
  // message would meet the next trial's. The sums a rank started are finished before its
  // interpreter, whose gradients they write, goes.
  void end_together(const std::string& failure) {
    const std::optional<GroupTrialEnd> end = end_group_trial(group_, !failure.empty(), kFailurePatienceSeconds);
    if (!end || (end->any_failed && !end->in_step)) out_of_step(failure);
    group_.wait_sums();
    if (!failure.empty() && !leader_ && !end->first_failed)  // rank 0 records a failure of its own
      std::cerr << "regimen sweep: trial " << trial_.index << ": " << failure << "\n";
    if (outcome_.status == TrialStatus::kPruned) return;
    if (!end->any_failed) {
      outcome_.status = TrialStatus::kDone;
      return;
    }
    outcome_.status = TrialStatus::kFailed;
    outcome_.message = failure.empty() ? "failed on another rank of its group (its message is on stderr)" : failure;
    if (leader_) log_ << outcome_.message << "\n";
  }

  // The trial failed on some ranks of the group at a point the others passed: the job ends, said
  // by a rank where it failed (a second later elsewhere, in case none can).
  [[noreturn]] void out_of_step(const std::string& failure) {
    if (failure.empty()) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      std::cerr << "regimen sweep: trial " << trial_.index << " failed on another rank of its group, out of step with this one\n";
    } else {
      std::cerr << "regimen sweep: trial " << trial_.index << " failed on this rank but not on the rest of its group, "
                << "which trained on: " << failure << "\n";
    }
    abort_mpi_job(1);
  }

  const SweepTrial& trial_;
  const TrialRunnerOptions& options_;
  train::Communicator& group_;
  const bool leader_;
  std::ofstream log_;
  std::ostringstream discarded_;  // the other ranks' (quiet) output
  TrialOutcome outcome_;
  std::string unknown_metric_;  // what the runs report instead, once they lack options.metric
};

}  // namespace

void run_trials_in_group(const std::vector<SweepTrial>& trials, const TrialRunnerOptions& options, train::Communicator& group,
                         const std::function<void(const SweepTrial&, const TrialOutcome&)>& on_finish) {
  std::size_t next = 0;
  for (int position; (position = next_trial(trials, options, group, next)) >= 0;) {
    const SweepTrial& trial = trials[static_cast<std::size_t>(position)];
    const TrialOutcome outcome = GroupTrial(trial, options, group).run();
    if (group.rank() == 0) on_finish(trial, outcome);
  }
}

}  // namespace regimen::cli
