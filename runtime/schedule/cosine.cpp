#include "runtime/schedule/cosine.hpp"

#include <cmath>
#include <numbers>

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class Cosine final : public Schedule {
 public:
  Cosine(double lr, double T_max, double eta_min) : lr_(lr), T_max_(T_max), eta_min_(eta_min) {}

  double operator()(double t) const override {
    if (t > T_max_) return eta_min_;
    return eta_min_ + (lr_ - eta_min_) * (1.0 + std::cos(std::numbers::pi * t / T_max_)) / 2.0;
  }

  std::string describe() const override {
    return "cosine(lr=" + format_number(lr_) + ", T_max=" + format_number(T_max_) +
           ", eta_min=" + format_number(eta_min_) + ")";
  }

 private:
  double lr_, T_max_, eta_min_;
};

}  // namespace

SchedulePtr cosine(double lr, double T_max, double eta_min) {
  require_non_negative("lr", lr);
  require_positive("T_max", T_max);
  require_non_negative("eta_min", eta_min);
  return std::make_shared<Cosine>(lr, T_max, eta_min);
}

}  // namespace regimen::schedule
