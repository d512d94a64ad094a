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
#include <cstdint>
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/optimizer.hpp"

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
  const AdagradState<T>& state() const { return state_; }
  AdagradState<T>& state() { return state_; }

 private:
  AdagradOptions options_;
  AdagradState<T> state_;
};

extern template class AdagradKernel<float>;
extern template class AdagradKernel<double>;

/// optim.adagrad: Adagrad on float32 parameters with a scheduled learning rate.
class Adagrad final : public Optimizer {
 public:
  /// Throws InvalidArgument for a bad option or a negative lr at t = 0.
  Adagrad(schedule::SchedulePtr lr, AdagradOptions options = {});

  std::string name() const override { return "adagrad"; }
  /// "adagrad(lr=constant(lr=0.01), lr_decay=0, weight_decay=0, initial_accumulator_value=0,
  /// eps=1e-10, maximize=false)".
  std::string describe() const override;
  const AdagradOptions& options() const { return kernel_.options(); }
  const AdagradState<float>& state() const { return kernel_.state(); }

 protected:
  void update(std::span<float> params, std::span<const float> grads, double lr) override;
  void write_state(StateWriter& out) const override;
  void read_state(StateReader& in) override;

 private:
  AdagradKernel<float> kernel_;
};

}  // namespace regimen::optim
