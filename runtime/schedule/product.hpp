#pragma once
// The product of schedules: s(t) = s[1](t) * s[2](t) * ...
//
// Multiplicative factors compose this way, as PyTorch's ChainedScheduler composes
// multiplicative schedulers (ChainedScheduler([ExponentialLR(0.99), StepLR(40, 0.5)]) is
// product{exponential{lr, gamma = 0.99}, step{lr = 1, step_size = 40, gamma = 0.5}}). A factor
// is a schedule whose value starts at 1: plateau{lr = 1, ...} turns a cosine into a cosine
// that also drops when the metric stalls.
#include <vector>

#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// At least one schedule, none null.
/// describe(): "product(cosine(lr=0.1, T_max=100, eta_min=0), plateau(lr=1, ...))".
SchedulePtr product(std::vector<SchedulePtr> factors);

}  // namespace regimen::schedule
