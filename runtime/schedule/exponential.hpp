#pragma once
// Exponential decay per step, PyTorch's ExponentialLR in closed form
// (ExponentialLR._get_closed_form_lr):
//
//   s(t) = lr * gamma^t
//
// PyTorch multiplies the previous rate by gamma at every step; after 300 steps the product
// and the power differ by a few hundred ulps (~1e-13 relative). Keras' ExponentialDecay with
// decay_steps = 1 is the same curve (see exponential_decay.hpp).
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// lr * gamma^t. lr >= 0, gamma > 0 (both finite).
/// describe(): "exponential(lr=0.1, gamma=0.99)".
SchedulePtr exponential(double lr, double gamma);

}  // namespace regimen::schedule
