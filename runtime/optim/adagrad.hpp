#pragma once
// Adagrad (Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
// Stochastic Optimization", JMLR 2011), exactly as PyTorch 1.13 computes it
// (torch/optim/adagrad.py, _single_tensor_adagrad, dense gradients). Per element, at step
// k = 1, 2, ..., lambda = weight_decay:
//
//   g     <- maximize ? -g : g
//   g     <- g + lambda * p                          (L2 in the gradient)
//   s     <- s + g^2                                 (s starts at initial_accumulator_value)
//   p     <- p - lr / (1 + (k - 1) * lr_decay) * g / (sqrt(s) + eps)
//
// weight_decay may follow a schedule: each step uses its current value, as PyTorch reads a
// group's options at every step.
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// Adagrad's options, PyTorch's names and defaults.
struct AdagradOptions {
  double lr_decay = 0.0;                   ///< >= 0; lr / (1 + (k - 1) * lr_decay)
  double weight_decay = 0.0;               ///< >= 0; L2 added to the gradient
  double initial_accumulator_value = 0.0;  ///< >= 0; the sum's starting value
  double eps = 1e-10;                      ///< > 0
  bool maximize = false;                   ///< ascend instead of descend
};

/// Throws InvalidArgument naming the first bad option.
void validate(const AdagradOptions& options);

/// Adagrad's per-parameter state, PyTorch's names; `sum` is empty until the first step.
template <typename T>
struct AdagradState {
  Eigen::Array<T, Eigen::Dynamic, 1> sum;  ///< s
  std::int64_t step = 0;
};

/// The Adagrad update over one flat buffer of T.
template <typename T>
class AdagradKernel {
 public:
  explicit AdagradKernel(AdagradOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const AdagradOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const AdagradOptions& options) {
    validate(options);
    options_ = options;
  }
  const AdagradState<T>& state() const { return state_; }
  AdagradState<T>& state() { return state_; }

 private:
  AdagradOptions options_;
  AdagradState<T> state_;
};

extern template class AdagradKernel<float>;
extern template class AdagradKernel<double>;

/// optim.adagrad's parts for KernelOptimizer (kernel_optimizer.hpp).
struct AdagradRule {
  static constexpr const char* kName = "adagrad";
  using Options = AdagradOptions;
  template <typename T>
  using Kernel = AdagradKernel<T>;
  /// The options after lr in describe():
  /// "lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, maximize=false".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("step", s.step);
    f("sum", s.sum, true);
  }
};

extern template class KernelOptimizer<AdagradRule>;

/// optim.adagrad: Adagrad on float32 (or float64) parameters with a scheduled learning rate.
using Adagrad = KernelOptimizer<AdagradRule>;

}  // namespace regimen::optim
