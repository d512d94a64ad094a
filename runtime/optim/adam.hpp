#pragma once
// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1)
// with AMSGrad (Reddi et al., "On the Convergence of Adam and Beyond", ICLR 2018), exactly as
// PyTorch 1.13 computes it (torch/optim/adam.py, _single_tensor_adam). Per element, at step
// k = 1, 2, ... (the state's step count after incrementing), lambda = weight_decay:
//
//   g     <- maximize ? -g : g
//   g     <- g + lambda * p                          (L2 in the gradient; AdamW decouples it)
//   m     <- b1 * m + (1 - b1) * g
//   v     <- b2 * v + (1 - b2) * g^2
//   vmax  <- max(vmax, v)                            (amsgrad only; v below is then vmax)
//   denom  = sqrt(v) / sqrt(1 - b2^k) + eps
//   p     <- p - lr / (1 - b1^k) * m / denom
//
// Note where eps sits: added after the bias correction of v, as PyTorch does, not to
// sqrt(v_hat) as in the paper's pseudo-code (they differ by a factor sqrt(1 - b2^k) on eps).
// Validation messages count betas from 1, as a Lua recipe indexes them: "betas[2] must be
// in [0, 1), got 1".
//
// convention = keras reproduces keras.optimizers.Adam (Keras 3, keras/src/optimizers/adam.py):
// weight decay is decoupled (p <- p - p * lambda * lr, Keras' base optimizer, before the
// update), the moments are updated as m <- m + (g - m)(1 - b1), and eps is added to the raw
// sqrt(v), with the bias corrections folded into the step size:
//
//   alpha = lr * sqrt(1 - b2^k) / (1 - b1^k)
//   p    <- p - alpha * m / (sqrt(v) + eps)      (v is vmax with amsgrad)
//
// which is Algorithm 1 with eps-hat of the paper's section 2. Keras' default eps is 1e-7
// (AdamOptions::keras()).
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/convention.hpp"
#include "runtime/optim/kernel_optimizer.hpp"
#include "runtime/optim/option_fields.hpp"

namespace regimen::optim {

/// Adam's options, PyTorch's names and defaults.
struct AdamOptions {
  std::array<double, 2> betas{0.9, 0.999};  ///< each in [0, 1)
  double eps = 1e-8;                        ///< > 0
  double weight_decay = 0.0;                ///< >= 0; L2 added to the gradient
  bool amsgrad = false;                     ///< normalize by the running maximum of v
  bool maximize = false;                    ///< ascend instead of descend
  Convention convention = Convention::pytorch;

  /// Keras' defaults: convention keras, eps = 1e-7.
  static AdamOptions keras() {
    AdamOptions o;
    o.eps = 1e-7;
    o.convention = Convention::keras;
    return o;
  }
};

/// Throws InvalidArgument naming the first bad option.
void validate(const AdamOptions& options);

/// Adam's per-parameter state, named as PyTorch's state dict names it. Buffers are empty until
/// the first step; max_exp_avg_sq stays empty unless amsgrad.
template <typename T>
struct AdamState {
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg;         ///< m
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg_sq;      ///< v
  Eigen::Array<T, Eigen::Dynamic, 1> max_exp_avg_sq;  ///< vmax
  std::int64_t step = 0;                              ///< updates applied, for bias correction
};

/// The Adam update over one flat buffer of T (float in training, double in reference tests).
/// Owns its state; allocates only on the first step.
template <typename T>
class AdamKernel {
 public:
  /// Validates the options.
  explicit AdamKernel(AdamOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const AdamOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const AdamOptions& options) {
    validate(options);
    options_ = options;
  }
  const AdamState<T>& state() const { return state_; }
  /// For restoring a checkpoint.
  AdamState<T>& state() { return state_; }

 private:
  void allocate(Eigen::Index n);

  AdamOptions options_;
  AdamState<T> state_;
};

extern template class AdamKernel<float>;
extern template class AdamKernel<double>;

/// The fields of an Adam state (Adam's and AdamW's), named as PyTorch's state dict names them;
/// max_exp_avg_sq only with amsgrad.
template <typename State, typename Visit>
void visit_adam_state(State& s, bool amsgrad, Visit&& f) {
  f("step", s.step);
  f("exp_avg", s.exp_avg, true);
  f("exp_avg_sq", s.exp_avg_sq, true);
  f("max_exp_avg_sq", s.max_exp_avg_sq, amsgrad);
}

/// optim.adam's parts for KernelOptimizer (kernel_optimizer.hpp).
struct AdamRule {
  static constexpr const char* kName = "adam";
  using Options = AdamOptions;
  template <typename T>
  using Kernel = AdamKernel<T>;
  /// The options after lr in describe():
  /// "betas={0.9, 0.999}, eps=1e-08, weight_decay=0, amsgrad=false, maximize=false,
  /// convention=pytorch".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options& o, Visit&& f) {
    visit_adam_state(s, o.amsgrad, f);
  }
};

extern template class KernelOptimizer<AdamRule>;

/// optim.adam: Adam on float32 (or float64) parameters with a scheduled learning rate.
using Adam = KernelOptimizer<AdamRule>;

}  // namespace regimen::optim
