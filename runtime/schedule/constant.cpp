#include "runtime/schedule/constant.hpp"

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class Constant final : public Schedule {
 public:
  explicit Constant(double lr) : lr_(lr) {}
  double operator()(double) const override { return lr_; }
  std::string describe() const override { return "constant(lr=" + format_number(lr_) + ")"; }

 private:
  double lr_;
};

}  // namespace

SchedulePtr constant(double lr) {
  require_non_negative("lr", lr);
  return std::make_shared<Constant>(lr);
}

}  // namespace regimen::schedule
