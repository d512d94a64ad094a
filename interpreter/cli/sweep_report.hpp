#pragma once
// `regimen sweep`'s results: the leaderboard (terminal table, CSV, Markdown) and the metric of
// every trial against the epoch as an SVG chart (docs/cli.md).
#include <string>
#include <vector>

#include "interpreter/cli/sweep_space.hpp"
#include "interpreter/cli/sweep_trials.hpp"

namespace regimen::cli {

/// One trial's line: its best epoch's metric, how it ended, where it ran.
struct LeaderboardRow {
  int trial = 0;
  std::vector<std::string> values;  ///< the parameters' values, in Leaderboard::names' order
  double metric = 0;                ///< NaN when the trial reported no finite value
  int best_epoch = 0;               ///< from 1; 0 with no finite value
  TrialStatus status = TrialStatus::kFailed;
  std::string run_dir;
};

/// The trials sorted by their best metric (the best first, those without a value last).
struct Leaderboard {
  std::vector<std::string> names;  ///< the swept parameters
  std::string metric;
  std::vector<LeaderboardRow> rows;
};

/// Ranks `outcomes` (one per trial in `trials`, matched by index) per `maximize`.
Leaderboard make_leaderboard(const std::vector<SweepTrial>& trials, const std::vector<TrialOutcome>& outcomes,
                             const std::string& metric, bool maximize, const std::string& sweep_dir);

/// Aligned columns for the terminal.
std::string leaderboard_table(const Leaderboard& board);

/// Header trial,NAME...,METRIC,best_epoch,status,run_dir; the metric with 17 significant digits.
std::string leaderboard_csv(const Leaderboard& board);

/// A Markdown table of the same columns.
std::string leaderboard_markdown(const Leaderboard& board);

/// The metric of each trial against the epoch, one series per trial in one panel, as SVG.
std::string sweep_chart_svg(const std::vector<TrialOutcome>& outcomes, const std::string& metric, const std::string& title);

}  // namespace regimen::cli
