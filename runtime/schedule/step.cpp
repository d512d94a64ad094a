#include "runtime/schedule/step.hpp"

#include <cmath>

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class Step final : public Schedule {
 public:
  Step(double lr, double step_size, double gamma) : lr_(lr), step_size_(step_size), gamma_(gamma) {}

  double operator()(double t) const override {
    return lr_ * std::pow(gamma_, std::floor(t / step_size_));
  }

  std::string describe() const override {
    return "step(lr=" + format_number(lr_) + ", step_size=" + format_number(step_size_) +
           ", gamma=" + format_number(gamma_) + ")";
  }

 private:
  double lr_, step_size_, gamma_;
};

}  // namespace

SchedulePtr step(double lr, double step_size, double gamma) {
  require_non_negative("lr", lr);
  require_positive("step_size", step_size);
  require_positive("gamma", gamma);
  return std::make_shared<Step>(lr, step_size, gamma);
}

}  // namespace regimen::schedule
