#include "runtime/optim/adagrad.hpp"

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
void validate(const AdagradOptions& options) {
  require_non_negative("lr_decay", options.lr_decay);
  require_non_negative("weight_decay", options.weight_decay);
  require_non_negative("initial_accumulator_value", options.initial_accumulator_value);
  require_positive("eps", options.eps);
}

template <typename T>
AdagradKernel<T>::AdagradKernel(AdagradOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void AdagradKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.sum.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  if (state_.sum.size() == 0) state_.sum.setConstant(n, static_cast<T>(options_.initial_accumulator_value));
  const auto k = static_cast<double>(++state_.step);
  const T clr = static_cast<T>(lr / (1.0 + (k - 1.0) * options_.lr_decay));
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T eps = static_cast<T>(options_.eps);

  detail::for_each_chunk<T>(
      n,
      [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict s) {
        for (Eigen::Index i = 0; i < size; ++i) {
          const T d = sign * g[i] + wd * p[i];  // the effective gradient, from p before its update
          s[i] += d * d;
          p[i] -= clr * (d / (std::sqrt(s[i]) + eps));
        }
      },
      params.data(), grads.data(), state_.sum.data());
}

template class AdagradKernel<float>;
template class AdagradKernel<double>;

std::string AdagradRule::describe(const AdagradOptions& o) {
  return "lr_decay=" + format_number(o.lr_decay) +
         ", weight_decay=" + format_number(o.weight_decay) +
         ", initial_accumulator_value=" + format_number(o.initial_accumulator_value) +
         ", eps=" + format_number(o.eps) + ", maximize=" + detail::boolean(o.maximize);
}

template class KernelOptimizer<AdagradRule>;

}  // namespace regimen::optim
