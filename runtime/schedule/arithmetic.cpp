#include "runtime/schedule/arithmetic.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

void require_schedule(const SchedulePtr& s, const char* name) {
  if (!s) throw InvalidArgument(std::string(name) + " must be a schedule, got nothing");
}

class Scaled final : public Schedule {
 public:
  Scaled(SchedulePtr s, double factor) : s_(std::move(s)), factor_(factor) {}
  double operator()(double t) const override { return factor_ * (*s_)(t); }
  std::string describe() const override {
    return "scaled(" + s_->describe() + ", " + format_number(factor_) + ")";
  }
  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override { s_->collect_feedback(out); }
  std::vector<SchedulePtr> children() const override { return {s_}; }

 private:
  SchedulePtr s_;
  double factor_;
};

class Sum final : public Schedule {
 public:
  Sum(SchedulePtr a, SchedulePtr b) : a_(std::move(a)), b_(std::move(b)) {}
  double operator()(double t) const override { return (*a_)(t) + (*b_)(t); }
  std::string describe() const override { return "sum(" + a_->describe() + ", " + b_->describe() + ")"; }
  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override {
    a_->collect_feedback(out);
    b_->collect_feedback(out);
  }
  std::vector<SchedulePtr> children() const override { return {a_, b_}; }

 private:
  SchedulePtr a_, b_;
};

class Clamped final : public Schedule {
 public:
  Clamped(SchedulePtr s, double lo, double hi) : s_(std::move(s)), lo_(lo), hi_(hi) {}
  double operator()(double t) const override { return std::min(std::max((*s_)(t), lo_), hi_); }
  std::string describe() const override {
    return "clamp(" + s_->describe() + ", lo=" + format_number(lo_) + ", hi=" + format_number(hi_) + ")";
  }
  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override { s_->collect_feedback(out); }
  std::vector<SchedulePtr> children() const override { return {s_}; }

 private:
  SchedulePtr s_;
  double lo_, hi_;
};

}  // namespace

SchedulePtr scaled(SchedulePtr s, double factor) {
  require_schedule(s, "s");
  require_non_negative("factor", factor);
  return std::make_shared<Scaled>(std::move(s), factor);
}

SchedulePtr sum(SchedulePtr a, SchedulePtr b) {
  require_schedule(a, "a");
  require_schedule(b, "b");
  return std::make_shared<Sum>(std::move(a), std::move(b));
}

SchedulePtr clamped(SchedulePtr s, double lo, double hi) {
  require_schedule(s, "s");
  require_non_negative("lo", lo);
  if (!(hi >= lo)) throw InvalidArgument("hi must be >= lo (" + format_number(lo) + "), got " + format_number(hi));
  return std::make_shared<Clamped>(std::move(s), lo, hi);
}

}  // namespace regimen::schedule
