#include "runtime/optim/radam.hpp"

#include <cmath>

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
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
  const T beta1 = static_cast<T>(b1), one_minus_beta1 = static_cast<T>(1.0 - b1);
  const T beta2 = static_cast<T>(b2), one_minus_beta2 = static_cast<T>(1.0 - b2);
  // The variance is tractable (the adaptive step applies) only once rho_k > 5.
  const bool rectify = rho_k > 5.0;
  const T rect = rectify ? static_cast<T>(std::sqrt((rho_k - 4.0) * (rho_k - 2.0) * rho_inf /
                                                    ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_k)))
                         : T(0);
  const T bc2_sqrt = static_cast<T>(std::sqrt(bc2));

  detail::with_flags(
      [&](auto rectified) {
        detail::for_each_chunk<T>(
            n,
            [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v) {
              for (Eigen::Index i = 0; i < size; ++i) {
                const T d = g[i] + wd * p[i];  // the effective gradient, from p before its update
                m[i] = beta1 * m[i] + one_minus_beta1 * d;
                v[i] = beta2 * v[i] + one_minus_beta2 * (d * d);
                if constexpr (rectified) {
                  p[i] -= m[i] / bc1_t * eta * (bc2_sqrt / (std::sqrt(v[i]) + eps)) * rect;
                } else {
                  p[i] -= m[i] / bc1_t * eta;
                }
              }
            },
            params.data(), grads.data(), state_.exp_avg.data(), state_.exp_avg_sq.data());
      },
      rectify);
}

template class RadamKernel<float>;
template class RadamKernel<double>;

std::string RadamRule::describe(const RadamOptions& o) {
  return "betas=" + detail::pair(o.betas) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay);
}

template class KernelOptimizer<RadamRule>;

}  // namespace regimen::optim
