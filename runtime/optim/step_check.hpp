#pragma once
// Preconditions every optimizer kernel checks before touching memory. They cost a few
// compares per step and turn a mismatched buffer (a crash or silent corruption) or a schedule
// that went negative mid-run into an InvalidArgument naming the culprit.
#include <cstddef>

#include "runtime/schedule/schedule.hpp"

namespace regimen::optim {

/// Throws InvalidArgument unless grads has as many elements as params, the state (when
/// already sized, state_size > 0) matches them, and lr is finite and >= 0.
void check_step(std::size_t params_size, std::size_t grads_size, std::size_t state_size, double lr);

/// Throws InvalidArgument unless lr is a schedule whose value at t = 0 is finite and >= 0
/// (checked only when the schedule can be evaluated before the run: schedule::depends_on_run).
void check_lr_schedule(const schedule::SchedulePtr& lr);

}  // namespace regimen::optim
