#include "runtime/schedule/polynomial.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

class Polynomial final : public Schedule {
 public:
  Polynomial(double lr, double total_steps, double power, double end_lr, bool cycle)
      : lr_(lr), total_steps_(total_steps), power_(power), end_lr_(end_lr), cycle_(cycle) {}

  double operator()(double t) const override {
    double period = total_steps_;
    if (cycle_) {
      period *= t == 0.0 ? 1.0 : std::ceil(t / total_steps_);
    } else {
      t = std::min(t, total_steps_);
    }
    return (lr_ - end_lr_) * std::pow(1.0 - t / period, power_) + end_lr_;
  }

  std::string describe() const override {
    return "polynomial(lr=" + format_number(lr_) + ", total_steps=" + format_number(total_steps_) +
           ", power=" + format_number(power_) + ", end_lr=" + format_number(end_lr_) +
           ", cycle=" + format_bool(cycle_) + ")";
  }

 private:
  double lr_, total_steps_, power_, end_lr_;
  bool cycle_;
};

}  // namespace

SchedulePtr polynomial(double lr, double total_steps, double power, double end_lr, bool cycle) {
  require_non_negative("lr", lr);
  require_positive("total_steps", total_steps);
  require_non_negative("power", power);
  require_non_negative("end_lr", end_lr);
  return std::make_shared<Polynomial>(lr, total_steps, power, end_lr, cycle);
}

}  // namespace regimen::schedule
