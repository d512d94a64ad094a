#include "interpreter/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace regimen::lua {
namespace {

// Names other frameworks use for the same option, mapped to ours; an edit distance would never
// connect them ("learning_rate" is 11 edits from "lr").
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"learning_rate", "lr"}, {"learningrate", "lr"}, {"epsilon", "eps"},    {"beta_1", "betas"},
    {"beta_2", "betas"},     {"beta1", "betas"},     {"beta2", "betas"},    {"rho", "alpha"},
    {"decay", "weight_decay"}, {"wd", "weight_decay"}, {"rate", "p"},       {"drop", "p"},
    {"epoch", "epochs"},     {"batchsize", "batch_size"}, {"restore_best_weights", "restore_best"},
    {"t_max", "T_max"},      {"tmax", "T_max"},      {"alpha", "eta_min"},  {"eta_max", "lr"},
    {"initial_learning_rate", "lr"}, {"decay_rate", "gamma"}, {"min_lr", "eta_min"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> suggest(std::string_view typed, std::span<const std::string> known) {
  const std::string key = lower(typed);
  for (const auto& [alias, ours] : kAliases) {
    if (key == alias && std::find(known.begin(), known.end(), ours) != known.end()) return std::string(ours);
  }
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& name : known) {
    const std::size_t distance = edit_distance(key, lower(name));
    if (best == nullptr || distance < best_distance) {
      best = &name;
      best_distance = distance;
    }
  }
  // Close enough to be a typo: at most a third of the longer name, and at least one letter kept.
  const std::size_t longest = best ? std::max(key.size(), best->size()) : 0;
  if (best && best_distance <= std::max<std::size_t>(1, longest / 3) && best_distance < longest) return *best;
  return std::nullopt;
}

std::string did_you_mean(std::string_view typed, std::span<const std::string> known) {
  auto s = suggest(typed, known);
  return s ? " (did you mean '" + *s + "'?)" : "";
}

}  // namespace regimen::lua
