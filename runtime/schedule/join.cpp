#include "runtime/schedule/join.hpp"

#include <algorithm>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

class Join final : public Schedule {
 public:
  Join(std::vector<SchedulePtr> schedules, std::vector<double> boundaries)
      : schedules_(std::move(schedules)), boundaries_(std::move(boundaries)) {}

  double operator()(double t) const override {
    // The number of boundaries <= t picks the piece; the last of them is its step 0.
    const auto i = static_cast<std::size_t>(
        std::upper_bound(boundaries_.begin(), boundaries_.end(), t) - boundaries_.begin());
    return (*schedules_[i])(i == 0 ? t : t - boundaries_[i - 1]);
  }

  std::string describe() const override {
    std::string text = "join(" + schedules_[0]->describe();
    for (std::size_t i = 0; i < boundaries_.size(); ++i)
      text += ", " + format_number(boundaries_[i]) + ", " + schedules_[i + 1]->describe();
    return text + ")";
  }

  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override {
    for (const SchedulePtr& s : schedules_) s->collect_feedback(out);
  }

  std::vector<SchedulePtr> children() const override { return schedules_; }

 private:
  std::vector<SchedulePtr> schedules_;
  std::vector<double> boundaries_;
};

}  // namespace

SchedulePtr join(std::vector<SchedulePtr> schedules, std::vector<double> boundaries) {
  if (schedules.size() != boundaries.size() + 1) {
    throw InvalidArgument("join needs one schedule more than boundaries, got " +
                          std::to_string(schedules.size()) + " schedules for " +
                          std::to_string(boundaries.size()) + " boundaries");
  }
  for (const SchedulePtr& s : schedules)
    if (!s) throw InvalidArgument("join: a schedule is missing");
  require_sorted_steps("boundaries", boundaries, true);
  return std::make_shared<Join>(std::move(schedules), std::move(boundaries));
}

}  // namespace regimen::schedule
