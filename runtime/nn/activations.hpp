#pragma once
// Element-wise activations, each with its derivative under its formula (PyTorch's definitions):
//
//   tanh:        y = tanh(x)                          dy/dx = 1 - y^2
//   sigmoid:     y = 1 / (1 + exp(-x))                dy/dx = y (1 - y)
//   gelu:        y = x Phi(x) = x/2 (1 + erf(x/sqrt2))   (the exact, erf form: PyTorch's default)
//                dy/dx = Phi(x) + x phi(x),   phi(x) = exp(-x^2/2) / sqrt(2 pi)
//   leaky_relu:  y = x if x > 0, else a x             dy/dx = 1 if x > 0, else a (a at the kink)
//
// They keep the shape (image or flat) and have no parameters. ReLU lives in relu.hpp.
#include <string>

#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// The shared face of an element-wise activation: forward keeps x and y, backward maps
/// (x, y, dL/dy) to dL/dx.
class ElementWise : public Layer {
 public:
  /// Keeps the width (and the shape).
  Index output_features(Index input_features) const override { return input_features; }
  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;

 protected:
  /// y = f(x), element by element; y is already sized like x.
  virtual void apply(const Matrix& x, Matrix& y) const = 0;
  /// dx = f'(x) * g; dx is already sized like g.
  virtual void derivative(const Matrix& x, const Matrix& y, const Matrix& g, Matrix& dx) const = 0;

 private:
  const Matrix* input_ = nullptr;  // the last forward's input
  Matrix output_;
  Matrix grad_input_;
};

/// Hyperbolic tangent.
class Tanh : public ElementWise {
 public:
  std::string type() const override { return "tanh"; }
  std::string describe() const override { return "tanh"; }

 protected:
  void apply(const Matrix& x, Matrix& y) const override;
  void derivative(const Matrix& x, const Matrix& y, const Matrix& g, Matrix& dx) const override;
};

/// The logistic function.
class Sigmoid : public ElementWise {
 public:
  std::string type() const override { return "sigmoid"; }
  std::string describe() const override { return "sigmoid"; }

 protected:
  void apply(const Matrix& x, Matrix& y) const override;
  void derivative(const Matrix& x, const Matrix& y, const Matrix& g, Matrix& dx) const override;
};

/// The Gaussian error linear unit, exact form (Hendrycks & Gimpel, 2016).
class GELU : public ElementWise {
 public:
  std::string type() const override { return "gelu"; }
  std::string describe() const override { return "gelu"; }

 protected:
  void apply(const Matrix& x, Matrix& y) const override;
  void derivative(const Matrix& x, const Matrix& y, const Matrix& g, Matrix& dx) const override;
};

/// max(x, 0) + a min(x, 0), PyTorch's LeakyReLU(negative_slope = a).
class LeakyReLU : public ElementWise {
 public:
  /// Throws InvalidArgument unless `negative_slope` is finite.
  explicit LeakyReLU(double negative_slope = 0.01);
  double negative_slope() const { return slope_; }
  std::string type() const override { return "leaky_relu"; }
  /// "leaky_relu(0.01)".
  std::string describe() const override;

 protected:
  void apply(const Matrix& x, Matrix& y) const override;
  void derivative(const Matrix& x, const Matrix& y, const Matrix& g, Matrix& dx) const override;

 private:
  double slope_;
};

}  // namespace regimen::nn
