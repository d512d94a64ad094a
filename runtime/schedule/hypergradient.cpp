#include "runtime/schedule/hypergradient.hpp"

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "runtime/option_check.hpp"

namespace regimen::schedule {
namespace {

class HypergradientRate final : public Schedule {
 public:
  explicit HypergradientRate(std::shared_ptr<Hypergradient> state) : state_(std::move(state)) {}
  double operator()(double) const override { return state_->lr(); }
  std::string describe() const override { return state_->describe(); }
  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override { out.push_back(state_); }

 private:
  std::shared_ptr<Hypergradient> state_;
};

}  // namespace

Hypergradient::Hypergradient(double lr, double beta) : initial_lr_(lr), beta_(beta), lr_(lr) {
  require_non_negative("lr", lr);
  require_non_negative("beta", beta);
}

void Hypergradient::observe_gradients(std::span<const float> gradient) {
  if (gradient.empty()) throw InvalidArgument("hypergradient: the gradient is empty");
  const auto n = static_cast<Eigen::Index>(gradient.size());
  const Eigen::Map<const Eigen::VectorXf> g(gradient.data(), n);
  if (!previous_.empty()) {
    if (previous_.size() != gradient.size()) {
      throw InvalidArgument("hypergradient: the gradient has " + std::to_string(gradient.size()) +
                            " elements but the previous one had " + std::to_string(previous_.size()));
    }
    const Eigen::Map<const Eigen::VectorXf> prev(previous_.data(), n);
    lr_ += beta_ * g.cast<double>().dot(prev.cast<double>());
  }
  previous_.assign(gradient.begin(), gradient.end());
}

std::vector<double> Hypergradient::state() const {
  std::vector<double> state;
  state.reserve(previous_.size() + 1);
  state.push_back(lr_);
  state.insert(state.end(), previous_.begin(), previous_.end());
  return state;
}

void Hypergradient::set_state(std::span<const double> state) {
  if (state.empty()) throw InvalidArgument("hypergradient state must hold at least the lr, got nothing");
  require_finite("lr", state[0]);
  std::vector<float> previous(state.size() - 1);
  for (std::size_t i = 1; i < state.size(); ++i) {
    // A float widened to double comes back exactly; anything else is not a saved gradient.
    const double x = state[i];
    const bool in_range = !std::isfinite(x) || std::abs(x) <= std::numeric_limits<float>::max();
    if (in_range) previous[i - 1] = static_cast<float>(x);
    if (!in_range || (static_cast<double>(previous[i - 1]) != x && !std::isnan(x))) {
      throw InvalidArgument("hypergradient state: entry " + std::to_string(i + 1) + " (" +
                            format_number(state[i]) + ") is not a float32 gradient value");
    }
  }
  lr_ = state[0];
  previous_ = std::move(previous);
}

std::string Hypergradient::describe() const {
  return "hypergradient(lr=" + format_number(initial_lr_) + ", beta=" + format_number(beta_) + ")";
}

SchedulePtr hypergradient(std::shared_ptr<Hypergradient> state) {
  if (!state) throw InvalidArgument("hypergradient: state must not be null");
  return std::make_shared<HypergradientRate>(std::move(state));
}

SchedulePtr hypergradient(double lr, double beta) {
  return hypergradient(std::make_shared<Hypergradient>(lr, beta));
}

}  // namespace regimen::schedule
