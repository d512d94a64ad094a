#pragma once
// Lion, EvoLved Sign Momentum (Chen et al., "Symbolic Discovery of Optimization Algorithms",
// NeurIPS 2023, Algorithm 2). Not in PyTorch; the fixtures implement the paper's pseudocode
// independently. The update is the sign of an interpolation, so every element moves by exactly
// lr (plus decay): lr is typically 3-10x smaller than AdamW's and weight_decay 3-10x larger.
// Per element, lambda = weight_decay (decoupled, scaled by lr):
//
//   c      = b1 * m + (1 - b1) * g
//   p     <- p - lr * (sign(c) + lambda * p)        (sign(0) = 0)
//   m     <- b2 * m + (1 - b2) * g
//
// betas and weight_decay may follow a schedule; each step uses the current values.
#include <array>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// Lion's options, the paper's names and defaults.
struct LionOptions {
  std::array<double, 2> betas{0.9, 0.99};  ///< each in [0, 1)
  double weight_decay = 0.0;               ///< >= 0; decoupled
};

/// Throws InvalidArgument naming the first bad option.
void validate(const LionOptions& options);

/// Lion's per-parameter state: the momentum, empty until the first step.
template <typename T>
struct LionState {
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg;  ///< m
};

/// The Lion update over one flat buffer of T.
template <typename T>
class LionKernel {
 public:
  explicit LionKernel(LionOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const LionOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const LionOptions& options) {
    validate(options);
    options_ = options;
  }
  const LionState<T>& state() const { return state_; }
  LionState<T>& state() { return state_; }

 private:
  LionOptions options_;
  LionState<T> state_;
};

extern template class LionKernel<float>;
extern template class LionKernel<double>;

/// optim.lion's parts for KernelOptimizer (kernel_optimizer.hpp).
struct LionRule {
  static constexpr const char* kName = "lion";
  using Options = LionOptions;
  template <typename T>
  using Kernel = LionKernel<T>;
  /// The options after lr in describe():
  /// "betas={0.9, 0.99}, weight_decay=0".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("exp_avg", s.exp_avg, true);
  }
};

extern template class KernelOptimizer<LionRule>;

/// optim.lion: Lion on float32 (or float64) parameters with a scheduled learning rate.
using Lion = KernelOptimizer<LionRule>;

}  // namespace regimen::optim
