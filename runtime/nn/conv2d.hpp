#pragma once
// A 2-D convolution (PyTorch's Conv2d: cross-correlation, square kernel, no dilation or groups)
// on image samples stored C x H x W per row (shape.hpp). With K = C_in k k and P = H_out W_out,
// each sample x is unfolded into columns (im2col): col (K x P), where col[(c k + i) k + j][p]
// is the input pixel under kernel tap (c, i, j) at output position p (0 in the padding). Then
//
//   y = W col + b 1^T          W: C_out x K ("NAME.weight", PyTorch's (C_out, C_in, k, k) in
//                              its own order), b: C_out ("NAME.bias"); y is C_out x P, which is
//                              the sample's output row in C x H x W order
//   dL/dW = sum over samples of G col^T      dL/db = sum of G over samples and positions
//   dL/dcol = W^T G, folded back onto the input pixels (col2im: each pixel sums its taps)
//
//   H_out = floor((H + 2 padding - k) / stride) + 1, and the same for W. padding = "same"
//   (stride 1) pads k - 1 in total, floor((k-1)/2) before and the rest after, as PyTorch does.
//
// Initializers as linear's (init.hpp) with fan_in = C_in k k, fan_out = C_out k k; b = 0.
// Samples are split over threads (thread_split.hpp); each thread sums its own share of dL/dW,
// and the shares are added in thread order, so a run is repeatable for a given thread count.
#include <string>
#include <vector>

#include "runtime/nn/init.hpp"
#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// Conv2d's options besides the channel counts and kernel size.
struct Conv2dOptions {
  Index stride = 1;
  Index padding = 0;          ///< zero padding on every side
  bool same_padding = false;  ///< padding = "same": output as large as the input (stride 1)
  Init init = Init::kHe;
};

/// A 2-D convolution from `in_channels` to `out_channels` planes with a k x k kernel.
class Conv2d : public Layer {
 public:
  /// Throws InvalidArgument for non-positive sizes, negative padding, or "same" with stride > 1.
  Conv2d(Index in_channels, Index out_channels, Index kernel_size, Conv2dOptions options = {});

  Index in_channels() const { return in_; }
  Index out_channels() const { return out_; }
  Index kernel_size() const { return k_; }
  const Conv2dOptions& options() const { return options_; }

  std::string type() const override { return "conv2d"; }
  /// "conv2d(1 -> 32, kernel=3, stride=1, padding=1, init=he)".
  std::string describe() const override;
  /// Only images: throws InputWidthError for flat features.
  Index output_features(Index input_features) const override;
  /// C_out x H_out x W_out; throws InputWidthError for flat input, another channel count, or an
  /// image smaller than the kernel after padding.
  Shape output_shape(const Shape& input) const override;
  void set_input_shape(const Shape& input) override;

  /// Declares "NAME.weight" (C_out x C_in k k, rank 4) and "NAME.bias" (C_out, rank 1).
  void declare_parameters(ParameterArena& arena, const std::string& name) override;
  void initialize(ParameterArena& arena, Random& rng) override;

  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;
  std::size_t bytes_per_sample(const Shape& input) const override;
  /// When not needed, backward() skips W^T G and col2im and returns an empty matrix.
  void set_input_gradient_needed(bool needed) override { input_gradient_needed_ = needed; }

 private:
  Index pad_before(Index size) const;
  Index out_size(Index size) const;
  void im2col(const float* x, float* col) const;
  void col2im(const float* col, float* dx) const;

  Index in_;
  Index out_;
  Index k_;
  Conv2dOptions options_;
  Index height_ = 0, width_ = 0;          // input plane, from set_input_shape
  Index out_height_ = 0, out_width_ = 0;  // output plane
  Index pad_top_ = 0, pad_left_ = 0;
  static constexpr std::size_t kUndeclared = static_cast<std::size_t>(-1);
  std::size_t weight_ = kUndeclared;
  std::size_t bias_ = kUndeclared;
  bool input_gradient_needed_ = true;
  Matrix cols_;  // the last forward's columns, sample after sample: (N K) x P
  Matrix output_;
  Matrix grad_input_;
  std::vector<Matrix> partial_weight_;  // per thread: its samples' share of dL/dW
  std::vector<Matrix> partial_bias_;    // per thread: C_out x 1
  std::vector<Matrix> grad_cols_;       // per thread: dL/dcol of one sample
};

}  // namespace regimen::nn
