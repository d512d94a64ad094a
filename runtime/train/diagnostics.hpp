#pragma once
// Diagnostics: what a finished run's loss curves say about its learning rate and its fit, in
// plain words with the remedy to try. A pure function of the per-epoch metrics (Keras names:
// `loss`, `val_loss`) and, when recorded, a bounded summary of the step losses (LossTrace,
// loss_trace.hpp). Epochs are 0-based here, as in History; messages count from 1 as the
// epoch lines do. The rules, each with its thresholds and why:
//
// Learning rate too large (kLrTooLarge), the first that holds:
//  1. Diverged: a step loss, an epoch's `loss` or `val_loss` is not finite (NaN or inf).
//     epoch = the first such epoch. Nothing else is judged on such a run.
//  2. Blew up: the mean of the last (up to) 10 step losses at some step (LossTrace::blow_up_*,
//     recorded with the recorder's fixed factor 10), or an epoch's `loss`, exceeds
//     blow_up_factor = 10 x the first step's loss (at the initial weights, LossTrace::first);
//     or the first epoch's last 10 steps average more than first_epoch_rise = 1.5 x its first
//     10 (LossTrace::start). The step mean is what the live warning watches, so a run warned
//     about while it trained is diagnosed even if it recovered. A model at its initial weights
//     already makes every mistake it can; a loss far above that was pushed there by steps that
//     overshoot. The margins sit far above step-to-step noise (a few tens of percent at worst);
//     the first step alone is one batch, hence the wide 10x margin on it.
//  3. Rose early: `loss` of epoch 2 or 3 (or of the last epoch) is above rise_factor = 1.05 x
//     that of epoch 1. An epoch's training loss averages over the whole epoch, so epoch 1
//     carries the initial transient and a healthy run's next epochs are lower; a rise there
//     means the steps overshoot. epoch = the first epoch above.
//  4. Oscillates: at least min_swings = 3 sign changes of the epoch-to-epoch difference of
//     `loss` where both differences exceed swing_fraction = 10% of the loss there and 10% of
//     the run's range (max - min of `loss`): training loss on a plateau wobbles by a percent
//     or two, a loss near zero by tiny amounts that are large relative to it; a step that
//     overshoots swings by far more. epoch = the epoch of the first swing.
// Learning rate too small (kLrTooSmall), for runs of at least 2 finite epochs not too large:
//  `loss` of the best later epoch is less than min_improvement = 1% below epoch 1's, and (when a
//  LossTrace exists) the mean of the first 10 steps (LossTrace::start) is within start_factor =
//  1.1 x epoch 1's loss, so the loss did not drop inside epoch 1 either. Both clauses are on
//  the loss, not the lr: a run that converged inside epoch 1 has a flat curve after it but a
//  start far above it (epoch 1's mean still carries that start), and a tiny lr on a steep loss
//  can be right. epoch = 0.
// Overfitting (kOverfitting), for runs whose every epoch has a finite `val_loss` and `loss`:
//  e = the first epoch where `val_loss` is smallest; the last rise_epochs = 3 epochs' val_loss
//  are each at least val_rise = 10% above that minimum (a sustained rise, not one noisy epoch),
//  and `loss` of the last epoch is below `loss` at e (training kept improving while validation
//  worsened; if both rose, that is instability, not overfitting). epoch = e + 1, when the
//  validation loss began to rise; the message gives the gap val_loss - loss at the end. 10% is
//  above the drift of a well-regularized run past its best epoch (a few percent).
#include <string>
#include <vector>

#include "runtime/train/loss_trace.hpp"
#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// What a finding is about.
enum class FindingKind { kLrTooLarge, kLrTooSmall, kOverfitting };

/// One diagnosis of a run.
struct Finding {
  FindingKind kind;
  int epoch = 0;        ///< 0-based: where it began (see the rules above)
  std::string message;  ///< what the curves show, in plain words
  std::string remedy;   ///< what to try
};

/// Thresholds of the rules (see above); the defaults are the documented ones.
struct DiagnosticThresholds {
  double blow_up_factor = 10.0;
  double first_epoch_rise = 1.5;
  double rise_factor = 1.05;
  int min_swings = 3;
  double swing_fraction = 0.10;
  double min_improvement = 0.01;
  double start_factor = 1.1;
  int rise_epochs = 3;
  double val_rise = 0.10;
};

/// The stable name of a kind: "lr_too_large", "lr_too_small", "overfitting".
const char* finding_name(FindingKind kind);

/// The findings of a run with these per-epoch metrics; `trace` may be null (then the rules
/// that need the step losses are skipped). At most one finding per kind, in kind order.
std::vector<Finding> diagnose(const std::vector<Metrics>& epochs, const LossTrace* trace = nullptr,
                              const DiagnosticThresholds& thresholds = {});

/// One short paragraph: "diagnosis: <message>\n  try: <remedy>\n".
std::string format_finding(const Finding& finding);

}  // namespace regimen::train
