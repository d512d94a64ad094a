#include "runtime/optim/radam.hpp"

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
void visit_state(State& s, const RadamOptions&, Visit&& f) {
  f("step", s.step);
  f("exp_avg", s.exp_avg, true);
  f("exp_avg_sq", s.exp_avg_sq, true);
}

}  // namespace

void validate(const RadamOptions& options) {
  detail::require_betas(options.betas);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
}

template <typename T>
RadamKernel<T>::RadamKernel(RadamOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void RadamKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.exp_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.exp_avg.size() == 0) {
    state_.exp_avg.setZero(n);
    state_.exp_avg_sq.setZero(n);
  }
  ArrayMap<T> p(params.data(), n);
  ConstArrayMap<T> g(grads.data(), n);
  auto& m = state_.exp_avg;
  auto& v = state_.exp_avg_sq;

  const double b1 = options_.betas[0], b2 = options_.betas[1];
  const auto k = static_cast<double>(++state_.step);
  const double bc1 = 1.0 - std::pow(b1, k);
  const double bc2 = 1.0 - std::pow(b2, k);
  const double rho_inf = 2.0 / (1.0 - b2) - 1.0;
  const double rho_k = rho_inf - 2.0 * k * std::pow(b2, k) / bc2;
  const T wd = static_cast<T>(options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);
  const T bc1_t = static_cast<T>(bc1);
  const T eta = static_cast<T>(lr);

  m = static_cast<T>(b1) * m + static_cast<T>(1.0 - b1) * (g + wd * p);
  v = static_cast<T>(b2) * v + static_cast<T>(1.0 - b2) * (g + wd * p).square();
  if (rho_k > 5.0) {
    const T rect = static_cast<T>(
        std::sqrt((rho_k - 4.0) * (rho_k - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_k)));
    const T bc2_sqrt = static_cast<T>(std::sqrt(bc2));
    p -= m / bc1_t * eta * (bc2_sqrt / (v.sqrt() + eps)) * rect;
  } else {
    p -= m / bc1_t * eta;
  }
}

template class RadamKernel<float>;
template class RadamKernel<double>;

Radam::Radam(schedule::SchedulePtr lr, RadamOptions options) : Optimizer(std::move(lr)), kernel_(options) {
  check_lr_schedule(this->lr());
}

std::string Radam::describe() const {
  const RadamOptions& o = options();
  return "radam(lr=" + lr()->describe() + ", betas=" + detail::pair(o.betas) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) + ")";
}

void Radam::update(std::span<float> params, std::span<const float> grads, double lr) {
  kernel_.apply(params, grads, lr);
}

void Radam::write_state(StateWriter& out) const { visit_state(state(), options(), out); }

void Radam::read_state(StateReader& in) {
  RadamState<float> s;
  visit_state(s, options(), in);
  in.finish();
  kernel_.state() = std::move(s);
}

}  // namespace regimen::optim
