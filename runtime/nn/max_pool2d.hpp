#pragma once
// 2-D max pooling (PyTorch's MaxPool2d, no padding, floor mode): each output pixel is the
// largest input pixel of its k x k window, per channel,
//
//   y[c][oh][ow] = max over 0 <= i, j < k of x[c][oh s + i][ow s + j],
//   H_out = floor((H - k) / s) + 1,
//
// and the gradient flows only to that pixel (the first one in row order on a tie, as PyTorch's
// CPU kernel picks): dL/dx[argmax] += dL/dy. The default stride is the kernel size.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// Max pooling over k x k windows with stride s.
class MaxPool2d : public Layer {
 public:
  /// stride 0 means stride = kernel_size. Throws InvalidArgument for non-positive sizes.
  explicit MaxPool2d(Index kernel_size, Index stride = 0);

  Index kernel_size() const { return k_; }
  Index stride() const { return stride_; }

  std::string type() const override { return "max_pool2d"; }
  /// "max_pool2d(kernel=2, stride=2)".
  std::string describe() const override;
  /// Only images: throws InputWidthError for flat features.
  Index output_features(Index input_features) const override;
  /// C x H_out x W_out; throws InputWidthError for flat input or an image smaller than k.
  Shape output_shape(const Shape& input) const override;
  void set_input_shape(const Shape& input) override;

  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;
  std::size_t bytes_per_sample(const Shape& input) const override;

 private:
  void pool_any(const float* x, float* y, std::int32_t* arg) const;
  void pool_2x2(const float* x, float* y, std::int32_t* arg) const;

  Index k_;
  Index stride_;
  Index channels_ = 0, height_ = 0, width_ = 0;
  Index out_height_ = 0, out_width_ = 0;
  std::vector<std::int32_t> argmax_;  // per output element: the input element (within its sample)
  Matrix output_;
  Matrix grad_input_;
};

}  // namespace regimen::nn
