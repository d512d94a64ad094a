#pragma once
// A fully connected layer on row-major batches: each row x (1 x in) becomes
//
//   y = x W + b                 W: in x out ("NAME.weight"), b: 1 x out ("NAME.bias")
//
// and for a batch X (N x in) with upstream gradient G = dL/dY (N x out):
//
//   dL/dW = X^T G     dL/db = sum over rows of G     dL/dX = G W^T
//
// W is stored in x out (not PyTorch's out x in) so that the forward pass is one GEMM over
// contiguous rows with no transpose. Initializers: init.hpp, with fan_in = in, fan_out = out,
// and b = 0.
//
// The layer reads any input shape with `in` features as flat features: on an image that is
// the same as nn.flatten() first, so an MLP on image data needs no flatten.
//
// A penalty on W (Keras' kernel_regularizer) and a constraint on W (kernel_constraint) may be
// attached; the bias is never penalized or constrained. The layer only holds them: the trainer
// applies them (parameter_rules()).
//
// With more than one thread, each product is split into contiguous shares of its result
// (samples for Y and dL/dX, input features for dL/dW), one per thread: see thread_split.hpp.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/nn/init.hpp"
#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// y = x W + b, with its weight and bias in the model's parameter arena.
class Linear : public Layer {
 public:
  /// A layer from `in` to `out` features; both must be positive (InvalidArgument).
  Linear(Index in, Index out, Init init = Init::kHe);

  Index in_features() const { return in_; }
  Index out_features() const { return out_; }
  Init init() const { return init_; }

  /// Penalizes W (null removes the penalty).
  void set_regularizer(std::shared_ptr<const regularize::Regularizer> regularizer) {
    regularizer_ = std::move(regularizer);
  }
  /// Constrains W after every step (null removes the constraint).
  void set_constraint(std::shared_ptr<const regularize::Constraint> constraint) { constraint_ = std::move(constraint); }
  const std::shared_ptr<const regularize::Regularizer>& regularizer() const { return regularizer_; }
  const std::shared_ptr<const regularize::Constraint>& constraint() const { return constraint_; }

  std::string type() const override { return "linear"; }
  /// "linear(784 -> 256, init=he)", then ", regularizer=l2(0.0001)" and ", constraint=max_norm(3)"
  /// when set.
  std::string describe() const override;
  /// `out`; throws InputWidthError ("expects 784 inputs, got 100") unless given `in`.
  Index output_features(Index input_features) const override;
  /// Flat `out` features from any shape of `in` features.
  Shape output_shape(const Shape& input) const override { return Shape::flat(output_features(input.features())); }

  /// Declares "NAME.weight" (in x out) and "NAME.bias" (1 x out).
  void declare_parameters(ParameterArena& arena, const std::string& name) override;
  /// Draws W from `rng` (row by row) as the initializer says; sets b to zero.
  void initialize(ParameterArena& arena, Random& rng) override;

  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;
  /// When not needed, backward() skips G W^T and returns an empty matrix.
  void set_input_gradient_needed(bool needed) override { input_gradient_needed_ = needed; }
  /// W's regularizer and constraint, when either is set.
  std::vector<ParameterRule> parameter_rules() const override;

 private:
  void check_width(Index input_features) const;
  void check_declared() const;

  Index in_;
  Index out_;
  Init init_;
  std::shared_ptr<const regularize::Regularizer> regularizer_;
  std::shared_ptr<const regularize::Constraint> constraint_;
  static constexpr std::size_t kUndeclared = static_cast<std::size_t>(-1);
  std::size_t weight_ = kUndeclared;
  std::size_t bias_ = kUndeclared;
  bool input_gradient_needed_ = true;
  const Matrix* input_ = nullptr;  // the last forward's input, needed for dL/dW
  Matrix output_;
  Matrix grad_input_;  // stays empty while the input gradient is not needed
};

}  // namespace regimen::nn
