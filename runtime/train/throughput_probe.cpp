#include "runtime/train/throughput_probe.hpp"

namespace regimen::train {

bool ThroughputProbe::on_step_end(const StepEnd& step) {
  // StepEnd::samples counts this epoch's samples so far: the step's rows are the difference.
  const std::int64_t rows = step.epoch_step == 1 ? step.samples : step.samples - last_samples_;
  last_samples_ = step.samples;
  if (step.step == warmup_) start_ = Clock::now();
  if (step.step <= warmup_) return false;
  ++steps_;
  samples_ += rows;
  seconds_ = std::chrono::duration<double>(Clock::now() - start_).count();
  return steps_ >= min_steps_ && seconds_ >= min_seconds_;
}

}  // namespace regimen::train
