#pragma once
// A schedule counted in epochs, driven by the step counter: PyTorch's epoch-wise
// scheduler.step(), called once per epoch, in closed form:
//
//   s(t) = inner(e(t)),   e(t) = the epoch that step t falls in (run.epoch_at(t))
//
// so the value holds for a whole epoch and changes at the first step of the next one. A
// recipe writes it as `by = "epoch"` on any schedule; it is built when the run's length is
// known (deferred.hpp).
#include "runtime/schedule/run_length.hpp"
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// inner evaluated at the epoch index of step t. inner not null.
/// describe(): "by_epoch(cosine(lr=0.1, T_max=30, eta_min=0), steps_per_epoch=469)".
SchedulePtr by_epoch(SchedulePtr inner, RunLength run);

}  // namespace regimen::schedule
