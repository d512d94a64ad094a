#include "runtime/nn/activations.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "runtime/error.hpp"

namespace regimen::nn {

const Matrix& ElementWise::forward(const ParameterArena& /*arena*/, const Matrix& input, Mode /*mode*/) {
  input_ = &input;
  output_.resize(input.rows(), input.cols());
  apply(input, output_);
  return output_;
}

const Matrix& ElementWise::backward(ParameterArena& /*arena*/, const Matrix& grad_output) {
  if (input_ == nullptr) throw std::logic_error(type() + ": backward before forward");
  if (grad_output.rows() != input_->rows() || grad_output.cols() != input_->cols()) {
    throw std::logic_error(type() + ": gradient shape does not match the last forward");
  }
  grad_input_.resize(grad_output.rows(), grad_output.cols());
  derivative(*input_, output_, grad_output, grad_input_);
  return grad_input_;
}

void Tanh::apply(const Matrix& x, Matrix& y) const { y.array() = x.array().tanh(); }

void Tanh::derivative(const Matrix& /*x*/, const Matrix& y, const Matrix& g, Matrix& dx) const {
  dx.array() = g.array() * (1.0f - y.array().square());
}

// 1 / (1 + exp(-x)) is safe at both ends in float: exp(-x) = inf gives 0, exp(-x) = 0 gives 1.
void Sigmoid::apply(const Matrix& x, Matrix& y) const { y.array() = 1.0f / (1.0f + (-x.array()).exp()); }

void Sigmoid::derivative(const Matrix& /*x*/, const Matrix& y, const Matrix& g, Matrix& dx) const {
  dx.array() = g.array() * y.array() * (1.0f - y.array());
}

namespace {
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
}  // namespace

// In double per element: erf in float loses the last bits PyTorch's float kernel keeps.
void GELU::apply(const Matrix& x, Matrix& y) const {
  const float* in = x.data();
  float* out = y.data();
  for (Index i = 0; i < x.size(); ++i) {
    const double v = in[i];
    out[i] = static_cast<float>(0.5 * v * (1.0 + std::erf(v * kInvSqrt2)));
  }
}

void GELU::derivative(const Matrix& x, const Matrix& /*y*/, const Matrix& g, Matrix& dx) const {
  const float* in = x.data();
  const float* up = g.data();
  float* out = dx.data();
  for (Index i = 0; i < x.size(); ++i) {
    const double v = in[i];
    const double cdf = 0.5 * (1.0 + std::erf(v * kInvSqrt2));
    const double pdf = kInvSqrt2Pi * std::exp(-0.5 * v * v);
    out[i] = static_cast<float>(up[i] * (cdf + v * pdf));
  }
}

LeakyReLU::LeakyReLU(double negative_slope) : slope_(negative_slope) {
  if (!std::isfinite(negative_slope)) {
    std::ostringstream message;
    message << "leaky_relu: negative_slope must be finite, got " << negative_slope;
    throw InvalidArgument(message.str());
  }
}

std::string LeakyReLU::describe() const {
  std::ostringstream text;
  text << "leaky_relu(" << slope_ << ")";
  return text.str();
}

void LeakyReLU::apply(const Matrix& x, Matrix& y) const {
  const float a = static_cast<float>(slope_);
  y.array() = (x.array() > 0.0f).select(x.array(), a * x.array());
}

void LeakyReLU::derivative(const Matrix& x, const Matrix& /*y*/, const Matrix& g, Matrix& dx) const {
  const float a = static_cast<float>(slope_);
  dx.array() = (x.array() > 0.0f).select(g.array(), a * g.array());
}

}  // namespace regimen::nn
