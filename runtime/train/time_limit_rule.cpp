#include "runtime/train/time_limit_rule.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::train {

SecondsClock steady_seconds() {
  return [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
}

double parse_duration(const std::string& text) {
  const auto bad = [&] {
    return InvalidArgument("max_time must be seconds or a duration like \"90s\", \"20m\", \"2h\", got \"" + text + "\"");
  };
  if (text.empty()) throw bad();
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) throw bad();
  const std::string unit(end);
  double scale = 0.0;
  if (unit.empty() || unit == "s") scale = 1.0;
  else if (unit == "m") scale = 60.0;
  else if (unit == "h") scale = 3600.0;
  else throw bad();
  const double seconds = number * scale;
  if (!std::isfinite(seconds) || seconds <= 0.0) throw bad();
  return seconds;
}

TimeLimitRule::TimeLimitRule(double seconds, std::string label, SecondsClock clock)
    : seconds_(seconds), label_(std::move(label)), clock_(std::move(clock)) {
  require_finite("max_time", seconds_);
  require(seconds_ > 0.0, "max_time", "> 0", seconds_);
  start_ = clock_();
}

void TimeLimitRule::start() { start_ = clock_(); }

bool TimeLimitRule::observe_epoch(int epoch, const Metrics& /*metrics*/) {
  if (!expired()) return false;
  if (fired_epoch_ < 0) fired_epoch_ = epoch;
  return true;
}

bool TimeLimitRule::observe_step(int epoch, std::int64_t step) {
  if (!expired()) return false;
  fired_epoch_ = epoch;
  fired_step_ = step;
  return true;
}

std::string TimeLimitRule::reason() const {
  std::string text = "max_time " + label_ + " reached at epoch " + std::to_string(fired_epoch_ + 1);
  if (fired_step_ >= 0) text += ", step " + std::to_string(fired_step_);
  return text;
}

}  // namespace regimen::train

namespace regimen::train {

// The budget counts training time: a resumed run goes on from the time already used.
void TimeLimitRule::save(io::ByteWriter& out) const {
  out.f64(clock_() - start_);
  out.i64(fired_epoch_);
  out.i64(fired_step_);
}

void TimeLimitRule::load(io::ByteReader& in) {
  const double used = in.f64();
  start_ = clock_() - used;
  fired_epoch_ = static_cast<int>(in.i64());
  fired_step_ = in.i64();
}

}  // namespace regimen::train
