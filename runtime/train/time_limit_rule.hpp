#pragma once
// Stops a run after a wall-clock budget ({max_time = "20m"}), checked after every optimizer
// step, so an epoch is cut short when the budget runs out inside it. The clock is injected
// for tests.
#include <functional>
#include <string>

#include "runtime/train/stop_rule.hpp"

namespace regimen::train {

/// Seconds on a monotonic clock (any origin).
using SecondsClock = std::function<double()>;

/// std::chrono::steady_clock in seconds.
SecondsClock steady_seconds();

/// "90s", "20m", "2h", "1.5h", "45" (seconds) to seconds; throws InvalidArgument naming the
/// accepted forms for anything else or a value <= 0.
double parse_duration(const std::string& text);

/// {max_time = seconds}.
class TimeLimitRule final : public StopRule {
 public:
  /// `seconds` > 0; `label` is how the recipe wrote it ("20m"), for messages.
  TimeLimitRule(double seconds, std::string label, SecondsClock clock = steady_seconds());

  void start() override;
  bool observe_epoch(int epoch, const Metrics& metrics) override;
  bool observe_step(int epoch, std::int64_t step) override;
  /// "max_time 20m reached at epoch 3, step 1234".
  std::string reason() const override;
  std::string describe() const override { return "max_time(" + label_ + ")"; }

  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;

 private:
  bool expired() const { return clock_() - start_ >= seconds_; }

  double seconds_;
  std::string label_;
  SecondsClock clock_;
  double start_ = 0.0;
  int fired_epoch_ = -1;
  std::int64_t fired_step_ = -1;  ///< -1 when it fired at an epoch's end
};

}  // namespace regimen::train
