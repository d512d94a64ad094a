#pragma once
// NAdam, Adam with Nesterov momentum (Dozat, "Incorporating Nesterov Momentum into Adam", ICLR
// 2016 workshop), with the momentum warming schedule mu_k, exactly as PyTorch 1.13 computes
// it (torch/optim/nadam.py, _single_tensor_nadam). Per element, at step k = 1, 2, ..., psi =
// momentum_decay:
//
//   g     <- g + lambda * p                          (L2 in the gradient)
//   mu_k   = b1 * (1 - 0.5 * 0.96^(k psi)),   mu_{k+1} likewise
//   P     <- P * mu_k                                (mu_product, one scalar, starts at 1)
//   P'     = P * mu_k * mu_{k+1}                     (sic: PyTorch 1.13 multiplies mu_k twice;
//                                                     PyTorch 2.0 changed it to P * mu_{k+1})
//   m     <- b1 * m + (1 - b1) * g
//   v     <- b2 * v + (1 - b2) * g^2
//   denom  = sqrt(v / (1 - b2^k)) + eps
//   p     <- p - lr (1 - mu_k) / (1 - P) * g / denom - lr mu_{k+1} / (1 - P') * m / denom
//
// PyTorch keeps P in a tensor of the default dtype (float32 unless changed); we keep it in
// double, which is what PyTorch computes with torch.set_default_dtype(torch.float64).
// PyTorch 1.13's NAdam has no `maximize`.
// PyTorch 1.13's NAdam has no `maximize`.
//
// betas and weight_decay may follow a schedule. Each step uses the current values: mu_k and
// mu_{k+1} this step's b1, P the product of every step's own mu, the bias correction of v
// this step's b2, as PyTorch computes when a group's betas change between steps.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/kernel_optimizer.hpp"

namespace regimen::optim {

/// NAdam's options, PyTorch's names and defaults.
struct NadamOptions {
  std::array<double, 2> betas{0.9, 0.999};  ///< each in [0, 1)
  double eps = 1e-8;                        ///< > 0
  double weight_decay = 0.0;                ///< >= 0; L2 added to the gradient
  double momentum_decay = 4e-3;             ///< >= 0; psi
};

/// Throws InvalidArgument naming the first bad option.
void validate(const NadamOptions& options);

/// NAdam's per-parameter state, PyTorch's names; buffers empty until the first step.
template <typename T>
struct NadamState {
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg;     ///< m
  Eigen::Array<T, Eigen::Dynamic, 1> exp_avg_sq;  ///< v
  double mu_product = 1.0;                        ///< P
  std::int64_t step = 0;
};

/// The NAdam update over one flat buffer of T.
template <typename T>
class NadamKernel {
 public:
  explicit NadamKernel(NadamOptions options);

  /// One update with learning rate lr (>= 0). params and grads have the same length on every call.
  void apply(std::span<T> params, std::span<const T> grads, double lr);

  const NadamOptions& options() const { return options_; }
  /// Replaces the options between steps (a scheduled option); validates them.
  void set_options(const NadamOptions& options) {
    validate(options);
    options_ = options;
  }
  const NadamState<T>& state() const { return state_; }
  NadamState<T>& state() { return state_; }

 private:
  NadamOptions options_;
  NadamState<T> state_;
};

extern template class NadamKernel<float>;
extern template class NadamKernel<double>;

/// optim.nadam's parts for KernelOptimizer (kernel_optimizer.hpp).
struct NadamRule {
  static constexpr const char* kName = "nadam";
  using Options = NadamOptions;
  template <typename T>
  using Kernel = NadamKernel<T>;
  /// The options after lr in describe():
  /// "betas={0.9, 0.999}, eps=1e-08, weight_decay=0, momentum_decay=0.004".
  static std::string describe(const Options& o);
  /// The saved state's fields, named as PyTorch's state dict names them.
  template <typename State, typename Visit>
  static void visit_state(State& s, const Options&, Visit&& f) {
    f("step", s.step);
    f("mu_product", s.mu_product);
    f("exp_avg", s.exp_avg, true);
    f("exp_avg_sq", s.exp_avg_sq, true);
  }
};

extern template class KernelOptimizer<NadamRule>;

/// optim.nadam: NAdam on float32 (or float64) parameters with a scheduled learning rate.
using Nadam = KernelOptimizer<NadamRule>;

}  // namespace regimen::optim
