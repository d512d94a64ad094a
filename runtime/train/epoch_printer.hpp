#pragma once
// One line per epoch on a stream: "epoch  3/20  loss 0.4123  accuracy 0.8512  ...  lr 0.00098  2.1s".
#include <chrono>
#include <ostream>

#include "runtime/optim/optimizer.hpp"
#include "runtime/train/callback.hpp"

namespace regimen::train {

/// Prints each epoch's metrics, the learning rate of the next step and the epoch's wall time.
class EpochPrinter final : public Callback {
 public:
  EpochPrinter(std::ostream& out, const optim::Optimizer& optimizer, int epochs);

  bool on_epoch_end(int epoch, const Metrics& metrics) override;

 private:
  std::ostream& out_;
  const optim::Optimizer& optimizer_;
  int epochs_;
  std::chrono::steady_clock::time_point last_;
};

/// Formats a metric value with 4 significant decimals ("0.4123"), or in scientific notation when tiny.
std::string format_metric(double value);

}  // namespace regimen::train
