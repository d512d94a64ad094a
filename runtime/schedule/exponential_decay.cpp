#include "runtime/schedule/exponential_decay.hpp"

#include <cmath>

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class ExponentialDecay final : public Schedule {
 public:
  ExponentialDecay(double lr, double decay_rate, double decay_steps, bool staircase)
      : lr_(lr), decay_rate_(decay_rate), decay_steps_(decay_steps), staircase_(staircase) {}

  double operator()(double t) const override {
    const double p = t / decay_steps_;
    return lr_ * std::pow(decay_rate_, staircase_ ? std::floor(p) : p);
  }

  std::string describe() const override {
    return "exponential_decay(lr=" + format_number(lr_) + ", decay_rate=" +
           format_number(decay_rate_) + ", decay_steps=" + format_number(decay_steps_) +
           ", staircase=" + (staircase_ ? "true" : "false") + ")";
  }

 private:
  double lr_, decay_rate_, decay_steps_;
  bool staircase_;
};

}  // namespace

SchedulePtr exponential_decay(double lr, double decay_rate, double decay_steps, bool staircase) {
  require_non_negative("lr", lr);
  require_positive("decay_rate", decay_rate);
  require_positive("decay_steps", decay_steps);
  return std::make_shared<ExponentialDecay>(lr, decay_rate, decay_steps, staircase);
}

}  // namespace regimen::schedule
