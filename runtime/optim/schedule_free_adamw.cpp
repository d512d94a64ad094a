#include "runtime/optim/schedule_free_adamw.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/error.hpp"
#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
namespace {

// torch.lerp's two-sided form (ATen's lerp kernel), precise at both ends of the weight range.
template <typename T>
T lerp(T from, T to, T weight, bool upper) {
  return upper ? to - (to - from) * (T(1) - weight) : from + weight * (to - from);
}

}  // namespace

void validate(const ScheduleFreeAdamWOptions& options) {
  require_finite("betas[1]", options.betas[0]);
  require(options.betas[0] > 0.0 && options.betas[0] < 1.0, "betas[1]", "in (0, 1)", options.betas[0]);
  require_unit_interval("betas[2]", options.betas[1]);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
  require(options.warmup_steps >= 0, "warmup_steps", ">= 0", static_cast<double>(options.warmup_steps));
  require_non_negative("r", options.r);
  require_non_negative("weight_lr_power", options.weight_lr_power);
}

template <typename T>
ScheduleFreeAdamWKernel<T>::ScheduleFreeAdamWKernel(ScheduleFreeAdamWOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void ScheduleFreeAdamWKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.z.size()), lr);
  if (!state_.train_mode) {
    throw InvalidArgument("schedule_free_adamw: step while the parameters hold the average x; "
                          "call train_params() after evaluating");
  }
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.z.size() == 0) {
    state_.z = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>(params.data(), n);
    state_.exp_avg_sq.setZero(n);
    state_.y_beta1 = options_.betas[0];  // y = z = x: any b1 forms it
  } else if (!(state_.y_beta1 > 0.0 && state_.y_beta1 < 1.0)) {
    throw InvalidArgument("schedule_free_adamw: the state's y_beta1 must be in (0, 1), got " +
                          format_number(state_.y_beta1) + " (a damaged state?)");
  }

  // The scalars exactly as the reference computes them, with k the steps before this one.
  const double b1 = options_.betas[0], b2 = options_.betas[1];
  const auto k = static_cast<double>(state_.step);
  const auto warmup = static_cast<double>(options_.warmup_steps);
  const double sched = k < warmup ? (k + 1.0) / warmup : 1.0;
  const double lr_k = lr * sched * std::sqrt(1.0 - std::pow(b2, k + 1.0));
  state_.lr_max = std::max(lr_k, state_.lr_max);
  const double weight = std::pow(k + 1.0, options_.r) * std::pow(state_.lr_max, options_.weight_lr_power);
  state_.weight_sum += weight;
  const double c = state_.weight_sum != 0.0 ? weight / state_.weight_sum : 0.0;
  ++state_.step;

  // The weight of z in y's update; c unless b1 changed since y was formed (see the header).
  const double w = b1 == state_.y_beta1 ? c : 1.0 - b1 / state_.y_beta1 * (1.0 - c);
  state_.y_beta1 = b1;
  const T wz = static_cast<T>(w);
  const bool upper = w >= 0.5;
  const T y_coef = static_cast<T>(lr_k * (b1 * (1.0 - c) - 1.0));
  const T z_coef = static_cast<T>(lr_k);
  const T beta2 = static_cast<T>(b2), one_minus_beta2 = static_cast<T>(1.0 - b2);
  const T eps = static_cast<T>(options_.eps);
  const T wd = static_cast<T>(options_.weight_decay);

  // The normalized gradient u feeds both y and z and depends on the old y: computed once per
  // element in the loop, rather than stored in a temporary buffer.
  detail::for_each_chunk<T>(
      n,
      [&](Eigen::Index size, T* __restrict y, const T* __restrict g, T* __restrict z, T* __restrict v) {
        for (Eigen::Index i = 0; i < size; ++i) {
          v[i] = beta2 * v[i] + one_minus_beta2 * (g[i] * g[i]);
          const T u = g[i] / (std::sqrt(v[i]) + eps) + wd * y[i];
          y[i] = lerp(y[i], z[i], wz, upper) + y_coef * u;
          z[i] -= z_coef * u;
        }
      },
      params.data(), grads.data(), state_.z.data(), state_.exp_avg_sq.data());
}

template <typename T>
void ScheduleFreeAdamWKernel<T>::interpolate(std::span<T> params, double weight) {
  if (state_.z.size() == 0) return;  // before the first step x = y = z
  check_step(params.size(), params.size(), static_cast<std::size_t>(state_.z.size()), 0.0);
  const T w = static_cast<T>(weight);
  const bool upper = weight >= 0.5;
  detail::for_each_chunk<T>(
      state_.z.size(),
      [&](Eigen::Index size, T* __restrict p, const T* __restrict z) {
        for (Eigen::Index i = 0; i < size; ++i) p[i] = lerp(p[i], z[i], w, upper);
      },
      params.data(), state_.z.data());
}

template <typename T>
void ScheduleFreeAdamWKernel<T>::eval_params(std::span<T> params) {
  if (!state_.train_mode) return;
  interpolate(params, 1.0 - 1.0 / y_beta1());  // x = y + (1 - 1/b1)(z - y)
  state_.train_mode = false;
}

template <typename T>
void ScheduleFreeAdamWKernel<T>::train_params(std::span<T> params) {
  if (state_.train_mode) return;
  interpolate(params, 1.0 - y_beta1());  // y = x + (1 - b1)(z - x)
  state_.train_mode = true;
}

template class ScheduleFreeAdamWKernel<float>;
template class ScheduleFreeAdamWKernel<double>;

std::string ScheduleFreeAdamWRule::describe(const ScheduleFreeAdamWOptions& o) {
  return "betas=" + detail::pair(o.betas) +
         ", eps=" + format_number(o.eps) + ", weight_decay=" + format_number(o.weight_decay) +
         ", warmup_steps=" + std::to_string(o.warmup_steps) + ", r=" + format_number(o.r) +
         ", weight_lr_power=" + format_number(o.weight_lr_power);
}

template class KernelOptimizer<ScheduleFreeAdamWRule>;

}  // namespace regimen::optim
