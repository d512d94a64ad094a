#include "runtime/optim/nadam.hpp"

#include <cmath>

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
void validate(const NadamOptions& options) {
  detail::require_betas(options.betas);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
  require_non_negative("momentum_decay", options.momentum_decay);
}

template <typename T>
NadamKernel<T>::NadamKernel(NadamOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void NadamKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.exp_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.exp_avg.size() == 0) {
    state_.exp_avg.setZero(n);
    state_.exp_avg_sq.setZero(n);
  }

  const double b1 = options_.betas[0], b2 = options_.betas[1], psi = options_.momentum_decay;
  const auto k = static_cast<double>(++state_.step);
  const double mu = b1 * (1.0 - 0.5 * std::pow(0.96, k * psi));
  const double mu_next = b1 * (1.0 - 0.5 * std::pow(0.96, (k + 1.0) * psi));
  state_.mu_product *= mu;
  const double mu_product_next = state_.mu_product * mu * mu_next;  // PyTorch 1.13, see the header
  const T bc2 = static_cast<T>(1.0 - std::pow(b2, k));
  const T grad_coef = static_cast<T>(lr * (1.0 - mu) / (1.0 - state_.mu_product));
  const T avg_coef = static_cast<T>(lr * mu_next / (1.0 - mu_product_next));
  const T wd = static_cast<T>(options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);
  const T beta1 = static_cast<T>(b1), one_minus_beta1 = static_cast<T>(1.0 - b1);
  const T beta2 = static_cast<T>(b2), one_minus_beta2 = static_cast<T>(1.0 - b2);

  detail::for_each_chunk<T>(
      n,
      [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v) {
        for (Eigen::Index i = 0; i < size; ++i) {
          const T d = g[i] + wd * p[i];  // the effective gradient, from p before its update
          m[i] = beta1 * m[i] + one_minus_beta1 * d;
          v[i] = beta2 * v[i] + one_minus_beta2 * (d * d);
          const T denom = std::sqrt(v[i] / bc2) + eps;
          p[i] = p[i] - grad_coef * (d / denom) - avg_coef * (m[i] / denom);
        }
      },
      params.data(), grads.data(), state_.exp_avg.data(), state_.exp_avg_sq.data());
}

template class NadamKernel<float>;
template class NadamKernel<double>;

std::string NadamRule::describe(const NadamOptions& o) {
  return "betas=" + detail::pair(o.betas) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) +
         ", momentum_decay=" + format_number(o.momentum_decay);
}

template class KernelOptimizer<NadamRule>;

}  // namespace regimen::optim
