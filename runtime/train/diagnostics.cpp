#include "runtime/train/diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "runtime/train/epoch_printer.hpp"

namespace regimen::train {
namespace {

const char* const kLargeRemedy =
    "lower the learning rate (10x as a first step), add a warmup (schedule.warmup), or clip the gradient "
    "(clip.norm)";
const char* const kSmallRemedy =
    "raise the learning rate (10x as a first step; the largest value whose loss still falls smoothly is "
    "usually best), or use an adaptive optimizer (optim.adam); if a larger rate does not move it either, check the "
    "inputs and the labels";
const char* const kOverfitRemedy =
    "stop early (early_stop{monitor = \"val_loss\", restore_best = true}), add dropout (nn.dropout) or an L2 "
    "penalty (reg.l2), or get more data (or augment it)";

std::string epoch_word(int epoch) { return "epoch " + std::to_string(epoch + 1); }
std::string num(double value) { return format_metric(value); }
// A factor or a percentage: "10", "0.042".
std::string plain(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2g", value);
  return buffer;
}

// `name` of every epoch; nullopt unless every epoch has it.
std::optional<std::vector<double>> series(const std::vector<Metrics>& epochs, const std::string& name) {
  std::vector<double> values;
  for (const Metrics& metrics : epochs) {
    const auto value = metrics.get(name);
    if (!value) return std::nullopt;
    values.push_back(*value);
  }
  return values;
}

Finding large(int epoch, std::string what) {
  return {FindingKind::kLrTooLarge, epoch, "the learning rate looks too large: " + std::move(what), kLargeRemedy};
}

std::optional<Finding> diverged(const std::vector<Metrics>& epochs, const LossTrace* trace) {
  for (std::size_t e = 0; e < epochs.size(); ++e) {
    for (const char* name : {"loss", "val_loss"}) {
      const auto value = epochs[e].get(name);
      if (value && !std::isfinite(*value)) {
        return large(static_cast<int>(e), std::string("the ") + (name[0] == 'v' ? "validation" : "training") +
                                              " loss diverged (it became " + (std::isnan(*value) ? "NaN" : "infinite") +
                                              " in " + epoch_word(static_cast<int>(e)) + ").");
      }
    }
  }
  if (trace && trace->nonfinite_epoch >= 0) {
    return large(trace->nonfinite_epoch, "the training loss diverged (a step loss became non-finite in " +
                                             epoch_word(trace->nonfinite_epoch) + ").");
  }
  return std::nullopt;
}

std::optional<Finding> blew_up(const std::vector<double>& loss, const LossTrace* trace, const DiagnosticThresholds& t) {
  if (!trace || !trace->has_start()) return std::nullopt;
  if (trace->blow_up_epoch >= 0) {
    return large(trace->blow_up_epoch, "the training loss rose to " + num(trace->blow_up_loss) +
                                           " (the mean of its last steps) at step " +
                                           std::to_string(trace->blow_up_step) + " in " +
                                           epoch_word(trace->blow_up_epoch) + ", over " +
                                           plain(LossTraceRecorder::kLiveBlowUpFactor) + " times its start (" +
                                           num(trace->first) + ").");
  }
  for (std::size_t e = 0; trace->first > 0.0 && e < loss.size(); ++e) {
    if (loss[e] > t.blow_up_factor * trace->first) {
      return large(static_cast<int>(e), "the training loss rose to " + num(loss[e]) + " in " +
                                            epoch_word(static_cast<int>(e)) + ", over " + plain(t.blow_up_factor) +
                                            " times its start (" + num(trace->first) + ").");
    }
  }
  if (trace->start > 0.0 && trace->first_epoch_end > t.first_epoch_rise * trace->start) {
    return large(0, "the loss rose during the first epoch, from " + num(trace->start) + " in its first steps to " +
                        num(trace->first_epoch_end) + " in its last.");
  }
  return std::nullopt;
}

std::optional<Finding> rose_early(const std::vector<double>& loss, const DiagnosticThresholds& t) {
  const std::size_t n = loss.size();
  for (std::size_t e : {std::size_t{1}, std::size_t{2}, n - 1}) {
    if (n < 2 || e >= n || e == 0) continue;
    if (loss[e] > t.rise_factor * loss[0]) {
      return large(static_cast<int>(e), "the training loss rose from " + num(loss[0]) + " in epoch 1 to " +
                                            num(loss[e]) + " in " + epoch_word(static_cast<int>(e)) +
                                            "; a healthy run's loss falls over its first epochs.");
    }
  }
  return std::nullopt;
}

std::optional<Finding> oscillates(const std::vector<double>& loss, const DiagnosticThresholds& t) {
  int swings = 0;
  int first = -1;
  const auto [low, high] = std::minmax_element(loss.begin(), loss.end());
  const double range = *high - *low;
  // Large against the loss there and against the run's range: neither a wobble on a plateau nor
  // noise near zero is a swing.
  const auto large_step = [&](double d, double level) {
    return std::fabs(d) > t.swing_fraction * level && std::fabs(d) > t.swing_fraction * range;
  };
  for (std::size_t e = 0; e + 2 < loss.size(); ++e) {
    const double d1 = loss[e + 1] - loss[e];
    const double d2 = loss[e + 2] - loss[e + 1];
    const bool big = large_step(d1, loss[e]) && large_step(d2, loss[e + 1]);
    if (big && (d1 > 0) != (d2 > 0)) {
      if (first < 0) first = static_cast<int>(e + 1);
      ++swings;
    }
  }
  if (swings < t.min_swings) return std::nullopt;
  return large(first, "the training loss swings up and down by more than " + plain(100 * t.swing_fraction) +
                          "% from epoch to epoch (" + std::to_string(swings) + " reversals from " + epoch_word(first) +
                          " on).");
}

std::optional<Finding> too_small(const std::vector<double>& loss, const LossTrace* trace,
                                 const DiagnosticThresholds& t) {
  if (loss.size() < 2 || !(loss[0] > 0.0)) return std::nullopt;
  const double best = *std::min_element(loss.begin() + 1, loss.end());
  const double improvement = (loss[0] - best) / loss[0];
  if (improvement >= t.min_improvement) return std::nullopt;
  if (trace && trace->has_start() && std::isfinite(trace->start) && trace->start > t.start_factor * loss[0]) {
    return std::nullopt;  // the loss fell inside epoch 1: the run converged early
  }
  return Finding{FindingKind::kLrTooSmall, 0,
                 "the learning rate looks too small: the training loss barely moved in " +
                     std::to_string(loss.size()) + " epochs (from " + num(loss[0]) + " in epoch 1 to at best " +
                     num(best) + ", " + plain(100 * improvement) + "% lower).",
                 kSmallRemedy};
}

std::optional<Finding> overfits(const std::vector<Metrics>& epochs, const DiagnosticThresholds& t) {
  const auto loss = series(epochs, "loss");
  const auto val = series(epochs, "val_loss");
  if (!loss || !val || static_cast<int>(val->size()) < t.rise_epochs + 1) return std::nullopt;
  const auto best = std::min_element(val->begin(), val->end());  // the first smallest
  const int e = static_cast<int>(best - val->begin());
  const int n = static_cast<int>(val->size());
  for (int i = n - t.rise_epochs; i < n; ++i) {
    if (!((*val)[i] >= (1.0 + t.val_rise) * *best)) return std::nullopt;
  }
  if (!((*loss)[n - 1] < (*loss)[e])) return std::nullopt;
  const double gap = (*val)[n - 1] - (*loss)[n - 1];
  return Finding{FindingKind::kOverfitting, e + 1,
                 "the model overfits from " + epoch_word(e + 1) + " on: the validation loss was lowest in " +
                     epoch_word(e) + " (" + num(*best) + ") and rose to " + num((*val)[n - 1]) +
                     " since, while the training loss kept falling (to " + num((*loss)[n - 1]) +
                     "); the gap val_loss - loss is " + num(gap) + " at the end.",
                 kOverfitRemedy};
}

}  // namespace

const char* finding_name(FindingKind kind) {
  switch (kind) {
    case FindingKind::kLrTooLarge: return "lr_too_large";
    case FindingKind::kLrTooSmall: return "lr_too_small";
    case FindingKind::kOverfitting: return "overfitting";
  }
  return "unknown";
}

std::vector<Finding> diagnose(const std::vector<Metrics>& epochs, const LossTrace* trace,
                              const DiagnosticThresholds& thresholds) {
  if (auto finding = diverged(epochs, trace)) return {*finding};
  std::vector<Finding> findings;
  const auto loss = series(epochs, "loss");
  if (!loss || loss->empty()) return findings;
  std::optional<Finding> large_lr = blew_up(*loss, trace, thresholds);
  if (!large_lr) large_lr = rose_early(*loss, thresholds);
  if (!large_lr) large_lr = oscillates(*loss, thresholds);
  if (large_lr) {
    findings.push_back(*large_lr);
  } else if (auto small_lr = too_small(*loss, trace, thresholds)) {
    findings.push_back(*small_lr);
  }
  if (auto overfit = overfits(epochs, thresholds)) findings.push_back(*overfit);
  return findings;
}

std::string format_finding(const Finding& finding) {
  return "diagnosis: " + finding.message + "\n  try: " + finding.remedy + "\n";
}

}  // namespace regimen::train
