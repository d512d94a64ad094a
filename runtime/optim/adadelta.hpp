#pragma once
// Adadelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012, Algorithm 1), exactly
// as PyTorch 1.13 computes it (torch/optim/adadelta.py, _single_tensor_adadelta), including
// PyTorch's lr factor on the update (the paper has none; lr = 1 is the paper). Per element,
// lambda = weight_decay:
//
//   g     <- maximize ? -g : g
//   g     <- g + lambda * p                          (L2 in the gradient)
//   v     <- rho * v + (1 - rho) * g^2
//   d      = sqrt(u + eps) / sqrt(v + eps) * g
//   u     <- rho * u + (1 - rho) * d^2
//   p     <- p - lr * d
//
// weight_decay may follow a schedule: each step uses its current value, as PyTorch reads a
// group's options at every step.
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// Adadelta's options, PyTorch's names and defaults.
struct AdadeltaOptions {
  double rho = 0.9;           ///< in [0, 1], as PyTorch allows
  double eps = 1e-6;          ///< > 0
  double weight_decay = 0.0;  ///< >= 0; L2 added to the gradient
  bool maximize = false;      ///< ascend instead of descend
};

/// Throws InvalidArgument naming the first bad option.
void validate(const AdadeltaOptions& options);

/// Adadelta's per-parameter state, PyTorch's names; empty until the first step.
template <typename T>
struct AdadeltaState {
  Eigen::Array<T, Eigen::Dynamic, 1> square_avg;  ///< v
  Eigen::Array<T, Eigen::Dynamic, 1> acc_delta;   ///< u
};

/// The Adadelta update over one flat buffer of T.
template <typename T>
class AdadeltaKernel {
 public:
  explicit AdadeltaKernel(AdadeltaOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const AdadeltaOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const AdadeltaOptions& options) {
    validate(options);
    options_ = options;
  }
  const AdadeltaState<T>& state() const { return state_; }
  AdadeltaState<T>& state() { return state_; }

 private:
  AdadeltaOptions options_;
  AdadeltaState<T> state_;
};

extern template class AdadeltaKernel<float>;
extern template class AdadeltaKernel<double>;

/// optim.adadelta's parts for KernelOptimizer (kernel_optimizer.hpp).
struct AdadeltaRule {
  static constexpr const char* kName = "adadelta";
  using Options = AdadeltaOptions;
  template <typename T>
  using Kernel = AdadeltaKernel<T>;
  /// The options after lr in describe():
  /// "rho=0.9, eps=1e-06, weight_decay=0, maximize=false".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("square_avg", s.square_avg, true);
    f("acc_delta", s.acc_delta, true);
  }
};

extern template class KernelOptimizer<AdadeltaRule>;

/// optim.adadelta: Adadelta on float32 (or float64) parameters with a scheduled learning rate.
using Adadelta = KernelOptimizer<AdadeltaRule>;

}  // namespace regimen::optim
