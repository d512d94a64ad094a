#include "runtime/optim/sgd.hpp"

#include "runtime/error.hpp"
#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
void validate(const SgdOptions& options) {
  require_non_negative("momentum", options.momentum);
  require_finite("dampening", options.dampening);
  require_non_negative("weight_decay", options.weight_decay);
  // PyTorch's rule: Nesterov's look-ahead is defined for undamped momentum only.
  if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0)) {
    throw InvalidArgument("nesterov requires momentum > 0 and dampening == 0, got momentum=" +
                          format_number(options.momentum) +
                          ", dampening=" + format_number(options.dampening));
  }
  if (options.convention == Convention::keras) {
    require(options.momentum <= 1.0, "momentum", "in [0, 1] with convention = \"keras\"", options.momentum);
    require(options.dampening == 0.0, "dampening", "0 with convention = \"keras\" (Keras' SGD has none)",
            options.dampening);
  }
}

template <typename T>
SgdKernel<T>::SgdKernel(SgdOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void SgdKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.momentum_buffer.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T mu = static_cast<T>(options_.momentum);
  const T eta = static_cast<T>(lr);
  const T one_minus_dampening = static_cast<T>(1.0 - options_.dampening);
  auto& buffer = state_.momentum_buffer;
  const bool momentum = options_.momentum != 0.0;
  // The one allocation. Keras' velocity starts at zero; PyTorch's first step clones d, undamped.
  const bool first = momentum && buffer.size() == 0;
  if (first) {
    if (options_.convention == Convention::keras) {
      buffer.setZero(n);
    } else {
      buffer.resize(n);
    }
  }

  // b is nullptr without momentum.
  if (options_.convention == Convention::keras) {
    detail::with_flags(
        [&](auto decay, auto with_momentum, auto nesterov) {
          detail::for_each_chunk<T>(
              n,
              [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict b) {
                for (Eigen::Index i = 0; i < size; ++i) {
                  if constexpr (decay) p[i] = p[i] - p[i] * wd * eta;
                  if constexpr (!with_momentum) {
                    p[i] -= eta * (sign * g[i]);
                  } else if constexpr (nesterov) {
                    b[i] = mu * b[i] - eta * (sign * g[i]);
                    p[i] += mu * b[i] - eta * (sign * g[i]);
                  } else {
                    b[i] = mu * b[i] - eta * (sign * g[i]);
                    p[i] += b[i];
                  }
                }
              },
              params.data(), grads.data(), buffer.data());
        },
        options_.weight_decay != 0.0, momentum, options_.nesterov);
    return;
  }

  detail::with_flags(
      [&](auto with_momentum, auto first_step, auto nesterov) {
        detail::for_each_chunk<T>(
            n,
            [&](Eigen::Index size, T* __restrict p, const T* __restrict g, T* __restrict b) {
              for (Eigen::Index i = 0; i < size; ++i) {
                const T d = sign * g[i] + wd * p[i];  // the effective gradient
                if constexpr (!with_momentum) {
                  p[i] -= eta * d;
                } else {
                  if constexpr (first_step) {
                    b[i] = d;
                  } else {
                    b[i] = mu * b[i] + one_minus_dampening * d;
                  }
                  if constexpr (nesterov) {
                    p[i] -= eta * (d + mu * b[i]);
                  } else {
                    p[i] -= eta * b[i];
                  }
                }
              }
            },
            params.data(), grads.data(), buffer.data());
      },
      momentum, first, options_.nesterov);
}

template class SgdKernel<float>;
template class SgdKernel<double>;

std::string SgdRule::describe(const SgdOptions& o) {
  return "momentum=" + format_number(o.momentum) +
         ", dampening=" + format_number(o.dampening) + ", nesterov=" + detail::boolean(o.nesterov) +
         ", weight_decay=" + format_number(o.weight_decay) + ", maximize=" + detail::boolean(o.maximize) +
         ", convention=" + to_string(o.convention);
}

template class KernelOptimizer<SgdRule>;

}  // namespace regimen::optim
