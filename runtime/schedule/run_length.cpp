#include "runtime/schedule/run_length.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/option_check.hpp"

namespace regimen::schedule {

RunLength RunLength::uniform(double steps_per_epoch, int epochs) {
  require_positive("steps_per_epoch", steps_per_epoch);
  if (epochs < 0) throw InvalidArgument("epochs must be >= 0, got " + std::to_string(epochs));
  return of_epochs(std::vector<double>(static_cast<std::size_t>(epochs), steps_per_epoch), steps_per_epoch);
}

RunLength RunLength::of_epochs(std::vector<double> steps, double first_epoch) {
  RunLength run;
  run.first_ = steps.empty() ? first_epoch : steps.front();
  require_positive("steps_per_epoch", run.first_);
  for (double s : steps) {
    require_positive("steps_per_epoch", s);
    run.starts_.push_back(run.starts_.back() + s);
  }
  return run;
}

double RunLength::last_epoch() const {
  const std::size_t n = starts_.size();
  return n >= 2 ? starts_[n - 1] - starts_[n - 2] : first_;
}

double RunLength::steps_at_epoch(double e) const {
  if (e <= 0.0) return 0.0;
  const double last = static_cast<double>(epochs());
  if (e >= last) return total_steps() + (e - last) * last_epoch();
  const auto whole = static_cast<std::size_t>(e);
  return starts_[whole] + (e - static_cast<double>(whole)) * (starts_[whole + 1] - starts_[whole]);
}

double RunLength::epoch_at(double t) const {
  if (t <= 0.0) return 0.0;
  if (t >= total_steps()) return static_cast<double>(epochs()) + std::floor((t - total_steps()) / last_epoch());
  // The last start <= t.
  const auto after = std::upper_bound(starts_.begin(), starts_.end(), t);
  return static_cast<double>(after - starts_.begin() - 1);
}

}  // namespace regimen::schedule
