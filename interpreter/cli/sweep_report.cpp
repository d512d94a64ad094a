#include "interpreter/cli/sweep_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "runtime/io/series.hpp"
#include "runtime/io/svg_chart.hpp"

namespace regimen::cli {
namespace {

std::string number(double value, int digits) {
  if (std::isnan(value)) return "";
  char text[40];
  std::snprintf(text, sizeof text, "%.*g", digits, value);
  return text;
}

// The cells of each row under `header`, the metric with `digits` significant digits.
std::vector<std::vector<std::string>> cells(const Leaderboard& board, int digits) {
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header{"trial"};
  header.insert(header.end(), board.names.begin(), board.names.end());
  header.insert(header.end(), {board.metric, "best_epoch", "status", "run_dir"});
  table.push_back(header);
  for (const LeaderboardRow& row : board.rows) {
    std::vector<std::string> line{std::to_string(row.trial)};
    line.insert(line.end(), row.values.begin(), row.values.end());
    line.insert(line.end(), {number(row.metric, digits), row.best_epoch > 0 ? std::to_string(row.best_epoch) : "",
                             status_name(row.status), row.run_dir});
    table.push_back(line);
  }
  return table;
}

}  // namespace

Leaderboard make_leaderboard(const std::vector<SweepTrial>& trials, const std::vector<TrialOutcome>& outcomes,
                             const std::string& metric, bool maximize, const std::string& sweep_dir) {
  Leaderboard board;
  board.metric = metric;
  if (!trials.empty())
    for (const auto& param : trials.front().params) board.names.push_back(param.first);
  for (const TrialOutcome& outcome : outcomes) {
    LeaderboardRow row;
    row.trial = outcome.index;
    for (const auto& param : trials.at(static_cast<std::size_t>(outcome.index)).params) row.values.push_back(param.second);
    const int best = best_epoch_index(outcome.values, maximize);
    row.metric = best < 0 ? std::numeric_limits<double>::quiet_NaN() : outcome.values[static_cast<std::size_t>(best)];
    row.best_epoch = best + 1;
    row.status = outcome.status;
    row.run_dir = sweep_dir + "/trial-" + std::to_string(outcome.index);
    board.rows.push_back(std::move(row));
  }
  std::stable_sort(board.rows.begin(), board.rows.end(), [maximize](const LeaderboardRow& a, const LeaderboardRow& b) {
    if (std::isnan(a.metric) != std::isnan(b.metric)) return std::isnan(b.metric);
    if (std::isnan(a.metric) || a.metric == b.metric) return a.trial < b.trial;
    return maximize ? a.metric > b.metric : a.metric < b.metric;
  });
  return board;
}

std::string leaderboard_table(const Leaderboard& board) {
  const auto table = cells(board, 6);
  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto& line : table)
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  std::string text;
  for (const auto& line : table) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (i + 1 == line.size()) {
        out += line[i];
      } else {
        out += line[i] + std::string(widths[i] - line[i].size() + 2, ' ');
      }
    }
    text += out + "\n";
  }
  return text;
}

std::string leaderboard_csv(const Leaderboard& board) {
  std::string text;
  for (const auto& line : cells(board, 17)) {
    for (std::size_t i = 0; i < line.size(); ++i) text += (i ? "," : "") + line[i];
    text += "\n";
  }
  return text;
}

std::string leaderboard_markdown(const Leaderboard& board) {
  const auto table = cells(board, 6);
  std::string text;
  for (std::size_t r = 0; r < table.size(); ++r) {
    text += "|";
    for (const auto& cell : table[r]) text += " " + cell + " |";
    text += "\n";
    if (r == 0) {
      text += "|";
      for (std::size_t i = 0; i < table[r].size(); ++i) text += "---|";
      text += "\n";
    }
  }
  return text;
}

std::string sweep_chart_svg(const std::vector<TrialOutcome>& outcomes, const std::string& metric, const std::string& title) {
  io::Chart chart;
  chart.title = title;
  chart.x_label = "epoch";
  chart.empty_note = "(no trial reported a finite " + metric + ")";
  for (const TrialOutcome& outcome : outcomes) {
    std::vector<double> x, y;
    for (std::size_t e = 0; e < outcome.values.size(); ++e) {
      if (!std::isfinite(outcome.values[e])) continue;
      x.push_back(static_cast<double>(e + 1));
      y.push_back(outcome.values[e]);
    }
    if (x.empty()) continue;
    const std::string name = trial_name(outcome.index);
    chart.series.emplace_back(name, name + " (" + status_name(outcome.status) + ")", std::move(x), std::move(y), metric);
  }
  io::check_chart(chart);
  return io::render_svg(chart);
}

}  // namespace regimen::cli
