#include "runtime/schedule/multistep.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

class Multistep final : public Schedule {
 public:
  Multistep(double lr, std::vector<double> milestones, double gamma)
      : lr_(lr), milestones_(std::move(milestones)), gamma_(gamma) {}

  double operator()(double t) const override {
    // upper_bound counts the milestones <= t, as PyTorch's bisect_right does.
    const auto passed = std::upper_bound(milestones_.begin(), milestones_.end(), t) - milestones_.begin();
    return lr_ * std::pow(gamma_, static_cast<double>(passed));
  }

  std::string describe() const override {
    return "multistep(lr=" + format_number(lr_) + ", milestones=" + format_list(milestones_) +
           ", gamma=" + format_number(gamma_) + ")";
  }

 private:
  double lr_;
  std::vector<double> milestones_;
  double gamma_;
};

}  // namespace

SchedulePtr multistep(double lr, std::vector<double> milestones, double gamma) {
  require_non_negative("lr", lr);
  require_sorted_steps("milestones", milestones, false);
  require_positive("gamma", gamma);
  return std::make_shared<Multistep>(lr, std::move(milestones), gamma);
}

}  // namespace regimen::schedule
