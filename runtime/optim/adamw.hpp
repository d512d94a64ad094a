#pragma once
// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), exactly as
// PyTorch 1.13 computes it (torch/optim/adamw.py, _single_tensor_adamw). Adam's moments see
// the raw gradient; the decay shrinks the parameter directly, scaled by lr (not by the
// adaptive denominator). Per element, at step k = 1, 2, ..., lambda = weight_decay:
//
//   g     <- maximize ? -g : g
//   p     <- p * (1 - lr * lambda)
//   m     <- b1 * m + (1 - b1) * g
//   v     <- b2 * v + (1 - b2) * g^2
//   vmax  <- max(vmax, v)                            (amsgrad only; v below is then vmax)
//   p     <- p - lr / (1 - b1^k) * m / (sqrt(v) / sqrt(1 - b2^k) + eps)
#include <array>
#include <span>
#include <string>

#include "runtime/optim/adam.hpp"
#include "runtime/optim/kernel_optimizer.hpp"
#include "runtime/optim/option_fields.hpp"

namespace regimen::optim {

/// AdamW's options, PyTorch's names and defaults.
struct AdamWOptions {
  std::array<double, 2> betas{0.9, 0.999};  ///< each in [0, 1)
  double eps = 1e-8;                        ///< > 0
  double weight_decay = 1e-2;               ///< >= 0; decoupled
  bool amsgrad = false;                     ///< normalize by the running maximum of v
  bool maximize = false;                    ///< ascend instead of descend
};

/// Throws InvalidArgument naming the first bad option.
void validate(const AdamWOptions& options);

/// The AdamW update over one flat buffer of T. Its state is Adam's (same PyTorch names).
template <typename T>
class AdamWKernel {
 public:
  explicit AdamWKernel(AdamWOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const AdamWOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const AdamWOptions& options) {
    validate(options);
    options_ = options;
  }
  const AdamState<T>& state() const { return state_; }
  AdamState<T>& state() { return state_; }

 private:
  AdamWOptions options_;
  AdamState<T> state_;
};

extern template class AdamWKernel<float>;
extern template class AdamWKernel<double>;

/// optim.adamw's parts for KernelOptimizer (kernel_optimizer.hpp).
struct AdamWRule {
  static constexpr const char* kName = "adamw";
  using Options = AdamWOptions;
  template <typename T>
  using Kernel = AdamWKernel<T>;
  /// The options after lr in describe():
  /// "betas={0.9, 0.999}, eps=1e-08, weight_decay=0.01, amsgrad=false, maximize=false".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options& o, Visit&& f) {
    visit_adam_state(s, o.amsgrad, f);
  }
};

extern template class KernelOptimizer<AdamWRule>;

/// optim.adamw: AdamW on float32 (or float64) parameters with a scheduled learning rate.
using AdamW = KernelOptimizer<AdamWRule>;

}  // namespace regimen::optim
