#include "runtime/optim/adamw.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
void validate(const AdamWOptions& options) {
  detail::require_betas(options.betas);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
}

template <typename T>
AdamWKernel<T>::AdamWKernel(AdamWOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void AdamWKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.exp_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.exp_avg.size() == 0) {
    state_.exp_avg.setZero(n);
    state_.exp_avg_sq.setZero(n);
    if (options_.amsgrad) state_.max_exp_avg_sq.setZero(n);
  }

  const double b1 = options_.betas[0], b2 = options_.betas[1];
  const auto k = static_cast<double>(++state_.step);
  const T step_size = static_cast<T>(lr / (1.0 - std::pow(b1, k)));
  const T bc2_sqrt = static_cast<T>(std::sqrt(1.0 - std::pow(b2, k)));
  const T sign = options_.maximize ? T(-1) : T(1);
  const T decay = static_cast<T>(1.0 - lr * options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);
  const T beta1 = static_cast<T>(b1), one_minus_beta1 = static_cast<T>(1.0 - b1);
  const T beta2 = static_cast<T>(b2), one_minus_beta2 = static_cast<T>(1.0 - b2);

  // With amsgrad the denominator uses vmax, the running maximum of v; vmax is nullptr otherwise.
  detail::with_flags(
      [&](auto amsgrad) {
        detail::for_each_chunk<T>(
            n,
            [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,
                T* __restrict vmax) {
              for (Eigen::Index i = 0; i < size; ++i) {
                m[i] = beta1 * m[i] + one_minus_beta1 * (sign * g[i]);
                v[i] = beta2 * v[i] + one_minus_beta2 * (g[i] * g[i]);
                if constexpr (amsgrad) {
                  vmax[i] = std::max(vmax[i], v[i]);
                  p[i] = decay * p[i] - step_size * (m[i] / (std::sqrt(vmax[i]) / bc2_sqrt + eps));
                } else {
                  p[i] = decay * p[i] - step_size * (m[i] / (std::sqrt(v[i]) / bc2_sqrt + eps));
                }
              }
            },
            params.data(), grads.data(), state_.exp_avg.data(), state_.exp_avg_sq.data(),
            state_.max_exp_avg_sq.data());
      },
      options_.amsgrad);
}

template class AdamWKernel<float>;
template class AdamWKernel<double>;

std::string AdamWRule::describe(const AdamWOptions& o) {
  return "betas=" + detail::pair(o.betas) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) + ", amsgrad=" + detail::boolean(o.amsgrad) +
         ", maximize=" + detail::boolean(o.maximize);
}

template class KernelOptimizer<AdamWRule>;

}  // namespace regimen::optim
