#include "runtime/nn/softmax.hpp"

#include <stdexcept>

namespace regimen::nn {

const Matrix& Softmax::forward(const ParameterArena& /*arena*/, const Matrix& input, Mode /*mode*/) {
  output_.resize(input.rows(), input.cols());
  for (Index n = 0; n < input.rows(); ++n) {
    const float m = input.row(n).maxCoeff();
    output_.row(n).array() = (input.row(n).array() - m).exp();
    output_.row(n) /= output_.row(n).sum();
  }
  return output_;
}

const Matrix& Softmax::backward(ParameterArena& /*arena*/, const Matrix& grad_output) {
  if (grad_output.rows() != output_.rows() || grad_output.cols() != output_.cols()) {
    throw std::logic_error("softmax: gradient shape does not match the last forward");
  }
  grad_input_.resize(grad_output.rows(), grad_output.cols());
  for (Index n = 0; n < grad_output.rows(); ++n) {
    const float dot = grad_output.row(n).dot(output_.row(n));
    grad_input_.row(n).array() = output_.row(n).array() * (grad_output.row(n).array() - dot);
  }
  return grad_input_;
}

}  // namespace regimen::nn
