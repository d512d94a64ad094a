#include "runtime/schedule/plateau.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/schedule/checks.hpp"

namespace regimen::schedule {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

void require_count(std::string_view name, double value) {
  require_non_negative(name, value);
  require(std::floor(value) == value, name, "a whole number", value);
  require(value <= std::numeric_limits<int>::max(), name, "<= 2147483647", value);
}

class PlateauRate final : public Schedule {
 public:
  explicit PlateauRate(std::shared_ptr<Plateau> state) : state_(std::move(state)) {}
  double operator()(double) const override { return state_->lr(); }
  std::string describe() const override { return state_->describe(); }
  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override { out.push_back(state_); }

 private:
  std::shared_ptr<Plateau> state_;
};

}  // namespace

Plateau::Plateau(PlateauOptions options) : options_(std::move(options)) {
  const PlateauOptions& o = options_;
  require_non_negative("lr", o.lr);
  require_one_of("mode", o.mode, {"min", "max"});
  require_unit_interval("factor", o.factor);
  require_count("patience", o.patience);
  require_non_negative("threshold", o.threshold);
  require_one_of("threshold_mode", o.threshold_mode, {"rel", "abs"});
  require_count("cooldown", o.cooldown);
  require_non_negative("min_lr", o.min_lr);
  require_non_negative("eps", o.eps);
  if (o.monitor.empty()) throw InvalidArgument("monitor must name a metric, got ''");
  lr_ = o.lr;
  best_ = o.mode == "min" ? kInfinity : -kInfinity;
}

bool Plateau::is_better(double metric) const {
  const PlateauOptions& o = options_;
  const bool rel = o.threshold_mode == "rel";
  if (o.mode == "min") return rel ? metric < best_ * (1.0 - o.threshold) : metric < best_ - o.threshold;
  return rel ? metric > best_ * (o.threshold + 1.0) : metric > best_ + o.threshold;
}

void Plateau::observe(double metric) {
  if (is_better(metric)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;  // bad epochs in cooldown do not count
  }
  if (num_bad_epochs_ > options_.patience) {
    const double reduced = std::max(lr_ * options_.factor, options_.min_lr);
    if (lr_ - reduced > options_.eps) lr_ = reduced;
    cooldown_counter_ = options_.cooldown;
    num_bad_epochs_ = 0;
  }
}

std::vector<double> Plateau::state() const {
  return {lr_, best_, static_cast<double>(num_bad_epochs_), static_cast<double>(cooldown_counter_)};
}

void Plateau::set_state(std::span<const double> state) {
  if (state.size() != 4) {
    throw InvalidArgument("plateau state must hold 4 numbers (lr, best, num_bad_epochs, cooldown_counter), got " +
                          std::to_string(state.size()));
  }
  require_non_negative("lr", state[0]);
  require(!std::isnan(state[1]), "best", "a number", state[1]);
  require_count("num_bad_epochs", state[2]);
  require_count("cooldown_counter", state[3]);
  lr_ = state[0];
  best_ = state[1];
  num_bad_epochs_ = static_cast<int>(state[2]);
  cooldown_counter_ = static_cast<int>(state[3]);
}

std::string Plateau::describe() const {
  const PlateauOptions& o = options_;
  return "plateau(lr=" + format_number(o.lr) + ", mode=" + o.mode + ", factor=" + format_number(o.factor) +
         ", patience=" + std::to_string(o.patience) + ", threshold=" + format_number(o.threshold) +
         ", threshold_mode=" + o.threshold_mode + ", cooldown=" + std::to_string(o.cooldown) +
         ", min_lr=" + format_number(o.min_lr) + ", eps=" + format_number(o.eps) + ", monitor=" + o.monitor + ")";
}

SchedulePtr plateau(std::shared_ptr<Plateau> state) {
  if (!state) throw InvalidArgument("plateau: state must not be null");
  return std::make_shared<PlateauRate>(std::move(state));
}

SchedulePtr plateau(PlateauOptions options) { return plateau(std::make_shared<Plateau>(std::move(options))); }

}  // namespace regimen::schedule
