#include "runtime/schedule/linear.hpp"

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class Linear final : public Schedule {
 public:
  Linear(double from, double to, double steps) : from_(from), to_(to), steps_(steps) {}

  double operator()(double t) const override {
    if (t >= steps_) return to_;  // exactly `to`, which from + (to - from) need not be
    return from_ + (to_ - from_) * t / steps_;
  }

  std::string describe() const override {
    return "linear(from=" + format_number(from_) + ", to=" + format_number(to_) +
           ", steps=" + format_number(steps_) + ")";
  }

 private:
  double from_, to_, steps_;
};

}  // namespace

SchedulePtr linear(double from, double to, double steps) {
  require_non_negative("from", from);
  require_non_negative("to", to);
  require_positive("steps", steps);
  return std::make_shared<Linear>(from, to, steps);
}

}  // namespace regimen::schedule
