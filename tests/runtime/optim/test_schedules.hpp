#pragma once
// Schedules the built-ins forbid, for exercising an optimizer's own checks.
#include <string>

#include "runtime/schedule/schedule.hpp"
#include "runtime/option_check.hpp"

namespace regimen::test {

/// s(t) = start + slope * t, with no validation (a Lua function could return anything).
inline schedule::SchedulePtr ramp(double start, double slope) {
  struct Ramp final : schedule::Schedule {
    double start, slope;
    Ramp(double a, double b) : start(a), slope(b) {}
    double operator()(double t) const override { return start + slope * t; }
    std::string describe() const override {
      return "ramp(" + format_number(start) + ", " + format_number(slope) + ")";
    }
  };
  return std::make_shared<Ramp>(start, slope);
}

}  // namespace regimen::test
