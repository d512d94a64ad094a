#include "runtime/schedule/by_epoch.hpp"

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"
#include "runtime/schedule/feedback.hpp"

namespace regimen::schedule {
namespace {

class ByEpoch final : public Schedule {
 public:
  ByEpoch(SchedulePtr inner, RunLength run) : inner_(std::move(inner)), run_(std::move(run)) {}

  double operator()(double t) const override { return (*inner_)(run_.epoch_at(t)); }

  std::string describe() const override {
    return "by_epoch(" + inner_->describe() + ", steps_per_epoch=" + format_number(run_.steps_per_epoch()) + ")";
  }

  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override { inner_->collect_feedback(out); }
  std::vector<SchedulePtr> children() const override { return {inner_}; }

 private:
  SchedulePtr inner_;
  RunLength run_;
};

}  // namespace

SchedulePtr by_epoch(SchedulePtr inner, RunLength run) {
  if (!inner) throw InvalidArgument("by_epoch: the schedule is missing");
  return std::make_shared<ByEpoch>(std::move(inner), std::move(run));
}

}  // namespace regimen::schedule
