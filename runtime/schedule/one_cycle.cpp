#include "runtime/schedule/one_cycle.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

struct Phase {
  double end_step, start_lr, end_lr;
};

class OneCycle final : public Schedule {
 public:
  explicit OneCycle(const OneCycleOptions& o) : options_(o), cos_(o.anneal == "cos") {
    const double initial = o.max_lr / o.div_factor;
    const double min = initial / o.final_div_factor;
    const double T = o.total_steps;
    if (o.three_phase) {
      phases_ = {{{o.pct_start * T - 1, initial, o.max_lr},
                  {2 * o.pct_start * T - 2, o.max_lr, initial},
                  {T - 1, initial, min}}};
      count_ = 3;
    } else {
      phases_ = {{{o.pct_start * T - 1, initial, o.max_lr}, {T - 1, o.max_lr, min}, {}}};
      count_ = 2;
    }
  }

  double operator()(double t) const override {
    t = std::min(t, options_.total_steps - 1);
    double start_step = 0;
    for (std::size_t i = 0; i < count_; ++i) {
      const Phase& phase = phases_[i];
      if (t <= phase.end_step || i + 1 == count_) {
        const double length = phase.end_step - start_step;
        const double pct = length > 0 ? (t - start_step) / length : 1.0;
        return anneal(phase.start_lr, phase.end_lr, pct);
      }
      start_step = phase.end_step;
    }
    return 0;  // unreachable: the last phase always answers
  }

  std::string describe() const override {
    const OneCycleOptions& o = options_;
    return "one_cycle(max_lr=" + format_number(o.max_lr) + ", total_steps=" + format_number(o.total_steps) +
           ", pct_start=" + format_number(o.pct_start) + ", anneal=" + o.anneal +
           ", div_factor=" + format_number(o.div_factor) +
           ", final_div_factor=" + format_number(o.final_div_factor) +
           ", three_phase=" + format_bool(o.three_phase) + ")";
  }

 private:
  // PyTorch's _annealing_cos and _annealing_linear, operation for operation.
  double anneal(double start, double end, double pct) const {
    if (cos_) return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1.0);
    return (end - start) * pct + start;
  }

  OneCycleOptions options_;
  bool cos_;
  std::array<Phase, 3> phases_{};
  std::size_t count_ = 0;
};

}  // namespace

SchedulePtr one_cycle(const OneCycleOptions& o) {
  require_non_negative("max_lr", o.max_lr);
  require_positive_whole("total_steps", o.total_steps);
  require_finite("pct_start", o.pct_start);
  require(o.pct_start >= 0.0 && o.pct_start <= 1.0, "pct_start", "in [0, 1]", o.pct_start);
  if (o.three_phase) require(o.pct_start <= 0.5, "pct_start", "<= 0.5 with three_phase", o.pct_start);
  require_one_of("anneal", o.anneal, {"cos", "linear"});
  require_positive("div_factor", o.div_factor);
  require_positive("final_div_factor", o.final_div_factor);
  return std::make_shared<OneCycle>(o);
}

}  // namespace regimen::schedule
