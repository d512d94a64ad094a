#include "runtime/optim/adamax.hpp"

#include <cmath>

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
namespace {

using detail::ArrayMap;
using detail::ConstArrayMap;

template <typename State, typename Visit>
void visit_state(State& s, const AdamaxOptions&, Visit&& f) {
  f("step", s.step);
  f("exp_avg", s.exp_avg, true);
  f("exp_inf", s.exp_inf, true);
}

}  // namespace

void validate(const AdamaxOptions& options) {
  detail::require_betas(options.betas);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
}

template <typename T>
AdamaxKernel<T>::AdamaxKernel(AdamaxOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void AdamaxKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.exp_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.exp_avg.size() == 0) {
    state_.exp_avg.setZero(n);
    state_.exp_inf.setZero(n);
  }
  ArrayMap<T> p(params.data(), n);
  ConstArrayMap<T> g(grads.data(), n);
  auto& m = state_.exp_avg;
  auto& u = state_.exp_inf;
  const double b1 = options_.betas[0];
  const auto k = static_cast<double>(++state_.step);
  const T clr = static_cast<T>(lr / (1.0 - std::pow(b1, k)));
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);
  const T b2 = static_cast<T>(options_.betas[1]);

  m = static_cast<T>(b1) * m + static_cast<T>(1.0 - b1) * (sign * g + wd * p);
  u = (b2 * u).max((sign * g + wd * p).abs() + eps);
  p -= clr * (m / u);
}

template class AdamaxKernel<float>;
template class AdamaxKernel<double>;

Adamax::Adamax(schedule::SchedulePtr lr, AdamaxOptions options) : Optimizer(std::move(lr)), kernel_(options) {
  check_lr_schedule(this->lr());
}

std::string Adamax::describe() const {
  const AdamaxOptions& o = options();
  return "adamax(lr=" + lr()->describe() + ", betas=" + detail::pair(o.betas) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) + ", maximize=" + detail::boolean(o.maximize) + ")";
}

void Adamax::update(std::span<float> params, std::span<const float> grads, double lr) {
  kernel_.apply(params, grads, lr);
}

void Adamax::write_state(StateWriter& out) const { visit_state(state(), options(), out); }

void Adamax::read_state(StateReader& in) {
  AdamaxState<float> s;
  visit_state(s, options(), in);
  in.finish();
  kernel_.state() = std::move(s);
}

}  // namespace regimen::optim
