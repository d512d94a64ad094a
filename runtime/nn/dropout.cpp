#include "runtime/nn/dropout.hpp"

#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>

#include "runtime/error.hpp"

namespace regimen::nn {
namespace {

double checked_p(double p) {
  // Written so that NaN fails too. p = 1 would drop everything and scale by infinity.
  if (!(p >= 0.0 && p < 1.0)) {
    std::ostringstream message;
    message << "dropout: p must be in [0, 1), got " << p;
    throw InvalidArgument(message.str());
  }
  return p;
}

}  // namespace

Dropout::Dropout(double p) : p_(checked_p(p)) {}

void Dropout::set_p(double p) { p_ = checked_p(p); }

std::string Dropout::describe() const {
  std::ostringstream text;
  text << "dropout(p=" << p_ << ")";
  return text.str();
}

void Dropout::initialize(ParameterArena& /*arena*/, Random& rng) { rng_ = Random(rng.next_u64()); }

const Matrix& Dropout::forward(const ParameterArena& /*arena*/, const Matrix& input, Mode mode) {
  masked_ = mode == Mode::kTrain && p_ > 0.0;
  if (!masked_) return input;  // the identity needs no copy: the input outlives backward anyway
  draw_mask(input.rows(), input.cols());
  output_.resize(input.rows(), input.cols());
  output_.array() = input.array() * mask_.array();
  return output_;
}

const Matrix& Dropout::backward(ParameterArena& /*arena*/, const Matrix& grad_output) {
  if (!masked_) return grad_output;
  if (grad_output.rows() != mask_.rows() || grad_output.cols() != mask_.cols()) {
    throw std::logic_error("dropout: gradient shape does not match the last forward");
  }
  grad_input_.resize(grad_output.rows(), grad_output.cols());
  grad_input_.array() = grad_output.array() * mask_.array();
  return grad_input_;
}

void Dropout::draw_mask(Index rows, Index cols) {
  // Each 64-bit word decides two elements: an element is kept when its 32-bit half is at least
  // round(p * 2^32), i.e. with probability 1 - p to within 2^-33. Comparing raw bits avoids a
  // conversion to floating point per element, and halving the draws halves the generator's
  // serial dependency chain, which is what bounds this loop.
  const auto threshold = static_cast<std::uint64_t>(std::llround(std::ldexp(p_, 32)));
  const float keep = static_cast<float>(1.0 / (1.0 - p_));
  mask_.resize(rows, cols);
  float* m = mask_.data();
  const Index n = mask_.size();
  Index i = 0;
  for (; i + 1 < n; i += 2) {
    const std::uint64_t word = rng_.next_u64();
    m[i] = (word & 0xffffffffu) >= threshold ? keep : 0.0f;
    m[i + 1] = (word >> 32) >= threshold ? keep : 0.0f;
  }
  if (i < n) m[i] = (rng_.next_u64() & 0xffffffffu) >= threshold ? keep : 0.0f;
}

}  // namespace regimen::nn
