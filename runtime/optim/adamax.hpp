#pragma once
// Adamax, the infinity-norm variant of Adam (Kingma & Ba, ICLR 2015, Algorithm 2), exactly as
// PyTorch 1.13 computes it (torch/optim/adamax.py, _single_tensor_adamax). Note PyTorch's eps
// inside the max, not added to the denominator. Per element, at step k = 1, 2, ...:
//
//   g     <- maximize ? -g : g
//   g     <- g + lambda * p                          (L2 in the gradient)
//   m     <- b1 * m + (1 - b1) * g
//   u     <- max(b2 * u, |g| + eps)
//   p     <- p - lr / (1 - b1^k) * m / u
//
// betas and weight_decay may follow a schedule. Each step uses the current values, the bias
// correction too (1 - b1^k with this step's b1, not a product of past ones), as PyTorch does
// when a group's betas change between steps.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// Adamax's options, PyTorch's names and defaults.
struct AdamaxOptions {
  std::array<double, 2> betas{0.9, 0.999};  ///< each in [0, 1)
  double eps = 1e-8;                        ///< > 0
  double weight_decay = 0.0;                ///< >= 0; L2 added to the gradient
  bool maximize = false;                    ///< ascend instead of descend
};

/// Throws InvalidArgument naming the first bad option.
void validate(const AdamaxOptions& options);

/// Adamax's per-parameter state, PyTorch's names; empty until the first step.
template <typename T>
struct AdamaxState {
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg;  ///< m
  Eigen::Array<T, Eigen::Dynamic, 1> exp_inf;  ///< u
  std::int64_t step = 0;
};

/// The Adamax update over one flat buffer of T.
template <typename T>
class AdamaxKernel {
 public:
  explicit AdamaxKernel(AdamaxOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const AdamaxOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const AdamaxOptions& options) {
    validate(options);
    options_ = options;
  }
  const AdamaxState<T>& state() const { return state_; }
  AdamaxState<T>& state() { return state_; }

 private:
  AdamaxOptions options_;
  AdamaxState<T> state_;
};

extern template class AdamaxKernel<float>;
extern template class AdamaxKernel<double>;

/// optim.adamax's parts for KernelOptimizer (kernel_optimizer.hpp).
struct AdamaxRule {
  static constexpr const char* kName = "adamax";
  using Options = AdamaxOptions;
  template <typename T>
  using Kernel = AdamaxKernel<T>;
  /// The options after lr in describe():
  /// "betas={0.9, 0.999}, eps=1e-08, weight_decay=0, maximize=false".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("step", s.step);
    f("exp_avg", s.exp_avg, true);
    f("exp_inf", s.exp_inf, true);
  }
};

extern template class KernelOptimizer<AdamaxRule>;

/// optim.adamax: Adamax on float32 (or float64) parameters with a scheduled learning rate.
using Adamax = KernelOptimizer<AdamaxRule>;

}  // namespace regimen::optim
