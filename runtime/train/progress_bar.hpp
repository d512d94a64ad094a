#pragma once
// The per-epoch line on a terminal: while an epoch runs, one line redrawn in place with '\r'
//   epoch  3/20  [=========>          ]  120/250  5120 samples/s  ETA 4s  loss 0.4123  lr 0.001
// at most ten times a second, then replaced by the epoch's summary line (EpochPrinter's).
#include <chrono>
#include <cstdint>
#include <ostream>

#include "runtime/optim/optimizer.hpp"
#include "runtime/train/callback.hpp"
#include "runtime/train/epoch_printer.hpp"

namespace regimen::train {

/// EpochPrinter plus a live progress line for terminals.
class ProgressBar final : public Callback {
 public:
  ProgressBar(std::ostream& out, const optim::Optimizer& optimizer, int epochs);

  bool on_step_end(const StepEnd& step) override;
  bool on_epoch_end(int epoch, const Metrics& metrics) override;

 private:
  void draw(const StepEnd& step, double seconds);

  std::ostream& out_;
  const optim::Optimizer& optimizer_;
  EpochPrinter printer_;
  int epochs_;
  int epoch_ = -1;
  std::chrono::steady_clock::time_point epoch_start_, last_draw_;
  double loss_sum_ = 0.0;  ///< this epoch's step losses, for the running mean
  bool drawn_ = false;
};

/// The progress line's text (no '\r'), for a step `seconds` into its epoch; `width` columns
/// of bar.
std::string format_progress(const StepEnd& step, int epochs, double seconds, double running_loss, double lr,
                            int width = 20);

}  // namespace regimen::train
