#pragma once
// `regimen run --json`: one JSON object per epoch on a stream, one line each,
//   {"epoch": 1, "loss": 0.41, "accuracy": 0.85, "val_loss": 0.37, "lr": 0.001, "time": 2.1}
// epoch 1-based as the text lines count it, lr the one the next step uses, time the epoch's
// wall seconds; non-finite values as null.
#include <chrono>
#include <ostream>

#include "runtime/optim/optimizer.hpp"
#include "runtime/train/callback.hpp"

namespace regimen::train {

/// Prints each epoch as a JSON line.
class JsonEpochPrinter final : public Callback {
 public:
  JsonEpochPrinter(std::ostream& out, const optim::Optimizer& optimizer);

  bool on_epoch_end(int epoch, const Metrics& metrics) override;

 private:
  std::ostream& out_;
  const optim::Optimizer& optimizer_;
  std::chrono::steady_clock::time_point last_;
};

/// A JSON number with every digit (%.17g), or null when not finite.
std::string json_number(double value);
/// A JSON string literal, quotes and escapes included.
std::string json_string(const std::string& text);

}  // namespace regimen::train
