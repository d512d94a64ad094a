#include "runtime/optim/adam.hpp"

#include <cmath>

#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
namespace {

// Caller memory (an arena slice, a host buffer, a Lua tensor) has no alignment we can count on;
// unaligned packet loads cost next to nothing on the CPUs -march=native targets.
template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;

const char* boolean(bool b) { return b ? "true" : "false"; }

}  // namespace

void validate(const AdamOptions& options) {
  require_unit_interval("betas[1]", options.betas[0]);
  require_unit_interval("betas[2]", options.betas[1]);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
}

template <typename T>
AdamKernel<T>::AdamKernel(AdamOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void AdamKernel<T>::allocate(Eigen::Index n) {
  state_.exp_avg.setZero(n);
  state_.exp_avg_sq.setZero(n);
  if (options_.amsgrad) state_.max_exp_avg_sq.setZero(n);
}

template <typename T>
void AdamKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.exp_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.exp_avg.size() == 0) allocate(n);
  ArrayMap<T> p(params.data(), n);
  ConstArrayMap<T> g(grads.data(), n);
  auto& m = state_.exp_avg;
  auto& v = state_.exp_avg_sq;

  // Scalars in double, as PyTorch computes them in Python floats, then rounded once to T.
  const double b1 = options_.betas[0], b2 = options_.betas[1];
  const auto k = static_cast<double>(++state_.step);
  const T step_size = static_cast<T>(lr / (1.0 - std::pow(b1, k)));
  const T bc2_sqrt = static_cast<T>(std::sqrt(1.0 - std::pow(b2, k)));
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);

  // The effective gradient sign*g + wd*p is re-read inside each statement rather than stored:
  // a buffer for it would cost a pass over memory and an allocation. p is written last.
  m = static_cast<T>(b1) * m + static_cast<T>(1.0 - b1) * (sign * g + wd * p);
  v = static_cast<T>(b2) * v + static_cast<T>(1.0 - b2) * (sign * g + wd * p).square();
  if (options_.amsgrad) {
    auto& vmax = state_.max_exp_avg_sq;
    vmax = vmax.max(v);
    p -= step_size * (m / (vmax.sqrt() / bc2_sqrt + eps));
  } else {
    p -= step_size * (m / (v.sqrt() / bc2_sqrt + eps));
  }
}

template class AdamKernel<float>;
template class AdamKernel<double>;

Adam::Adam(schedule::SchedulePtr lr, AdamOptions options)
    : Optimizer(std::move(lr)), kernel_(options) {
  check_lr_schedule(this->lr());
}

std::string Adam::describe() const {
  const AdamOptions& o = options();
  return "adam(lr=" + lr()->describe() + ", betas={" + format_number(o.betas[0]) + ", " +
         format_number(o.betas[1]) + "}, eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) +
         ", amsgrad=" + boolean(o.amsgrad) + ", maximize=" + boolean(o.maximize) + ")";
}

void Adam::update(std::span<float> params, std::span<const float> grads, double lr) {
  kernel_.apply(params, grads, lr);
}

}  // namespace regimen::optim
