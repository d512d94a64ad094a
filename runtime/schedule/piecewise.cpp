#include "runtime/schedule/piecewise.hpp"

#include <algorithm>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

class Piecewise final : public Schedule {
 public:
  Piecewise(std::vector<double> boundaries, std::vector<double> values)
      : boundaries_(std::move(boundaries)), values_(std::move(values)) {}

  double operator()(double t) const override {
    // The first boundary >= t closes t's interval; lower_bound finds it.
    const auto i = std::lower_bound(boundaries_.begin(), boundaries_.end(), t) - boundaries_.begin();
    return values_[static_cast<std::size_t>(i)];
  }

  std::string describe() const override {
    return "piecewise(boundaries=" + format_list(boundaries_) + ", values=" + format_list(values_) + ")";
  }

 private:
  std::vector<double> boundaries_, values_;
};

}  // namespace

SchedulePtr piecewise(std::vector<double> boundaries, std::vector<double> values) {
  if (values.size() != boundaries.size() + 1) {
    throw InvalidArgument("values must have one entry more than boundaries, got " +
                          std::to_string(values.size()) + " values for " +
                          std::to_string(boundaries.size()) + " boundaries");
  }
  require_sorted_steps("boundaries", boundaries, true);
  for (std::size_t i = 0; i < values.size(); ++i)
    require_non_negative("values[" + std::to_string(i + 1) + "]", values[i]);
  return std::make_shared<Piecewise>(std::move(boundaries), std::move(values));
}

}  // namespace regimen::schedule
