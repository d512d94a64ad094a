#include "runtime/nn/relu.hpp"

#include <stdexcept>

namespace regimen::nn {

const Matrix& ReLU::forward(const ParameterArena& /*arena*/, const Matrix& input, Mode /*mode*/) {
  input_ = &input;
  output_.resize(input.rows(), input.cols());
  output_.array() = input.array().max(0.0f);
  return output_;
}

const Matrix& ReLU::backward(ParameterArena& /*arena*/, const Matrix& grad_output) {
  if (input_ == nullptr) throw std::logic_error("relu: backward before forward");
  if (grad_output.rows() != input_->rows() || grad_output.cols() != input_->cols()) {
    throw std::logic_error("relu: gradient shape does not match the last forward");
  }
  grad_input_.resize(grad_output.rows(), grad_output.cols());
  grad_input_.array() = (input_->array() > 0.0f).select(grad_output.array(), 0.0f);
  return grad_input_;
}

}  // namespace regimen::nn
