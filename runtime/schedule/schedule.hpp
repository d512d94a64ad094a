#pragma once
// A schedule is a pure function of a counter t (optimizer steps done, from 0). Built-ins are
// closed forms in double; nothing mutates a rate in place. Factories validate their options
// and throw InvalidArgument naming the bad one.
//
// The few stateful schedules (plateau, hypergradient) are still immutable Schedule objects:
// they read their value from a separate Feedback object (feedback.hpp) that the trainer feeds
// with metrics or gradients and checkpoints. collect_feedback() finds those objects inside any
// schedule, combinators included. children() walks a schedule tree; deferred.hpp uses it to
// find the schedules whose lengths are given in epochs or as a share of the run.
#include <memory>
#include <string>
#include <vector>

namespace regimen::schedule {

class Feedback;

/// A hyperparameter value as a function of the step.
class Schedule {
 public:
  virtual ~Schedule() = default;
  /// The value at step t (t >= 0).
  virtual double operator()(double t) const = 0;
  /// One line for `regimen check`: "cosine(lr=0.001, T_max=4220, eta_min=0)".
  virtual std::string describe() const = 0;
  /// Appends the Feedback objects this schedule reads (its own, then its children's, in
  /// order). Pure schedules read none; combinators forward to the schedules they hold.
  virtual void collect_feedback(std::vector<std::shared_ptr<Feedback>>&) const {}
  /// The schedules this one evaluates (a combinator's parts, in order); none for a closed form.
  virtual std::vector<std::shared_ptr<const Schedule>> children() const { return {}; }
  /// True when this schedule itself (not counting its children) cannot be evaluated before a
  /// run starts: its lengths wait for the run's length (deferred.hpp), or it calls back into a
  /// host language that reads the run's progress. Optimizers skip their construction-time
  /// check of such a schedule; its value is checked at every step instead.
  virtual bool depends_on_run() const { return false; }
};

using SchedulePtr = std::shared_ptr<const Schedule>;

}  // namespace regimen::schedule
