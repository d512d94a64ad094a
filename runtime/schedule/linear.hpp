#pragma once
// A linear ramp, then a hold; PyTorch's LinearLR in closed form (LinearLR._get_closed_form_lr)
// with from = lr * start_factor, to = lr * end_factor, steps = total_iters:
//
//   s(t) = from + (to - from) * min(t, steps) / steps
//
// Unlike LinearLR's factors (which PyTorch confines to [0, 1]), from and to are values, so
// the ramp may go up or down. PyTorch's recursive update agrees with the closed form to ~1e-15.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// from at t = 0, to at t >= steps, linear in between. from, to >= 0, steps > 0 (all finite).
/// describe(): "linear(from=0, to=0.1, steps=500)".
SchedulePtr linear(double from, double to, double steps);

}  // namespace regimen::schedule
