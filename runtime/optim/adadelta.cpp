#include "runtime/optim/adadelta.hpp"

#include <cmath>

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
void validate(const AdadeltaOptions& options) {
  require_finite("rho", options.rho);
  require(options.rho >= 0.0 && options.rho <= 1.0, "rho", "in [0, 1]", options.rho);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
}

template <typename T>
AdadeltaKernel<T>::AdadeltaKernel(AdadeltaOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void AdadeltaKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.square_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.square_avg.size() == 0) {
    state_.square_avg.setZero(n);
    state_.acc_delta.setZero(n);
  }
  const T rho = static_cast<T>(options_.rho);
  const T one_minus_rho = static_cast<T>(1.0 - options_.rho);
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);
  const T eta = static_cast<T>(lr);

  detail::for_each_chunk<T>(
      n,
      [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict v, T* __restrict u) {
        for (Eigen::Index i = 0; i < size; ++i) {
          const T d = sign * g[i] + wd * p[i];
          v[i] = rho * v[i] + one_minus_rho * (d * d);
          const T delta = std::sqrt(u[i] + eps) / std::sqrt(v[i] + eps) * d;
          u[i] = rho * u[i] + one_minus_rho * (delta * delta);
          p[i] -= eta * delta;
        }
      },
      params.data(), grads.data(), state_.square_avg.data(), state_.acc_delta.data());
}

template class AdadeltaKernel<float>;
template class AdadeltaKernel<double>;

std::string AdadeltaRule::describe(const AdadeltaOptions& o) {
  return "rho=" + format_number(o.rho) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) + ", maximize=" + detail::boolean(o.maximize);
}

template class KernelOptimizer<AdadeltaRule>;

}  // namespace regimen::optim
