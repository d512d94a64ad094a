#include "runtime/nn/conv2d.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "runtime/error.hpp"
#include "runtime/nn/input_width_error.hpp"
#include "runtime/nn/thread_split.hpp"

namespace regimen::nn {
namespace {

void check_positive(const char* what, Index value) {
  if (value <= 0) {
    throw InvalidArgument(std::string("conv2d: ") + what + " must be positive, got " + std::to_string(value));
  }
}

}  // namespace

Conv2d::Conv2d(Index in_channels, Index out_channels, Index kernel_size, Conv2dOptions options)
    : in_(in_channels), out_(out_channels), k_(kernel_size), options_(options) {
  check_positive("in_channels", in_channels);
  check_positive("out_channels", out_channels);
  check_positive("kernel_size", kernel_size);
  check_positive("stride", options.stride);
  if (options.padding < 0) throw InvalidArgument("conv2d: padding must be >= 0, got " + std::to_string(options.padding));
  if (options.same_padding && options.stride != 1) {
    throw InvalidArgument("conv2d: padding = 'same' needs stride 1, got " + std::to_string(options.stride));
  }
}

std::string Conv2d::describe() const {
  const std::string padding = options_.same_padding ? "same" : std::to_string(options_.padding);
  return "conv2d(" + std::to_string(in_) + " -> " + std::to_string(out_) + ", kernel=" + std::to_string(k_) +
         ", stride=" + std::to_string(options_.stride) + ", padding=" + padding +
         ", init=" + std::string(init_name(options_.init)) + ")";
}

Index Conv2d::pad_before(Index /*size*/) const { return options_.same_padding ? (k_ - 1) / 2 : options_.padding; }

Index Conv2d::out_size(Index size) const {
  if (options_.same_padding) return size;
  const Index span = size + 2 * options_.padding - k_;
  return span < 0 ? 0 : span / options_.stride + 1;
}

Index Conv2d::output_features(Index input_features) const {
  return output_shape(Shape::flat(input_features)).features();
}

Shape Conv2d::output_shape(const Shape& input) const {
  if (!input.image) throw InputWidthError("expects images (channels x height x width)", input);
  if (input.channels != in_) throw InputWidthError("expects " + std::to_string(in_) + " input channels", input);
  const Index h = out_size(input.height);
  const Index w = out_size(input.width);
  if (h <= 0 || w <= 0) {
    throw InputWidthError("expects images of at least " + std::to_string(k_) + "x" + std::to_string(k_) +
                              " after padding",
                          input);
  }
  return Shape::image_of(out_, h, w);
}

void Conv2d::set_input_shape(const Shape& input) {
  const Shape out = output_shape(input);
  height_ = input.height;
  width_ = input.width;
  out_height_ = out.height;
  out_width_ = out.width;
  pad_top_ = pad_before(height_);
  pad_left_ = pad_before(width_);
}

void Conv2d::declare_parameters(ParameterArena& arena, const std::string& name) {
  weight_ = arena.declare(name + ".weight", type(), out_, in_ * k_ * k_, 4);
  bias_ = arena.declare(name + ".bias", type(), 1, out_, 1);
}

void Conv2d::initialize(ParameterArena& arena, Random& rng) {
  if (weight_ == kUndeclared) throw std::logic_error("conv2d: parameters used before declare_parameters");
  draw_weights(options_.init, in_ * k_ * k_, out_ * k_ * k_, arena.value(weight_), rng);
  arena.value(bias_).setZero();
}

void Conv2d::im2col(const float* x, float* col) const {
  const Index positions = out_height_ * out_width_;
  const Index stride = options_.stride;
  for (Index c = 0; c < in_; ++c) {
    for (Index i = 0; i < k_; ++i) {
      for (Index j = 0; j < k_; ++j) {
        float* row = col + ((c * k_ + i) * k_ + j) * positions;
        for (Index oh = 0; oh < out_height_; ++oh) {
          float* dst = row + oh * out_width_;
          const Index ih = oh * stride - pad_top_ + i;
          if (ih < 0 || ih >= height_) {
            std::fill(dst, dst + out_width_, 0.0f);
            continue;
          }
          const float* src = x + (c * height_ + ih) * width_;
          for (Index ow = 0; ow < out_width_; ++ow) {
            const Index iw = ow * stride - pad_left_ + j;
            dst[ow] = iw >= 0 && iw < width_ ? src[iw] : 0.0f;
          }
        }
      }
    }
  }
}

// The transpose of im2col: every column entry adds back onto the pixel it was copied from.
void Conv2d::col2im(const float* col, float* dx) const {
  const Index positions = out_height_ * out_width_;
  const Index stride = options_.stride;
  for (Index c = 0; c < in_; ++c) {
    for (Index i = 0; i < k_; ++i) {
      for (Index j = 0; j < k_; ++j) {
        const float* row = col + ((c * k_ + i) * k_ + j) * positions;
        for (Index oh = 0; oh < out_height_; ++oh) {
          const Index ih = oh * stride - pad_top_ + i;
          if (ih < 0 || ih >= height_) continue;
          const float* src = row + oh * out_width_;
          float* dst = dx + (c * height_ + ih) * width_;
          for (Index ow = 0; ow < out_width_; ++ow) {
            const Index iw = ow * stride - pad_left_ + j;
            if (iw >= 0 && iw < width_) dst[iw] += src[ow];
          }
        }
      }
    }
  }
}

const Matrix& Conv2d::forward(const ParameterArena& arena, const Matrix& input, Mode /*mode*/) {
  if (weight_ == kUndeclared) throw std::logic_error("conv2d: parameters used before declare_parameters");
  if (input.cols() != in_ * height_ * width_) {
    throw InvalidArgument("conv2d: expects " + std::to_string(in_ * height_ * width_) + " inputs per sample, got " +
                          std::to_string(input.cols()));
  }
  const Index n = input.rows();
  const Index taps = in_ * k_ * k_;
  const Index positions = out_height_ * out_width_;
  cols_.resize(n * taps, positions);  // no-ops once the batch size is steady
  output_.resize(n, out_ * positions);
  const ConstMatrixMap weight = arena.value(weight_);
  const ConstMatrixMap bias = arena.value(bias_);
  run_split(split_threads(n, 2), [&](int part, int parts) {
    const Share samples = share_of(n, part, parts);
    for (Index s = samples.begin; s < samples.begin + samples.size; ++s) {
      MatrixMap col(cols_.data() + s * taps * positions, taps, positions);
      im2col(input.row(s).data(), col.data());
      MatrixMap y(output_.row(s).data(), out_, positions);
      y.noalias() = weight * col;
      y.colwise() += bias.row(0).transpose();
    }
  });
  return output_;
}

const Matrix& Conv2d::backward(ParameterArena& arena, const Matrix& grad_output) {
  const Index n = grad_output.rows();
  const Index taps = in_ * k_ * k_;
  const Index positions = out_height_ * out_width_;
  if (n * taps != cols_.rows() || grad_output.cols() != out_ * positions) {
    throw std::logic_error("conv2d: gradient shape does not match the last forward");
  }
  const int parts = split_threads(n, 2);
  // Sized and zeroed here, outside the parallel region: the runtime may grant fewer threads
  // than asked, and the shares of threads that never ran must add nothing.
  partial_weight_.resize(static_cast<std::size_t>(parts));
  partial_bias_.resize(static_cast<std::size_t>(parts));
  grad_cols_.resize(static_cast<std::size_t>(parts));
  for (int p = 0; p < parts; ++p) {
    partial_weight_[p].setZero(out_, taps);
    partial_bias_[p].setZero(out_, 1);
    if (input_gradient_needed_) grad_cols_[p].resize(taps, positions);
  }
  grad_input_.resize(input_gradient_needed_ ? n : 0, in_ * height_ * width_);
  const ConstMatrixMap weight = std::as_const(arena).value(weight_);
  run_split(parts, [&](int part, int granted) {
    const Share samples = share_of(n, part, granted);
    Matrix& grad_weight = partial_weight_[part];
    Matrix& grad_bias = partial_bias_[part];
    for (Index s = samples.begin; s < samples.begin + samples.size; ++s) {
      const ConstMatrixMap g(grad_output.row(s).data(), out_, positions);
      const ConstMatrixMap col(cols_.data() + s * taps * positions, taps, positions);
      grad_weight.noalias() += g * col.transpose();
      grad_bias += g.rowwise().sum();
      if (!input_gradient_needed_) continue;
      grad_cols_[part].noalias() = weight.transpose() * g;
      grad_input_.row(s).setZero();
      col2im(grad_cols_[part].data(), grad_input_.row(s).data());
    }
  });
  MatrixMap grad_weight = arena.grad(weight_);
  MatrixMap grad_bias = arena.grad(bias_);
  for (int p = 0; p < parts; ++p) {
    grad_weight += partial_weight_[p];
    grad_bias += partial_bias_[p].transpose();
  }
  return grad_input_;
}

std::size_t Conv2d::bytes_per_sample(const Shape& input) const {
  // Output and input gradient, plus the sample's columns: K = C_in k k rows, one per output pixel.
  const Shape output = output_shape(input);
  const auto pixels = static_cast<std::size_t>(output.features() / out_);
  const auto columns = static_cast<std::size_t>(in_ * k_ * k_) * pixels;
  return sizeof(float) * (static_cast<std::size_t>(input.features() + output.features()) + columns);
}

}  // namespace regimen::nn
