#pragma once
// RMSprop (Hinton, Srivastava & Swersky, "Neural Networks for Machine Learning", lecture 6e,
// 2012; centered: Graves, "Generating Sequences With Recurrent Neural Networks", 2013, eq. 38),
// exactly as PyTorch 1.13 computes it (torch/optim/rmsprop.py, _single_tensor_rmsprop). Per
// element, lambda = weight_decay, mu = momentum:
//
//   g     <- maximize ? -g : g
//   g     <- g + lambda * p                          (L2 in the gradient)
//   v     <- alpha * v + (1 - alpha) * g^2
//   a     <- alpha * a + (1 - alpha) * g             (centered only)
//   avg    = sqrt(v - a^2) + eps  (centered)   or   sqrt(v) + eps
//   b     <- mu * b + g / avg;  p <- p - lr * b      when mu > 0
//   p     <- p - lr * g / avg                        otherwise
//
// convention = keras reproduces keras.optimizers.RMSprop (Keras 3, keras/src/optimizers/
// rmsprop.py; its `rho` is our alpha): eps inside the square root, lr inside the momentum
// buffer, weight decay decoupled (p <- p - p * lambda * lr, before the update):
//
//   v     <- alpha * v + (1 - alpha) * g^2
//   a     <- alpha * a + (1 - alpha) * g             (centered only)
//   inc    = lr * g / sqrt(v - a^2 + eps)  (centered)   or   lr * g / sqrt(v + eps)
//   b     <- mu * b + inc;  p <- p - b               when mu > 0
//   p     <- p - inc                                 otherwise
//
// Keras' defaults differ too (rho 0.9, eps 1e-7, lr 1e-3): RmspropOptions::keras().
//
// momentum and weight_decay may follow a schedule. The momentum buffer b is allocated (zeros)
// at the first step with mu > 0 and kept from then on: a step with mu = 0 leaves it untouched,
// as PyTorch does, and a later mu > 0 resumes from it. PyTorch allocates b only when mu > 0 at
// its first step and fails with a KeyError when mu turns positive later; starting b at zero
// then is what PyTorch computes had it allocated b up front. Whether b exists is thus history,
// not options: a saved state says it (held_buffer.hpp).
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/convention.hpp"
#include "runtime/optim/held_buffer.hpp"
#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// RMSprop's options, PyTorch's names and defaults.
struct RmspropOptions {
  double alpha = 0.99;        ///< in [0, 1); smoothing of the squared gradient (Keras' rho)
  double eps = 1e-8;          ///< > 0
  double weight_decay = 0.0;  ///< >= 0
  double momentum = 0.0;      ///< >= 0
  bool centered = false;      ///< normalize by an estimate of the gradient's variance
  bool maximize = false;      ///< ascend instead of descend
  Convention convention = Convention::pytorch;

  /// Keras' defaults: convention keras, alpha (rho) = 0.9, eps = 1e-7.
  static RmspropOptions keras() {
    RmspropOptions o;
    o.alpha = 0.9;
    o.eps = 1e-7;
    o.convention = Convention::keras;
    return o;
  }
};

/// Throws InvalidArgument naming the first bad option.
void validate(const RmspropOptions& options);

/// RMSprop's per-parameter state, PyTorch's names; empty until the first step, grad_avg
/// only when centered, momentum_buffer from the first step with momentum > 0 on.
template <typename T>
struct RmspropState {
  Eigen::Array<T, Eigen::Dynamic, 1> square_avg;       ///< v
  Eigen::Array<T, Eigen::Dynamic, 1> grad_avg;         ///< a
  Eigen::Array<T, Eigen::Dynamic, 1> momentum_buffer;  ///< b
};

/// The RMSprop update over one flat buffer of T.
template <typename T>
class RmspropKernel {
 public:
  explicit RmspropKernel(RmspropOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const RmspropOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const RmspropOptions& options) {
    validate(options);
    options_ = options;
  }
  const RmspropState<T>& state() const { return state_; }
  RmspropState<T>& state() { return state_; }

 private:
  RmspropOptions options_;
  RmspropState<T> state_;
};

extern template class RmspropKernel<float>;
extern template class RmspropKernel<double>;

/// optim.rmsprop's parts for KernelOptimizer (kernel_optimizer.hpp).
struct RmspropRule {
  static constexpr const char* kName = "rmsprop";
  using Options = RmspropOptions;
  template <typename T>
  using Kernel = RmspropKernel<T>;
  /// The options after lr in describe():
  /// "alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=false, maximize=false,
  /// convention=pytorch".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options& o, Visit&& f) {
    f("square_avg", s.square_avg, true);
    f("grad_avg", s.grad_avg, o.centered);
    f("momentum_buffer", s.momentum_buffer, held_buffer(f, "momentum_buffer", s.momentum_buffer));
  }
};

extern template class KernelOptimizer<RmspropRule>;

/// optim.rmsprop: RMSprop on float32 (or float64) parameters with a scheduled learning rate.
using Rmsprop = KernelOptimizer<RmspropRule>;

}  // namespace regimen::optim
