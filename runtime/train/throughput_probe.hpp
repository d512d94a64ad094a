#pragma once
// Measures training throughput as a callback: after `warmup` steps (buffers sized, caches warm)
// it times the following steps and stops the run once `min_seconds` have passed and at least
// `min_steps` steps were timed — so a small batch gets many steps and a large one few, each
// size measured for about the same time.
#include <chrono>
#include <cstdint>

#include "runtime/train/callback.hpp"

namespace regimen::train {

/// Samples per second of the steps after the warm-up.
class ThroughputProbe final : public Callback {
 public:
  ThroughputProbe(std::int64_t warmup, std::int64_t min_steps, double min_seconds)
      : warmup_(warmup), min_steps_(min_steps), min_seconds_(min_seconds) {}

  bool on_step_end(const StepEnd& step) override;
  std::string stop_reason() const override { return "throughput measured"; }

  /// Samples per second over the timed steps; 0 before any.
  double samples_per_second() const { return seconds_ > 0 ? static_cast<double>(samples_) / seconds_ : 0.0; }
  std::int64_t timed_steps() const { return steps_; }

 private:
  using Clock = std::chrono::steady_clock;
  std::int64_t warmup_, min_steps_;
  double min_seconds_;
  Clock::time_point start_;
  std::int64_t last_samples_ = 0;  // StepEnd::samples of the previous step, to count this one's
  std::int64_t steps_ = 0, samples_ = 0;
  double seconds_ = 0.0;
};

}  // namespace regimen::train
