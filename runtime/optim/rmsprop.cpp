#include "runtime/optim/rmsprop.hpp"

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
void validate(const RmspropOptions& options) {
  require_unit_interval("alpha", options.alpha);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
  require_non_negative("momentum", options.momentum);
}

template <typename T>
RmspropKernel<T>::RmspropKernel(RmspropOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void RmspropKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.square_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  const bool momentum = options_.momentum > 0.0;
  if (state_.square_avg.size() == 0) {
    state_.square_avg.setZero(n);
    if (options_.centered) state_.grad_avg.setZero(n);
  }
  // At the first step with momentum, which a scheduled momentum may reach late (see the header).
  if (momentum && state_.momentum_buffer.size() == 0) state_.momentum_buffer.setZero(n);
  const T alpha = static_cast<T>(options_.alpha);
  const T one_minus_alpha = static_cast<T>(1.0 - options_.alpha);
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T mu = static_cast<T>(options_.momentum);
  const T eps = static_cast<T>(options_.eps);
  const T eta = static_cast<T>(lr);

  // a (grad_avg) is nullptr unless centered, b (momentum_buffer) unless momentum.
  if (options_.convention == Convention::keras) {
    detail::with_flags(
        [&](auto decay, auto centered, auto with_momentum) {
          detail::for_each_chunk<T>(
              n,
              [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict v, T* __restrict a,
                  T* __restrict b) {
                for (Eigen::Index i = 0; i < size; ++i) {
                  if constexpr (decay) p[i] = p[i] - p[i] * wd * eta;
                  v[i] = alpha * v[i] + one_minus_alpha * (g[i] * g[i]);
                  T increment;  // lr * g / sqrt(...), never stored
                  if constexpr (centered) {
                    a[i] = alpha * a[i] + one_minus_alpha * (sign * g[i]);
                    increment = eta * (sign * g[i]) / std::sqrt(v[i] - a[i] * a[i] + eps);
                  } else {
                    increment = eta * (sign * g[i]) / std::sqrt(v[i] + eps);
                  }
                  if constexpr (with_momentum) {
                    b[i] = mu * b[i] + increment;
                    p[i] -= b[i];
                  } else {
                    p[i] -= increment;
                  }
                }
              },
              params.data(), grads.data(), state_.square_avg.data(), state_.grad_avg.data(),
              state_.momentum_buffer.data());
        },
        options_.weight_decay != 0.0, options_.centered, momentum);
    return;
  }

  detail::with_flags(
      [&](auto centered, auto with_momentum) {
        detail::for_each_chunk<T>(
            n,
            [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict v, T* __restrict a,
                T* __restrict b) {
              for (Eigen::Index i = 0; i < size; ++i) {
                const T d = sign * g[i] + wd * p[i];  // the effective gradient, from p before its update
                v[i] = alpha * v[i] + one_minus_alpha * (d * d);
                T step;  // d / (sqrt(...) + eps)
                if constexpr (centered) {
                  a[i] = alpha * a[i] + one_minus_alpha * d;
                  step = d / (std::sqrt(v[i] - a[i] * a[i]) + eps);
                } else {
                  step = d / (std::sqrt(v[i]) + eps);
                }
                if constexpr (with_momentum) {
                  b[i] = mu * b[i] + step;
                  p[i] -= eta * b[i];
                } else {
                  p[i] -= eta * step;
                }
              }
            },
            params.data(), grads.data(), state_.square_avg.data(), state_.grad_avg.data(),
            state_.momentum_buffer.data());
      },
      options_.centered, momentum);
}

template class RmspropKernel<float>;
template class RmspropKernel<double>;

std::string RmspropRule::describe(const RmspropOptions& o) {
  return "alpha=" + format_number(o.alpha) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) + ", momentum=" + format_number(o.momentum) +
         ", centered=" + detail::boolean(o.centered) + ", maximize=" + detail::boolean(o.maximize) +
         ", convention=" + to_string(o.convention);
}

template class KernelOptimizer<RmspropRule>;

}  // namespace regimen::optim
