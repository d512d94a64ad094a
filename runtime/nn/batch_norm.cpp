#include "runtime/nn/batch_norm.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "runtime/error.hpp"
#include "runtime/nn/input_width_error.hpp"

namespace regimen::nn {

BatchNorm::BatchNorm(Index features, double momentum, double eps) : n_(features), momentum_(momentum), eps_(eps) {
  if (features <= 0) throw InvalidArgument("batch_norm: num_features must be positive, got " + std::to_string(features));
  std::ostringstream message;
  if (!(momentum >= 0.0 && momentum <= 1.0)) {
    message << "batch_norm: momentum must be in [0, 1], got " << momentum;
    throw InvalidArgument(message.str());
  }
  if (!(eps > 0.0) || !std::isfinite(eps)) {
    message << "batch_norm: eps must be positive, got " << eps;
    throw InvalidArgument(message.str());
  }
  running_mean_ = Matrix::Zero(1, n_);
  running_var_ = Matrix::Ones(1, n_);
}

std::string BatchNorm::describe() const {
  std::ostringstream text;
  text << "batch_norm(" << n_ << ", momentum=" << momentum_ << ", eps=" << eps_ << ")";
  return text.str();
}

Index BatchNorm::output_features(Index input_features) const { return output_shape(Shape::flat(input_features)).features(); }

Shape BatchNorm::output_shape(const Shape& input) const {
  if (input.image && input.channels != n_) throw InputWidthError("expects " + std::to_string(n_) + " channels", input);
  if (!input.image && input.channels != n_) throw InputWidthError("expects " + std::to_string(n_) + " features", input);
  return input;
}

void BatchNorm::set_input_shape(const Shape& input) {
  output_shape(input);
  plane_ = input.plane();
}

void BatchNorm::declare_parameters(ParameterArena& arena, const std::string& name) {
  weight_ = arena.declare(name + ".weight", type(), 1, n_, 1);
  bias_ = arena.declare(name + ".bias", type(), 1, n_, 1);
}

void BatchNorm::initialize(ParameterArena& arena, Random& /*rng*/) {
  if (weight_ == kUndeclared) throw std::logic_error("batch_norm: parameters used before declare_parameters");
  arena.value(weight_).setOnes();
  arena.value(bias_).setZero();
  running_mean_.setZero();
  running_var_.setOnes();
}

std::vector<Buffer> BatchNorm::buffers() { return {{"running_mean", &running_mean_}, {"running_var", &running_var_}}; }

// A sample's row holds n channels of plane_ values each; channel c of sample s starts at
// s's row + c * plane_.
const Matrix& BatchNorm::forward(const ParameterArena& arena, const Matrix& input, Mode mode) {
  if (weight_ == kUndeclared) throw std::logic_error("batch_norm: parameters used before declare_parameters");
  if (input.cols() != n_ * plane_) {
    throw InvalidArgument("batch_norm: expects " + std::to_string(n_ * plane_) + " inputs per sample, got " +
                          std::to_string(input.cols()));
  }
  const Index rows = input.rows();
  const Index m = rows * plane_;
  training_ = mode == Mode::kTrain;
  if (training_ && m <= 1) {
    throw InvalidArgument("batch_norm: training needs more than 1 value per channel, got " + std::to_string(m));
  }
  const ConstMatrixMap gamma = arena.value(weight_);
  const ConstMatrixMap beta = arena.value(bias_);
  inv_std_.resize(static_cast<std::size_t>(n_));
  xhat_.resize(rows, input.cols());
  output_.resize(rows, input.cols());
  for (Index c = 0; c < n_; ++c) {
    double mean = running_mean_(0, c);
    double var = running_var_(0, c);
    if (training_) {
      // Two passes in double: the mean first, then squared deviations from it.
      double sum = 0.0;
      for (Index s = 0; s < rows; ++s) sum += input.row(s).segment(c * plane_, plane_).cast<double>().sum();
      mean = sum / static_cast<double>(m);
      double squares = 0.0;
      for (Index s = 0; s < rows; ++s) {
        squares += (input.row(s).segment(c * plane_, plane_).cast<double>().array() - mean).square().sum();
      }
      var = squares / static_cast<double>(m);
      running_mean_(0, c) = static_cast<float>((1.0 - momentum_) * running_mean_(0, c) + momentum_ * mean);
      running_var_(0, c) = static_cast<float>((1.0 - momentum_) * running_var_(0, c) +
                                              momentum_ * var * static_cast<double>(m) / static_cast<double>(m - 1));
    }
    const double inv_std = 1.0 / std::sqrt(var + eps_);
    inv_std_[c] = inv_std;
    const auto shift = static_cast<float>(mean);
    const auto scale = static_cast<float>(inv_std);
    const float g = gamma(0, c);
    const float b = beta(0, c);
    for (Index s = 0; s < rows; ++s) {
      auto xhat = xhat_.row(s).segment(c * plane_, plane_);
      xhat.array() = (input.row(s).segment(c * plane_, plane_).array() - shift) * scale;
      output_.row(s).segment(c * plane_, plane_).array() = g * xhat.array() + b;
    }
  }
  return output_;
}

const Matrix& BatchNorm::backward(ParameterArena& arena, const Matrix& grad_output) {
  if (grad_output.rows() != xhat_.rows() || grad_output.cols() != xhat_.cols()) {
    throw std::logic_error("batch_norm: gradient shape does not match the last forward");
  }
  const Index rows = grad_output.rows();
  const double m = static_cast<double>(rows * plane_);
  const ConstMatrixMap gamma = std::as_const(arena).value(weight_);
  MatrixMap grad_gamma = arena.grad(weight_);
  MatrixMap grad_beta = arena.grad(bias_);
  grad_input_.resize(rows, grad_output.cols());
  for (Index c = 0; c < n_; ++c) {
    double sum_g = 0.0;
    double sum_gx = 0.0;
    for (Index s = 0; s < rows; ++s) {
      const auto g = grad_output.row(s).segment(c * plane_, plane_).cast<double>();
      sum_g += g.sum();
      sum_gx += (g.array() * xhat_.row(s).segment(c * plane_, plane_).cast<double>().array()).sum();
    }
    grad_gamma(0, c) += static_cast<float>(sum_gx);
    grad_beta(0, c) += static_cast<float>(sum_g);
    const double scale = gamma(0, c) * inv_std_[c];
    for (Index s = 0; s < rows; ++s) {
      auto dx = grad_input_.row(s).segment(c * plane_, plane_);
      const auto g = grad_output.row(s).segment(c * plane_, plane_);
      if (!training_) {
        dx = g * static_cast<float>(scale);
        continue;
      }
      const auto xhat = xhat_.row(s).segment(c * plane_, plane_);
      dx.array() = static_cast<float>(scale) *
                   (g.array() - static_cast<float>(sum_g / m) - xhat.array() * static_cast<float>(sum_gx / m));
    }
  }
  return grad_input_;
}

std::size_t BatchNorm::bytes_per_sample(const Shape& input) const {
  // Output, input gradient and the normalized input kept for backward.
  return 3 * sizeof(float) * static_cast<std::size_t>(input.features());
}

}  // namespace regimen::nn
