#pragma once
// Arithmetic on schedules, for the Lua operators: `0.5 * s` and `s * 0.5` (scaled),
// `s + c` and `s1 + s2` (sum), `s:clamp(lo, hi)` (clamped). `s1 * s2` is product.hpp.
//
//   scaled(s, k)(t)       = k * s(t)
//   sum(a, b)(t)          = a(t) + b(t)
//   clamped(s, lo, hi)(t) = min(max(s(t), lo), hi)
//
// Factors and bounds are >= 0, so a sum or scale of non-negative schedules stays a valid rate.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// factor * s(t). factor >= 0 and finite. describe(): "scaled(cosine(...), 0.5)".
SchedulePtr scaled(SchedulePtr s, double factor);

/// a(t) + b(t). describe(): "sum(cosine(...), constant(lr=0.01))".
SchedulePtr sum(SchedulePtr a, SchedulePtr b);

/// s(t) confined to [lo, hi]. lo >= 0 and finite; hi >= lo (hi may be +infinity: no upper
/// bound). describe(): "clamp(cosine(...), lo=0.001, hi=0.1)".
SchedulePtr clamped(SchedulePtr s, double lo, double hi);

}  // namespace regimen::schedule
