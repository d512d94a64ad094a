#include "runtime/nn/linear.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

#include "runtime/error.hpp"
#include "runtime/nn/input_width_error.hpp"
#include "runtime/nn/thread_split.hpp"

namespace regimen::nn {
namespace {

void check_positive(const char* what, Index value) {
  if (value <= 0) {
    throw InvalidArgument(std::string("linear: ") + what + " must be positive, got " + std::to_string(value));
  }
}

}  // namespace

Linear::Linear(Index in, Index out, Init init) : in_(in), out_(out), init_(init) {
  check_positive("in", in);
  check_positive("out", out);
}

std::string Linear::describe() const {
  std::string text = "linear(" + std::to_string(in_) + " -> " + std::to_string(out_) + ", init=" +
                     std::string(init_name(init_));
  if (regularizer_) text += ", regularizer=" + regularizer_->describe();
  if (constraint_) text += ", constraint=" + constraint_->describe();
  return text + ")";
}

std::vector<ParameterRule> Linear::parameter_rules() const {
  if (!regularizer_ && !constraint_) return {};
  check_declared();
  return {ParameterRule{weight_, regularizer_, constraint_}};
}

Index Linear::output_features(Index input_features) const {
  check_width(input_features);
  return out_;
}

void Linear::declare_parameters(ParameterArena& arena, const std::string& name) {
  weight_ = arena.declare(name + ".weight", type(), in_, out_);
  bias_ = arena.declare(name + ".bias", type(), 1, out_, 1);
}

void Linear::initialize(ParameterArena& arena, Random& rng) {
  check_declared();
  draw_weights(init_, in_, out_, arena.value(weight_), rng);
  arena.value(bias_).setZero();
}

const Matrix& Linear::forward(const ParameterArena& arena, const Matrix& input, Mode /*mode*/) {
  check_declared();
  check_width(input.cols());
  input_ = &input;
  output_.resize(input.rows(), out_);  // a no-op once the batch size is steady
  const ConstMatrixMap weight = arena.value(weight_);
  const ConstMatrixMap bias = arena.value(bias_);
  // Rows are samples: each thread computes its own samples' outputs.
  run_split(split_threads(input.rows()), [&](int part, int parts) {
    const Share rows = share_of(input.rows(), part, parts);
    output_.middleRows(rows.begin, rows.size).noalias() = input.middleRows(rows.begin, rows.size) * weight;
    output_.middleRows(rows.begin, rows.size).rowwise() += bias.row(0);
  });
  return output_;
}

const Matrix& Linear::backward(ParameterArena& arena, const Matrix& grad_output) {
  if (input_ == nullptr) throw std::logic_error("linear: backward before forward");
  if (grad_output.rows() != input_->rows() || grad_output.cols() != out_) {
    throw std::logic_error("linear: gradient shape does not match the last forward");
  }
  const Matrix& x = *input_;
  const Matrix& g = grad_output;
  MatrixMap grad_weight = arena.grad(weight_);
  MatrixMap grad_bias = arena.grad(bias_);
  const ConstMatrixMap weight = std::as_const(arena).value(weight_);
  grad_input_.resize(input_gradient_needed_ ? g.rows() : 0, in_);
  // Each thread owns a share of dL/dW's rows (input features), of dL/dX's rows (samples) and of
  // dL/db's columns, so no two threads write the same element and nothing needs reducing.
  run_split(split_threads(g.rows()), [&](int part, int parts) {
    const Share features = share_of(in_, part, parts);
    grad_weight.middleRows(features.begin, features.size).noalias() +=
        x.middleCols(features.begin, features.size).transpose() * g;
    const Share outputs = share_of(out_, part, parts);
    grad_bias.middleCols(outputs.begin, outputs.size) += g.middleCols(outputs.begin, outputs.size).colwise().sum();
    if (!input_gradient_needed_) return;
    const Share samples = share_of(g.rows(), part, parts);
    grad_input_.middleRows(samples.begin, samples.size).noalias() =
        g.middleRows(samples.begin, samples.size) * weight.transpose();
  });
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
