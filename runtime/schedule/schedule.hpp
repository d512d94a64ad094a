#pragma once
// A schedule is a pure function of a counter t (optimizer steps done, from 0). Built-ins are
// closed forms in double; nothing mutates a rate in place. Factories validate their options
// and throw InvalidArgument naming the bad one.
#include <memory>
#include <string>

namespace regimen::schedule {

/// A hyperparameter value as a function of the step.
class Schedule {
 public:
  virtual ~Schedule() = default;
  /// The value at step t (t >= 0).
  virtual double operator()(double t) const = 0;
  /// One line for `regimen check`: "cosine(lr=0.001, T_max=4220, eta_min=0)".
  virtual std::string describe() const = 0;
};

using SchedulePtr = std::shared_ptr<const Schedule>;

}  // namespace regimen::schedule
