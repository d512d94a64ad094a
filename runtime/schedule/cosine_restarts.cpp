#include "runtime/schedule/cosine_restarts.hpp"

#include <cmath>
#include <numbers>

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class CosineRestarts final : public Schedule {
 public:
  CosineRestarts(double lr, double T_0, double T_mult, double eta_min, double m_mul)
      : lr_(lr), T_0_(T_0), T_mult_(T_mult), eta_min_(eta_min), m_mul_(m_mul) {}

  double operator()(double t) const override {
    double cycle = 0, start = 0, length = T_0_;
    if (T_mult_ == 1.0) {
      cycle = std::floor(t / T_0_);
      start = cycle * T_0_;
    } else {
      // The logarithm gives the cycle up to rounding; step it onto the exact one.
      cycle = std::floor(std::log1p(t / T_0_ * (T_mult_ - 1.0)) / std::log(T_mult_));
      while (cycle > 0 && start_of(cycle) > t) cycle -= 1;
      while (start_of(cycle + 1) <= t) cycle += 1;
      start = start_of(cycle);
      length = T_0_ * std::pow(T_mult_, cycle);
    }
    const double amplitude = (lr_ - eta_min_) * std::pow(m_mul_, cycle);
    return eta_min_ + amplitude * (1.0 + std::cos(std::numbers::pi * (t - start) / length)) / 2.0;
  }

  std::string describe() const override {
    return "cosine_restarts(lr=" + format_number(lr_) + ", T_0=" + format_number(T_0_) +
           ", T_mult=" + format_number(T_mult_) + ", eta_min=" + format_number(eta_min_) +
           ", m_mul=" + format_number(m_mul_) + ")";
  }

 private:
  // The first step of cycle i when T_mult != 1; exact for whole T_0 and T_mult.
  double start_of(double i) const { return T_0_ * (std::pow(T_mult_, i) - 1.0) / (T_mult_ - 1.0); }

  double lr_, T_0_, T_mult_, eta_min_, m_mul_;
};

}  // namespace

SchedulePtr cosine_restarts(double lr, double T_0, double T_mult, double eta_min, double m_mul) {
  require_non_negative("lr", lr);
  require_positive("T_0", T_0);
  require_finite("T_mult", T_mult);
  require(T_mult >= 1.0, "T_mult", ">= 1", T_mult);
  require_non_negative("eta_min", eta_min);
  require_non_negative("m_mul", m_mul);
  return std::make_shared<CosineRestarts>(lr, T_0, T_mult, eta_min, m_mul);
}

}  // namespace regimen::schedule
