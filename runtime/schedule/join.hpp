#pragma once
// Schedules one after another, switching at boundaries b[1] < b[2] < ...:
//
//   s(t) = s[1](t)              for t < b[1]
//   s(t) = s[i+1](t - b[i])     for b[i] <= t < b[i+1]
//
// Each later schedule starts from its own step 0 at its boundary, as in optax's
// join_schedules and PyTorch's SequentialLR (which calls the next scheduler's step(0) at its
// milestone).
#include <vector>

#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// #schedules == #boundaries + 1, no schedule null, boundaries >= 0 and strictly increasing.
/// describe(): "join(linear(from=0, to=0.1, steps=20), 20, cosine(lr=0.1, T_max=80, eta_min=0))".
SchedulePtr join(std::vector<SchedulePtr> schedules, std::vector<double> boundaries);

}  // namespace regimen::schedule
