#include "runtime/schedule/feedback.hpp"

#include <algorithm>

namespace regimen::schedule {

std::vector<FeedbackPtr> feedback_of(std::span<const SchedulePtr> schedules) {
  std::vector<FeedbackPtr> all;
  for (const SchedulePtr& s : schedules)
    if (s) s->collect_feedback(all);
  std::vector<FeedbackPtr> unique;
  for (FeedbackPtr& f : all)
    if (std::find(unique.begin(), unique.end(), f) == unique.end()) unique.push_back(std::move(f));
  return unique;
}

std::vector<FeedbackPtr> feedback_of(const SchedulePtr& schedule) {
  return feedback_of(std::span<const SchedulePtr>(&schedule, 1));
}

}  // namespace regimen::schedule
