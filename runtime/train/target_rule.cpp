#include "runtime/train/target_rule.hpp"

#include "runtime/option_check.hpp"
#include "runtime/train/early_stop.hpp"

namespace regimen::train {

TargetRule::TargetRule(std::string monitor, double target, std::string mode, int smoothing, int start_from_epoch)
    : value_(monitor, smoothing),
      target_(target),
      maximize_(resolve_maximize(monitor, mode)),
      start_from_epoch_(start_from_epoch) {
  require_finite("target", target_);
  require(start_from_epoch_ >= 0, "start_from_epoch", ">= 0", start_from_epoch_);
}

bool TargetRule::observe_epoch(int epoch, const Metrics& metrics) {
  const auto value = value_.read(metrics);  // read every epoch, so the window stays current
  if (!value || epoch < start_from_epoch_) return false;
  const bool reached = maximize_ ? *value >= target_ : *value <= target_;
  if (reached) {
    fired_epoch_ = epoch;
  }
  return reached;
}

std::string TargetRule::reason() const {
  return value_.describe() + " reached " + format_number(target_) + " target at epoch " +
         std::to_string(fired_epoch_ + 1);
}

std::string TargetRule::describe() const {
  return std::string("target(monitor=") + value_.describe() + ", target=" + format_number(target_) +
         ", mode=" + (maximize_ ? "max" : "min") + ")";
}

}  // namespace regimen::train

namespace regimen::train {

void TargetRule::save(io::ByteWriter& out) const {
  value_.save(out);
  out.i64(fired_epoch_);
}

void TargetRule::load(io::ByteReader& in) {
  value_.load(in);
  fired_epoch_ = static_cast<int>(in.i64());
}

}  // namespace regimen::train
