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
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/optimizer.hpp"

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
  const AdamaxState<T>& state() const { return state_; }
  AdamaxState<T>& state() { return state_; }

 private:
  AdamaxOptions options_;
  AdamaxState<T> state_;
};

extern template class AdamaxKernel<float>;
extern template class AdamaxKernel<double>;

/// optim.adamax: Adamax on float32 parameters with a scheduled learning rate.
class Adamax final : public Optimizer {
 public:
  /// Throws InvalidArgument for a bad option or a negative lr at t = 0.
  Adamax(schedule::SchedulePtr lr, AdamaxOptions options = {});

  std::string name() const override { return "adamax"; }
  /// "adamax(lr=constant(lr=0.002), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, maximize=false)".
  std::string describe() const override;
  const AdamaxOptions& options() const { return kernel_.options(); }
  const AdamaxState<float>& state() const { return kernel_.state(); }

 protected:
  void update(std::span<float> params, std::span<const float> grads, double lr) override;
  void write_state(StateWriter& out) const override;
  void read_state(StateReader& in) override;

 private:
  AdamaxKernel<float> kernel_;
};

}  // namespace regimen::optim
