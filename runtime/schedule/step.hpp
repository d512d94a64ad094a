#pragma once
// Step decay, PyTorch's StepLR in closed form (torch/optim/lr_scheduler.py,
// StepLR._get_closed_form_lr):
//
//   s(t) = lr * gamma^floor(t / step_size)
//
// so the rate is lr for t in [0, step_size), lr*gamma from t = step_size on, and so on.
// PyTorch multiplies the previous rate by gamma at each boundary; the product and the power
// agree to a few ulps.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// lr * gamma^floor(t / step_size). lr >= 0, step_size > 0, gamma > 0 (all finite).
/// describe(): "step(lr=0.1, step_size=30, gamma=0.1)".
SchedulePtr step(double lr, double step_size, double gamma = 0.1);

}  // namespace regimen::schedule
