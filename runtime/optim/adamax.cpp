#include "runtime/optim/adamax.hpp"

#include <cmath>

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
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
  const double b1 = options_.betas[0];
  const auto k = static_cast<double>(++state_.step);
  const T clr = static_cast<T>(lr / (1.0 - std::pow(b1, k)));
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);
  const T beta1 = static_cast<T>(b1), one_minus_beta1 = static_cast<T>(1.0 - b1);
  const T b2 = static_cast<T>(options_.betas[1]);

  detail::for_each_chunk<T>(
      n,
      [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict u) {
        for (Eigen::Index i = 0; i < size; ++i) {
          const T d = sign * g[i] + wd * p[i];  // the effective gradient, from p before its update
          m[i] = beta1 * m[i] + one_minus_beta1 * d;
          u[i] = std::max(b2 * u[i], std::abs(d) + eps);
          p[i] -= clr * (m[i] / u[i]);
        }
      },
      params.data(), grads.data(), state_.exp_avg.data(), state_.exp_inf.data());
}

template class AdamaxKernel<float>;
template class AdamaxKernel<double>;

std::string AdamaxRule::describe(const AdamaxOptions& o) {
  return "betas=" + detail::pair(o.betas) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) + ", maximize=" + detail::boolean(o.maximize);
}

template class KernelOptimizer<AdamaxRule>;

}  // namespace regimen::optim
