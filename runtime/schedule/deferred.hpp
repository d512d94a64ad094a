#pragma once
// A schedule whose lengths are in the run's units ("5 epochs", "10%", by = "epoch") cannot be
// built until the run's length is known, yet an optimizer or a layer must hold it from the
// moment a recipe names it. A Deferred is that placeholder: it holds a factory of the real
// schedule and builds it once, when the recipe is resolved and the data size, batch size,
// epochs and accumulation are known:
//
//   auto s = std::make_shared<Deferred>("cosine(lr=0.1, T_max='5 epochs')",
//       "cosine: T_max '5 epochs' needs a recipe to know the epoch length",
//       std::vector<SchedulePtr>{}, [](const RunLength& run) { return cosine(0.1, 5 * run.steps_per_epoch()); });
//   resolve_lengths({s}, RunLength::uniform(100, 30));     // s(t) is now cosine(0.1, 500)(t)
//
// Evaluating it before then throws Unresolved (an InvalidArgument) with the `pending` message.
// Resolution is the one mutation a schedule sees, before any step; resolving again (another run
// of the same recipe) rebuilds it for that run.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/schedule/run_length.hpp"
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// What evaluating an unresolved Deferred throws (its `pending` message).
struct Unresolved : InvalidArgument {
  using InvalidArgument::InvalidArgument;
};

/// A schedule built when the run's length is known.
class Deferred final : public Schedule {
 public:
  using Build = std::function<SchedulePtr(const RunLength&)>;

  /// `description` is describe() until resolved; `pending` what evaluating it throws until then;
  /// `children` the schedules `build` uses (resolved before this one).
  Deferred(std::string description, std::string pending, std::vector<SchedulePtr> children, Build build);

  /// The built schedule's value; throws Unresolved(pending) before resolve().
  double operator()(double t) const override;
  /// The built schedule's describe(), or the description given.
  std::string describe() const override;
  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override;
  /// The children given, then the built schedule once resolved.
  std::vector<SchedulePtr> children() const override;
  bool depends_on_run() const override { return !built_; }

  /// Builds the schedule for `run`; throws what the factory throws (InvalidArgument for a
  /// length that comes out invalid, e.g. "T_max must be > 0, got 0" for "0%"), leaving the
  /// previous state.
  void resolve(const RunLength& run) const;
  bool resolved() const { return built_ != nullptr; }
  const std::string& pending() const { return pending_; }

 private:
  std::string description_, pending_;
  std::vector<SchedulePtr> children_;
  Build build_;
  // Set once per run before training, by resolve() (the schedule is shared as const).
  mutable SchedulePtr built_;
};

/// The Deferred schedules inside `schedules`, each once, children before the schedules that
/// use them.
std::vector<std::shared_ptr<const Deferred>> deferred_of(std::span<const SchedulePtr> schedules);

/// Resolves every Deferred inside `schedules` for `run`, innermost first.
void resolve_lengths(std::span<const SchedulePtr> schedules, const RunLength& run);

/// True when `schedule` or a part of it cannot be evaluated before a run (depends_on_run()).
bool depends_on_run(const SchedulePtr& schedule);

/// The first unresolved Deferred inside `schedule`, or null.
std::shared_ptr<const Deferred> first_unresolved(const SchedulePtr& schedule);

}  // namespace regimen::schedule
