#include "runtime/nn/dropout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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
  if (schedule_) {
    text << "dropout(p=" << schedule_->describe() << ")";
  } else {
    text << "dropout(p=" << p_ << ")";
  }
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
  mask_.resize(rows, cols);
  const Index n = mask_.size();
  // Each 64-bit word gives two 32-bit draws (low half first), halving the generator's serial
  // dependency chain, which is what bounds this function.
  bits_.resize(static_cast<std::size_t>(n + 1) & ~std::size_t{1});
  for (std::size_t i = 0; i < bits_.size(); i += 2) {
    const std::uint64_t word = rng_.next_u64();
    bits_[i] = static_cast<std::uint32_t>(word);
    bits_[i + 1] = static_cast<std::uint32_t>(word >> 32);
  }
  // An element is kept when its draw is at least round(p * 2^32): probability 1 - p to within
  // 2^-33. Comparing raw bits needs no conversion, and as a separate pass the comparison
  // vectorizes into selects; fused with the draws it compiled to a branch per element, which
  // mispredicts on random data.
  const auto threshold = static_cast<std::uint32_t>(
      std::min<long long>(std::llround(std::ldexp(p_, 32)), std::numeric_limits<std::uint32_t>::max()));
  const float keep = static_cast<float>(1.0 / (1.0 - p_));
  float* m = mask_.data();
  const std::uint32_t* b = bits_.data();
  for (Index i = 0; i < n; ++i) m[i] = b[i] >= threshold ? keep : 0.0f;
}

std::size_t Dropout::bytes_per_sample(const Shape& input) const {
  // Output, input gradient, the mask and its random draws: four values per feature.
  return 4 * sizeof(float) * static_cast<std::size_t>(input.features());
}

}  // namespace regimen::nn
