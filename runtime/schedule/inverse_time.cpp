#include "runtime/schedule/inverse_time.hpp"

#include <cmath>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

class InverseTime final : public Schedule {
 public:
  InverseTime(double lr, double decay_rate, double decay_steps, bool staircase)
      : lr_(lr), decay_rate_(decay_rate), decay_steps_(decay_steps), staircase_(staircase) {}

  double operator()(double t) const override {
    const double p = t / decay_steps_;
    return lr_ / (1.0 + decay_rate_ * (staircase_ ? std::floor(p) : p));
  }

  std::string describe() const override {
    return "inverse_time(lr=" + format_number(lr_) + ", decay_rate=" + format_number(decay_rate_) +
           ", decay_steps=" + format_number(decay_steps_) + ", staircase=" + format_bool(staircase_) + ")";
  }

 private:
  double lr_, decay_rate_, decay_steps_;
  bool staircase_;
};

}  // namespace

SchedulePtr inverse_time(double lr, double decay_rate, double decay_steps, bool staircase) {
  require_non_negative("lr", lr);
  require_non_negative("decay_rate", decay_rate);
  require_positive("decay_steps", decay_steps);
  return std::make_shared<InverseTime>(lr, decay_rate, decay_steps, staircase);
}

}  // namespace regimen::schedule
