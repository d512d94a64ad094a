#include "runtime/schedule/exponential.hpp"

#include <cmath>

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class Exponential final : public Schedule {
 public:
  Exponential(double lr, double gamma) : lr_(lr), gamma_(gamma) {}

  double operator()(double t) const override { return lr_ * std::pow(gamma_, t); }

  std::string describe() const override {
    return "exponential(lr=" + format_number(lr_) + ", gamma=" + format_number(gamma_) + ")";
  }

 private:
  double lr_, gamma_;
};

}  // namespace

SchedulePtr exponential(double lr, double gamma) {
  require_non_negative("lr", lr);
  require_positive("gamma", gamma);
  return std::make_shared<Exponential>(lr, gamma);
}

}  // namespace regimen::schedule
