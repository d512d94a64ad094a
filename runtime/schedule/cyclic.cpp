#include "runtime/schedule/cyclic.hpp"

#include <cmath>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

enum class Mode { kTriangular, kTriangular2, kExpRange };

class Cyclic final : public Schedule {
 public:
  explicit Cyclic(const CyclicOptions& o)
      : options_(o),
        down_(o.step_size_down.value_or(o.step_size_up)),
        total_(o.step_size_up + down_),
        ratio_(o.step_size_up / total_),
        mode_(o.mode == "triangular2" ? Mode::kTriangular2
              : o.mode == "exp_range" ? Mode::kExpRange
                                      : Mode::kTriangular) {}

  double operator()(double t) const override {
    const double cycle = std::floor(1.0 + t / total_);
    const double x = 1.0 + t / total_ - cycle;
    const double h = x <= ratio_ ? x / ratio_ : (x - 1.0) / (ratio_ - 1.0);
    const double height = (options_.max_lr - options_.base_lr) * h;
    switch (mode_) {
      case Mode::kTriangular2: return options_.base_lr + height * (1.0 / std::pow(2.0, cycle - 1.0));
      case Mode::kExpRange: return options_.base_lr + height * std::pow(options_.gamma, t);
      case Mode::kTriangular: break;
    }
    return options_.base_lr + height * 1.0;
  }

  std::string describe() const override {
    const CyclicOptions& o = options_;
    return "cyclic(base_lr=" + format_number(o.base_lr) + ", max_lr=" + format_number(o.max_lr) +
           ", step_size_up=" + format_number(o.step_size_up) + ", step_size_down=" + format_number(down_) +
           ", mode=" + o.mode + ", gamma=" + format_number(o.gamma) + ")";
  }

 private:
  CyclicOptions options_;
  double down_, total_, ratio_;
  Mode mode_;
};

}  // namespace

SchedulePtr cyclic(const CyclicOptions& o) {
  require_non_negative("base_lr", o.base_lr);
  require_non_negative("max_lr", o.max_lr);
  require_positive("step_size_up", o.step_size_up);
  if (o.step_size_down) require_positive("step_size_down", *o.step_size_down);
  require_one_of("mode", o.mode, {"triangular", "triangular2", "exp_range"});
  require_positive("gamma", o.gamma);
  return std::make_shared<Cyclic>(o);
}

}  // namespace regimen::schedule
