#include "runtime/nn/linear.hpp"

#include <cmath>
#include <stdexcept>

#include "runtime/error.hpp"
#include "runtime/nn/input_width_error.hpp"

namespace regimen::nn {
namespace {

void check_positive(const char* what, Index value) {
  if (value <= 0) {
    throw InvalidArgument(std::string("linear: ") + what + " must be positive, got " + std::to_string(value));
  }
}

// Half-width of the uniform initializer; both variants keep Var(W) = limit^2 / 3.
double init_limit(Init init, Index fan_in, Index fan_out) {
  switch (init) {
    case Init::kHe:
      return std::sqrt(6.0 / static_cast<double>(fan_in));
    case Init::kXavier:
      return std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  }
  throw std::logic_error("linear: unknown Init");
}

}  // namespace

std::string_view init_name(Init init) {
  switch (init) {
    case Init::kHe:
      return "he";
    case Init::kXavier:
      return "xavier";
  }
  throw std::logic_error("linear: unknown Init");
}

Init parse_init(std::string_view name) {
  if (name == "he") return Init::kHe;
  if (name == "xavier") return Init::kXavier;
  throw InvalidArgument("linear: unknown init '" + std::string(name) + "' (expected 'he' or 'xavier')");
}

Linear::Linear(Index in, Index out, Init init) : in_(in), out_(out), init_(init) {
  check_positive("in", in);
  check_positive("out", out);
}

std::string Linear::describe() const {
  return "linear(" + std::to_string(in_) + " -> " + std::to_string(out_) + ", init=" +
         std::string(init_name(init_)) + ")";
}

Index Linear::output_features(Index input_features) const {
  check_width(input_features);
  return out_;
}

void Linear::declare_parameters(ParameterArena& arena, const std::string& name) {
  weight_ = arena.declare(name + ".weight", type(), in_, out_);
  bias_ = arena.declare(name + ".bias", type(), 1, out_);
}

void Linear::initialize(ParameterArena& arena, Random& rng) {
  check_declared();
  const double limit = init_limit(init_, in_, out_);
  MatrixMap w = arena.value(weight_);
  // Row by row, in storage order, so the stream maps to weights the same way everywhere.
  for (Index i = 0; i < in_; ++i) {
    for (Index j = 0; j < out_; ++j) w(i, j) = static_cast<float>(limit * (2.0 * rng.uniform() - 1.0));
  }
  arena.value(bias_).setZero();
}

const Matrix& Linear::forward(const ParameterArena& arena, const Matrix& input, Mode /*mode*/) {
  check_declared();
  check_width(input.cols());
  input_ = &input;
  output_.resize(input.rows(), out_);  // a no-op once the batch size is steady
  output_.noalias() = input * arena.value(weight_);
  output_.rowwise() += arena.value(bias_).row(0);
  return output_;
}

const Matrix& Linear::backward(ParameterArena& arena, const Matrix& grad_output) {
  if (input_ == nullptr) throw std::logic_error("linear: backward before forward");
  if (grad_output.rows() != input_->rows() || grad_output.cols() != out_) {
    throw std::logic_error("linear: gradient shape does not match the last forward");
  }
  MatrixMap grad_weight = arena.grad(weight_);
  grad_weight.noalias() += input_->transpose() * grad_output;
  MatrixMap grad_bias = arena.grad(bias_);
  grad_bias += grad_output.colwise().sum();
  if (!input_gradient_needed_) {
    grad_input_.resize(0, in_);
    return grad_input_;
  }
  grad_input_.resize(grad_output.rows(), in_);
  grad_input_.noalias() = grad_output * arena.value(weight_).transpose();
  return grad_input_;
}

void Linear::check_width(Index input_features) const {
  if (input_features != in_) {
    throw InputWidthError("expects " + std::to_string(in_) + " inputs", input_features);
  }
}

void Linear::check_declared() const {
  if (weight_ == kUndeclared) throw std::logic_error("linear: parameters used before declare_parameters");
}

}  // namespace regimen::nn
