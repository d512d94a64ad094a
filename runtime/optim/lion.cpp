#include "runtime/optim/lion.hpp"

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
void validate(const LionOptions& options) {
  detail::require_betas(options.betas);
  require_non_negative("weight_decay", options.weight_decay);
}

template <typename T>
LionKernel<T>::LionKernel(LionOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void LionKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.exp_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.exp_avg.size() == 0) state_.exp_avg.setZero(n);
  const T b1 = static_cast<T>(options_.betas[0]), one_minus_b1 = static_cast<T>(1.0 - options_.betas[0]);
  const T b2 = static_cast<T>(options_.betas[1]), one_minus_b2 = static_cast<T>(1.0 - options_.betas[1]);
  const T decay = static_cast<T>(1.0 - lr * options_.weight_decay);
  const T eta = static_cast<T>(lr);

  detail::for_each_chunk<T>(
      n,
      [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict m) {
        for (Eigen::Index i = 0; i < size; ++i) {
          // p first: its update reads the old momentum. sign(0) = 0, as torch.sign.
          const T c = b1 * m[i] + one_minus_b1 * g[i];
          p[i] = decay * p[i] - eta * (static_cast<T>(c > T(0)) - static_cast<T>(c < T(0)));
          m[i] = b2 * m[i] + one_minus_b2 * g[i];
        }
      },
      params.data(), grads.data(), state_.exp_avg.data());
}

template class LionKernel<float>;
template class LionKernel<double>;

std::string LionRule::describe(const LionOptions& o) {
  return "betas=" + detail::pair(o.betas) +
         ", weight_decay=" + format_number(o.weight_decay);
}

template class KernelOptimizer<LionRule>;

}  // namespace regimen::optim
