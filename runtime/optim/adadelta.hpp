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
#include <span>
#include <string>

#include <Eigen/Core>

#include "runtime/optim/optimizer.hpp"

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
  const AdadeltaState<T>& state() const { return state_; }
  AdadeltaState<T>& state() { return state_; }

 private:
  AdadeltaOptions options_;
  AdadeltaState<T> state_;
};

extern template class AdadeltaKernel<float>;
extern template class AdadeltaKernel<double>;

/// optim.adadelta: Adadelta on float32 parameters with a scheduled learning rate.
class Adadelta final : public Optimizer {
 public:
  /// Throws InvalidArgument for a bad option or a negative lr at t = 0.
  Adadelta(schedule::SchedulePtr lr, AdadeltaOptions options = {});

  std::string name() const override { return "adadelta"; }
  /// "adadelta(lr=constant(lr=1), rho=0.9, eps=1e-06, weight_decay=0, maximize=false)".
  std::string describe() const override;
  const AdadeltaOptions& options() const { return kernel_.options(); }
  const AdadeltaState<float>& state() const { return kernel_.state(); }

 protected:
  void update(std::span<float> params, std::span<const float> grads, double lr) override;
  void write_state(StateWriter& out) const override;
  void read_state(StateReader& in) override;

 private:
  AdadeltaKernel<float> kernel_;
};

}  // namespace regimen::optim
