#pragma once
// Multi-step decay, PyTorch's MultiStepLR in closed form (torch/optim/lr_scheduler.py,
// MultiStepLR._get_closed_form_lr):
//
//   s(t) = lr * gamma^(number of milestones m with m <= t)
//
// A milestone listed twice counts twice (PyTorch keeps them in a Counter and multiplies by
// gamma^count at that step), so {30, 30} decays by gamma^2 at t = 30.
#include <vector>

#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// lr * gamma^#{m in milestones : m <= t}. lr >= 0, gamma > 0, milestones >= 0 and not
/// decreasing (repeats allowed; an empty list is a constant).
/// describe(): "multistep(lr=0.1, milestones={30, 80}, gamma=0.1)".
SchedulePtr multistep(double lr, std::vector<double> milestones, double gamma = 0.1);

}  // namespace regimen::schedule
