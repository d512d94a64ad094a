#include "runtime/nn/dropout_variants.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "runtime/error.hpp"

namespace regimen::nn {

NoiseLayer::NoiseLayer(const char* type, double p) : p_(p) {
  // Written so that NaN fails too.
  if (!(p >= 0.0 && p < 1.0)) {
    std::ostringstream message;
    message << type << ": p must be in [0, 1), got " << p;
    throw InvalidArgument(message.str());
  }
}

std::string NoiseLayer::describe() const {
  std::ostringstream text;
  text << type() << "(p=" << p_ << ")";
  return text.str();
}

void NoiseLayer::initialize(ParameterArena& /*arena*/, Random& rng) { rng_ = Random(rng.next_u64()); }

void NoiseLayer::draw_keep(Index n, float* keep) {
  bits_.resize(static_cast<std::size_t>(n + 1) & ~std::size_t{1});
  for (std::size_t i = 0; i < bits_.size(); i += 2) {
    const std::uint64_t word = rng_.next_u64();
    bits_[i] = static_cast<std::uint32_t>(word);
    bits_[i + 1] = static_cast<std::uint32_t>(word >> 32);
  }
  const auto threshold = static_cast<std::uint32_t>(
      std::min<long long>(std::llround(std::ldexp(p_, 32)), std::numeric_limits<std::uint32_t>::max()));
  for (Index i = 0; i < n; ++i) keep[i] = bits_[i] >= threshold ? 1.0f : 0.0f;
}

const Matrix& NoiseLayer::forward(const ParameterArena& /*arena*/, const Matrix& input, Mode mode) {
  active_ = mode == Mode::kTrain && p_ > 0.0;
  if (!active_) return input;
  draw(input.rows(), input.cols());
  output_.resize(input.rows(), input.cols());
  if (shifted_) {
    output_.array() = input.array() * scale_.array() + shift_.array();
  } else {
    output_.array() = input.array() * scale_.array();
  }
  return output_;
}

const Matrix& NoiseLayer::backward(ParameterArena& /*arena*/, const Matrix& grad_output) {
  if (!active_) return grad_output;
  if (grad_output.rows() != scale_.rows() || grad_output.cols() != scale_.cols()) {
    throw std::logic_error(type() + ": gradient shape does not match the last forward");
  }
  grad_input_.resize(grad_output.rows(), grad_output.cols());
  grad_input_.array() = grad_output.array() * scale_.array();
  return grad_input_;
}

void GaussianDropout::draw(Index rows, Index cols) {
  scale_.resize(rows, cols);
  const double stddev = std::sqrt(p_ / (1.0 - p_));
  float* s = scale_.data();
  for (Index i = 0; i < scale_.size(); ++i) s[i] = static_cast<float>(1.0 + stddev * rng_.normal());
}

void AlphaDropout::draw(Index rows, Index cols) {
  constexpr double kAlpha = 1.7580993408473766;  // -SELU's negative saturation, lambda * alpha
  const double a = 1.0 / std::sqrt((kAlpha * kAlpha * p_ + 1.0) * (1.0 - p_));
  scale_.resize(rows, cols);
  shift_.resize(rows, cols);
  draw_keep(scale_.size(), scale_.data());  // the keep mask m first, then s and t from it
  shift_.array() = static_cast<float>(a * kAlpha) * (scale_.array() + static_cast<float>(p_ - 1.0));
  scale_ *= static_cast<float>(a);
}

void SpatialDropout::draw(Index rows, Index cols) {
  const Index channels = cols / plane_;
  keep_.resize(rows, channels);
  draw_keep(keep_.size(), keep_.data());
  const float survivor = static_cast<float>(1.0 / (1.0 - p_));
  scale_.resize(rows, cols);
  for (Index s = 0; s < rows; ++s) {
    for (Index c = 0; c < channels; ++c) scale_.row(s).segment(c * plane_, plane_).setConstant(keep_(s, c) * survivor);
  }
}

std::size_t NoiseLayer::bytes_per_sample(const Shape& input) const {
  // Output, input gradient, scale, shift and the random draws: five values per feature.
  return 5 * sizeof(float) * static_cast<std::size_t>(input.features());
}

}  // namespace regimen::nn
