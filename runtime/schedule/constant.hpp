#pragma once
// The constant schedule: s(t) = lr for every t.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// A schedule that is `lr` at every step. lr must be finite and >= 0.
/// describe(): "constant(lr=0.001)".
SchedulePtr constant(double lr);

}  // namespace regimen::schedule
