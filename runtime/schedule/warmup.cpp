#include "runtime/schedule/warmup.hpp"

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class Warmup final : public Schedule {
 public:
  Warmup(double steps, double from, SchedulePtr into) : steps_(steps), from_(from), into_(std::move(into)) {}

  double operator()(double t) const override {
    if (t >= steps_) return (*into_)(t - steps_);
    return from_ + ((*into_)(0.0) - from_) * t / steps_;
  }

  std::string describe() const override {
    return "warmup(steps=" + format_number(steps_) + ", from=" + format_number(from_) +
           ", into=" + into_->describe() + ")";
  }

  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override {
    into_->collect_feedback(out);
  }

  std::vector<SchedulePtr> children() const override { return {into_}; }

 private:
  double steps_, from_;
  SchedulePtr into_;
};

}  // namespace

SchedulePtr warmup(double steps, double from, SchedulePtr into) {
  require_non_negative("steps", steps);
  require_non_negative("from", from);
  if (!into) throw InvalidArgument("into must be a schedule, got nothing");
  return std::make_shared<Warmup>(steps, from, std::move(into));
}

}  // namespace regimen::schedule
