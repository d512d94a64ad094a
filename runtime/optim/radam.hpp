#pragma once
// RAdam, rectified Adam (Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond",
// ICLR 2020, Algorithm 2), exactly as PyTorch 1.13 computes it (torch/optim/radam.py,
// _single_tensor_radam). While the approximated SMA length rho_k is at most 5 the variance of
// the adaptive rate is intractable and the step is plain momentum SGD. Per element, at step
// k = 1, 2, ...:
//
//   g      <- g + lambda * p                         (L2 in the gradient)
//   m      <- b1 * m + (1 - b1) * g
//   v      <- b2 * v + (1 - b2) * g^2
//   rho_inf = 2 / (1 - b2) - 1
//   rho_k   = rho_inf - 2 k b2^k / (1 - b2^k)
//   r_k     = sqrt((rho_k - 4)(rho_k - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_k))
//   p      <- p - lr * m / (1 - b1^k) * sqrt(1 - b2^k) / (sqrt(v) + eps) * r_k    if rho_k > 5
//   p      <- p - lr * m / (1 - b1^k)                                             otherwise
//
// PyTorch 1.13's RAdam has no `maximize`.
// PyTorch 1.13's RAdam has no `maximize`.
//
// betas and weight_decay may follow a schedule. Each step uses the current values: rho_inf,
// rho_k and both bias corrections come from this step's betas (so rectification may switch on
// and off as b2 moves), as PyTorch computes when a group's betas change between steps.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// RAdam's options, PyTorch's names and defaults.
struct RadamOptions {
  std::array<double, 2> betas{0.9, 0.999};  ///< each in [0, 1)
  double eps = 1e-8;                        ///< > 0
  double weight_decay = 0.0;                ///< >= 0; L2 added to the gradient
};

/// Throws InvalidArgument naming the first bad option.
void validate(const RadamOptions& options);

/// RAdam's per-parameter state, PyTorch's names; empty until the first step.
template <typename T>
struct RadamState {
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg;     ///< m
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg_sq;  ///< v
  std::int64_t step = 0;
};

/// The RAdam update over one flat buffer of T.
template <typename T>
class RadamKernel {
 public:
  explicit RadamKernel(RadamOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const RadamOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const RadamOptions& options) {
    validate(options);
    options_ = options;
  }
  const RadamState<T>& state() const { return state_; }
  RadamState<T>& state() { return state_; }

 private:
  RadamOptions options_;
  RadamState<T> state_;
};

extern template class RadamKernel<float>;
extern template class RadamKernel<double>;

/// optim.radam's parts for KernelOptimizer (kernel_optimizer.hpp).
struct RadamRule {
  static constexpr const char* kName = "radam";
  using Options = RadamOptions;
  template <typename T>
  using Kernel = RadamKernel<T>;
  /// The options after lr in describe():
  /// "betas={0.9, 0.999}, eps=1e-08, weight_decay=0".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("step", s.step);
    f("exp_avg", s.exp_avg, true);
    f("exp_avg_sq", s.exp_avg_sq, true);
  }
};

extern template class KernelOptimizer<RadamRule>;

/// optim.radam: RAdam on float32 (or float64) parameters with a scheduled learning rate.
using Radam = KernelOptimizer<RadamRule>;

}  // namespace regimen::optim
