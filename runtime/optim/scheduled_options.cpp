// The scheduled-option half of Optimizer (optimizer.hpp): options other than lr that follow a
// schedule, set before every step, and the step-numbered check of the learning rate.
#include <algorithm>

#include "runtime/error.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/option_check.hpp"
#include "runtime/schedule/deferred.hpp"

namespace regimen::optim {
namespace {

const char* const kSchedulable[] = {"momentum", "betas[1]", "betas[2]", "weight_decay"};

}  // namespace

std::vector<std::string> Optimizer::schedulable_options() const {
  std::vector<std::string> names;
  for (const char* name : kSchedulable)
    if (option(name)) names.emplace_back(name);
  return names;
}

std::vector<schedule::SchedulePtr> Optimizer::schedules() const {
  std::vector<schedule::SchedulePtr> all;
  const auto add = [&](const schedule::SchedulePtr& s) {
    if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
  };
  for (const Optimizer* part : parts()) {
    add(part->lr());
    for (const ScheduledOption& o : part->scheduled_options()) add(o.schedule);
  }
  return all;
}

void Optimizer::schedule_option(const std::string& name, schedule::SchedulePtr value) {
  if (!value) throw InvalidArgument(name + " must be a number or a schedule, got nothing");
  if (!option(name)) {
    std::string can;
    for (const std::string& n : schedulable_options()) can += (can.empty() ? "" : ", ") + n;
    throw InvalidArgument("'" + name + "' cannot follow a schedule" +
                          (can.empty() ? " (no option of " + this->name() + " can)" : " (" + can + " can)"));
  }
  if (!schedule::depends_on_run(value)) {
    const double now = (*value)(static_cast<double>(steps_));
    try {
      set_option(name, now);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(e.what()) + " at step " + std::to_string(steps_));
    }
  }
  auto same = std::find_if(scheduled_.begin(), scheduled_.end(), [&](const ScheduledOption& o) { return o.name == name; });
  if (same != scheduled_.end()) {
    same->schedule = std::move(value);
  } else {
    scheduled_.push_back({name, std::move(value)});
  }
}

void Optimizer::apply_scheduled_options() {
  const double t = static_cast<double>(steps_);
  for (const ScheduledOption& o : scheduled_) {
    const double value = (*o.schedule)(t);
    try {
      set_option(o.name, value);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(e.what()) + " at step " + std::to_string(steps_));
    }
  }
}

void Optimizer::reject_lr(double lr) const {
  std::string message;
  try {
    require_non_negative("lr", lr);
  } catch (const InvalidArgument& e) {
    message = e.what();
  }
  throw InvalidArgument(message + " at step " + std::to_string(steps_));
}

}  // namespace regimen::optim
