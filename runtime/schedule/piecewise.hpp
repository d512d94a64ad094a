#pragma once
// Piecewise constant, Keras' PiecewiseConstantDecay (keras/src/optimizers/schedules/
// learning_rate_schedule.py): with boundaries b[1] < ... < b[n] and values v[1..n+1],
//
//   s(t) = v[1]    for t <= b[1]
//          v[i+1]  for b[i] < t <= b[i+1]
//          v[n+1]  for t >  b[n]
//
// Note the closed right ends: the value changes at the step *after* a boundary. PyTorch's
// MultiStepLR changes *at* a milestone (multistep.hpp), so piecewise{boundaries = {10},
// values = {1, 0.1}} equals multistep{lr = 1, milestones = {11}} on whole steps.
#include <vector>

#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// values[i] on the i-th interval closed on the right. boundaries >= 0 and strictly
/// increasing; #values == #boundaries + 1; values >= 0 (all finite).
/// describe(): "piecewise(boundaries={100, 200}, values={1, 0.5, 0.1})".
SchedulePtr piecewise(std::vector<double> boundaries, std::vector<double> values);

}  // namespace regimen::schedule
