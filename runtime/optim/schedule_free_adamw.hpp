#pragma once
// Schedule-free AdamW (Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky, "The Road Less
// Scheduled", NeurIPS 2024, Algorithm 1), computed as the authors' AdamWScheduleFree step
// (github.com/facebookresearch/schedule_free, adamw_schedulefree_paper.py): no decay curve, an
// interpolation between a fast sequence z and its running average x instead. Not in PyTorch;
// the fixtures implement Algorithm 1 independently. At step k = 1, 2, ..., lambda = weight_decay:
//
//   y_k     = (1 - b1) z_k + b1 x_k                  (gradients are taken here)
//   v      <- b2 * v + (1 - b2) * g^2
//   lr_k    = lr * min(1, k / warmup_steps) * sqrt(1 - b2^k)
//   z_{k+1} = z_k - lr_k * (g / (sqrt(v) + eps) + lambda * y_k)
//   w_k     = k^r * max(lr_1..lr_k)^weight_lr_power, c = w_k / (w_1 + ... + w_k)
//   x_{k+1} = (1 - c) x_k + c z_{k+1}
//
// The parameter buffer holds y during training; x is never stored but recovered from y and z:
// x = (y - (1 - b1) z) / b1. Evaluate (and export) the model at x: call eval_params() before
// evaluating and train_params() before the next step, which refuses to run in eval mode. The
// two conversions are exact in real arithmetic, not in floating point: a round trip moves y by
// an ulp or so, which is why a bit-identical resume saves in train mode.
//
// betas and weight_decay may follow a schedule. With b1 changing, y_k = (1 - b1_k) z_k + b1_k x_k
// interpolates with the b1 of the step that produced it, and x stays the weighted average of
// the z's: Algorithm 1 with a b1 per step, which is what the authors' explicit-x implementation
// (AdamWScheduleFreeReference, adamw_schedulefree_reference.py) computes when a group's betas
// change between steps. Their in-place y update assumes a fixed b1 (with a changed one it moves
// x towards z); here it becomes
//
//   y_{k+1} = lerp(y_k, z_k, w) + lr_k (b1 (1 - c) - 1) u,   w = 1 - (b1 / b1') (1 - c)
//
// with b1' the b1 that formed y_k (the state's y_beta1, saved), and w = c when b1 = b1'. x is
// recovered with b1' as well. b2 only enters v and lr_k, step by step.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// Schedule-free AdamW's options, the reference implementation's names and defaults.
struct ScheduleFreeAdamWOptions {
  std::array<double, 2> betas{0.9, 0.999};  ///< betas[1] in (0, 1) (x is recovered by dividing by it), betas[2] in [0, 1)
  double eps = 1e-8;                        ///< > 0, outside the square root
  double weight_decay = 0.0;                ///< >= 0; decoupled, evaluated at y
  std::int64_t warmup_steps = 0;            ///< >= 0; linear warmup of lr over this many steps
  double r = 0.0;                           ///< >= 0; polynomial weighting k^r of the average
  double weight_lr_power = 2.0;             ///< >= 0; weights of the average are max lr^power
};

/// Throws InvalidArgument naming the first bad option.
void validate(const ScheduleFreeAdamWOptions& options);

/// The per-parameter state (the reference's names) and the averaging scalars.
template <typename T>
struct ScheduleFreeAdamWState {
  Eigen::Array<T, Eigen::Dynamic, 1> z;           ///< the fast sequence; starts at the parameters
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg_sq;  ///< v
  std::int64_t step = 0;                          ///< k so far
  double weight_sum = 0.0;                        ///< w_1 + ... + w_k
  double lr_max = -1.0;                           ///< the largest lr_k so far
  bool train_mode = true;                         ///< the parameters hold y (else x)
  double y_beta1 = 0.0;                           ///< the b1 that formed y; 0 before the first step
};

/// The schedule-free AdamW update over one flat buffer of T (which holds y).
template <typename T>
class ScheduleFreeAdamWKernel {
 public:
  explicit ScheduleFreeAdamWKernel(ScheduleFreeAdamWOptions options);

  /// One update from gradients taken at y = params, with base learning rate lr (>= 0).
  /// Throws InvalidArgument in eval mode.
  void apply(std::span<T> params, std::span<const T> grads, double lr);
  /// Turns params from y into x for evaluation; a no-op in eval mode or before the first step.
  void eval_params(std::span<T> params);
  /// Turns params from x back into y for training; a no-op in train mode.
  void train_params(std::span<T> params);

  const ScheduleFreeAdamWOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const ScheduleFreeAdamWOptions& options) {
    validate(options);
    options_ = options;
  }
  const ScheduleFreeAdamWState<T>& state() const { return state_; }
  ScheduleFreeAdamWState<T>& state() { return state_; }

 private:
  void interpolate(std::span<T> params, double weight);
  /// The b1 that x is recovered with: the one that formed y, once there is a step.
  double y_beta1() const { return state_.z.size() == 0 ? options_.betas[0] : state_.y_beta1; }

  ScheduleFreeAdamWOptions options_;
  ScheduleFreeAdamWState<T> state_;
};

extern template class ScheduleFreeAdamWKernel<float>;
extern template class ScheduleFreeAdamWKernel<double>;

/// optim.schedule_free_adamw's parts for KernelOptimizer (kernel_optimizer.hpp).
struct ScheduleFreeAdamWRule {
  static constexpr const char* kName = "schedule_free_adamw";
  using Options = ScheduleFreeAdamWOptions;
  template <typename T>
  using Kernel = ScheduleFreeAdamWKernel<T>;
  /// The options after lr in describe():
  /// "betas={0.9, 0.999}, eps=1e-08, weight_decay=0, warmup_steps=0, r=0, weight_lr_power=2".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("step", s.step);
    f("weight_sum", s.weight_sum);
    f("lr_max", s.lr_max);
    f("train_mode", s.train_mode);
    f("y_beta1", s.y_beta1);
    f("z", s.z, true);
    f("exp_avg_sq", s.exp_avg_sq, true);
  }
};

extern template class KernelOptimizer<ScheduleFreeAdamWRule>;

/// optim.schedule_free_adamw on float32 (or float64) parameters. lr may still be a schedule
/// (it multiplies the built-in warmup), though the point of the method is a constant one.
class ScheduleFreeAdamW final : public KernelOptimizer<ScheduleFreeAdamWRule> {
 public:
  using KernelOptimizer::KernelOptimizer;

  /// params: y -> x, before evaluating or exporting the model.
  void eval_params(std::span<float> params) { kernel().eval_params(params); }
  /// params: x -> y, before training again.
  void train_params(std::span<float> params) { kernel().train_params(params); }
  bool train_mode() const {
    return kernel64() ? kernel64()->state().train_mode : state().train_mode;
  }
};

}  // namespace regimen::optim
