#pragma once
// Stochastic gradient descent with momentum, weight decay and Nesterov momentum, exactly as
// PyTorch 1.13 computes it (torch/optim/sgd.py, _single_tensor_sgd). Per element, with
// g the gradient, lambda = weight_decay, mu = momentum, tau = dampening:
//
//   g   <- maximize ? -g : g
//   g   <- g + lambda * p                        (L2 folded into the gradient)
//   b   <- g                                     on the first step (no dampening!)
//   b   <- mu * b + (1 - tau) * g                afterwards          } only when mu != 0
//   g   <- nesterov ? g + mu * b : b                                  }
//   p   <- p - lr * g
//
// Nesterov momentum in this form is Sutskever et al., "On the importance of initialization
// and momentum in deep learning" (ICML 2013), rewritten in terms of the look-ahead parameters.
//
// convention = keras reproduces keras.optimizers.SGD (Keras 3, keras/src/optimizers/sgd.py),
// where lr sits inside the velocity buffer (which starts at zero) and weight decay is decoupled:
//
//   g   <- maximize ? -g : g
//   p   <- p - p * lambda * lr                   (Keras' base optimizer, before the update)
//   b   <- mu * b - lr * g                       (only when mu != 0)
//   p   <- p + b                or, nesterov:    p <- p + mu * b - lr * g
//   p   <- p - lr * g                            when mu == 0
//
// With a constant lr and no weight decay the two conventions give the same trajectory; with a
// changing lr the velocity remembers old rates in Keras and not in PyTorch. Keras has no
// dampening.
//
// A scheduled momentum reaching 0 leaves b untouched, and turning positive later resumes from
// it (or starts it, as on a first step), as PyTorch does: whether b exists is history, not
// options, and a saved state says it (held_buffer.hpp).
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/convention.hpp"
#include "runtime/optim/held_buffer.hpp"
#include "runtime/optim/kernel_optimizer.hpp"
#include "runtime/optim/option_fields.hpp"

namespace regimen::optim {

/// SGD's options, PyTorch's names and defaults.
struct SgdOptions {
  double momentum = 0.0;      ///< >= 0
  double dampening = 0.0;     ///< scales the new gradient in the momentum buffer by (1 - dampening)
  bool nesterov = false;      ///< requires momentum > 0 and dampening == 0
  double weight_decay = 0.0;  ///< >= 0; L2 added to the gradient
  bool maximize = false;      ///< ascend instead of descend
  Convention convention = Convention::pytorch;  ///< keras: momentum in [0, 1], no dampening
};

/// Throws InvalidArgument naming the first bad option.
void validate(const SgdOptions& options);

/// SGD's per-parameter state: the momentum buffer, empty until the first step with momentum.
template <typename T>
struct SgdState {
  Eigen::Array<T, Eigen::Dynamic, 1> momentum_buffer;
};

/// The SGD update over one flat buffer of T (float in training, double in reference tests).
/// Owns its state; allocates only on the first step.
template <typename T>
class SgdKernel {
 public:
  /// Validates the options.
  explicit SgdKernel(SgdOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const SgdOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const SgdOptions& options) {
    validate(options);
    options_ = options;
  }
  const SgdState<T>& state() const { return state_; }
  /// For restoring a checkpoint.
  SgdState<T>& state() { return state_; }

 private:
  SgdOptions options_;
  SgdState<T> state_;
};

extern template class SgdKernel<float>;
extern template class SgdKernel<double>;

/// optim.sgd's parts for KernelOptimizer (kernel_optimizer.hpp).
struct SgdRule {
  static constexpr const char* kName = "sgd";
  using Options = SgdOptions;
  template <typename T>
  using Kernel = SgdKernel<T>;
  /// The options after lr in describe():
  /// "momentum=0.9, dampening=0, nesterov=true, weight_decay=0, maximize=false,
  /// convention=pytorch".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("momentum_buffer", s.momentum_buffer, held_buffer(f, "momentum_buffer", s.momentum_buffer));
  }
};

extern template class KernelOptimizer<SgdRule>;

/// optim.sgd: SGD on float32 (or float64) parameters with a scheduled learning rate.
using Sgd = KernelOptimizer<SgdRule>;

}  // namespace regimen::optim
