#include "runtime/nn/max_pool2d.hpp"

#include <cmath>
#include <stdexcept>

#include "runtime/error.hpp"
#include "runtime/nn/input_width_error.hpp"
#include "runtime/nn/thread_split.hpp"

namespace regimen::nn {
namespace {

// Folds one kernel tap into the running maxima of an output row: PyTorch's rule, NaN included
// (a NaN wins; on a tie the earlier tap stays). A compile-time stride (2, the common case)
// lets the compiler load the tap's pixels with contiguous loads and shuffles rather than one
// load per pixel; kStride = 0 reads the stride at run time.
template <int kStride>
void merge_tap(const float* __restrict tap, std::int32_t start, Index count, float* __restrict best,
               std::int32_t* __restrict where, Index runtime_stride = 0) {
  const Index stride = kStride > 0 ? kStride : runtime_stride;
#pragma omp simd
  for (Index ow = 0; ow < count; ++ow) {
    const float v = tap[ow * stride];
    const bool take = (v > best[ow]) | (v != v);  // | rather than ||: no branch
    best[ow] = take ? v : best[ow];
    where[ow] = take ? start + static_cast<std::int32_t>(ow * stride) : where[ow];
  }
}

}  // namespace

MaxPool2d::MaxPool2d(Index kernel_size, Index stride) : k_(kernel_size), stride_(stride == 0 ? kernel_size : stride) {
  if (kernel_size <= 0) throw InvalidArgument("max_pool2d: kernel_size must be positive, got " + std::to_string(kernel_size));
  if (stride < 0) throw InvalidArgument("max_pool2d: stride must be positive, got " + std::to_string(stride));
}

std::string MaxPool2d::describe() const {
  return "max_pool2d(kernel=" + std::to_string(k_) + ", stride=" + std::to_string(stride_) + ")";
}

Index MaxPool2d::output_features(Index input_features) const {
  return output_shape(Shape::flat(input_features)).features();
}

Shape MaxPool2d::output_shape(const Shape& input) const {
  if (!input.image) throw InputWidthError("expects images (channels x height x width)", input);
  if (input.height < k_ || input.width < k_) {
    throw InputWidthError("expects images of at least " + std::to_string(k_) + "x" + std::to_string(k_), input);
  }
  return Shape::image_of(input.channels, (input.height - k_) / stride_ + 1, (input.width - k_) / stride_ + 1);
}

void MaxPool2d::set_input_shape(const Shape& input) {
  const Shape out = output_shape(input);
  channels_ = input.channels;
  height_ = input.height;
  width_ = input.width;
  out_height_ = out.height;
  out_width_ = out.width;
}

const Matrix& MaxPool2d::forward(const ParameterArena& /*arena*/, const Matrix& input, Mode /*mode*/) {
  if (input.cols() != channels_ * height_ * width_) {
    throw InvalidArgument("max_pool2d: expects " + std::to_string(channels_ * height_ * width_) +
                          " inputs per sample, got " + std::to_string(input.cols()));
  }
  const Index n = input.rows();
  const Index per_sample = channels_ * out_height_ * out_width_;
  output_.resize(n, per_sample);
  argmax_.resize(static_cast<std::size_t>(n * per_sample));
  run_split(split_threads(n, 4), [&](int part, int parts) {
    const Share samples = share_of(n, part, parts);
    for (Index s = samples.begin; s < samples.begin + samples.size; ++s) {
      const float* x = input.row(s).data();
      float* y = output_.row(s).data();
      std::int32_t* arg = argmax_.data() + s * per_sample;
      if (k_ == 2 && stride_ == 2) {
        pool_2x2(x, y, arg);
      } else {
        pool_any(x, y, arg);
      }
    }
  });
  return output_;
}

// Any kernel and stride. Taps in the outer loops and output pixels in the inner one: the inner
// loop carries no dependency, so it compiles to selects, where a loop over one window's taps
// compiled to branches that mispredict on every window of real data.
void MaxPool2d::pool_any(const float* x, float* y, std::int32_t* arg) const {
  for (Index c = 0; c < channels_; ++c) {
    for (Index oh = 0; oh < out_height_; ++oh) {
      const Index o = (c * out_height_ + oh) * out_width_;
      float* __restrict best = y + o;
      std::int32_t* __restrict where = arg + o;
      for (Index i = 0; i < k_; ++i) {
        const Index row = (c * height_ + oh * stride_ + i) * width_;
        for (Index j = 0; j < k_; ++j) {
          const float* __restrict tap = x + row + j;
          const auto start = static_cast<std::int32_t>(row + j);
          if (i == 0 && j == 0) {
            for (Index ow = 0; ow < out_width_; ++ow) {
              best[ow] = tap[ow * stride_];
              where[ow] = start + static_cast<std::int32_t>(ow * stride_);
            }
            continue;
          }
          if (stride_ == 2) {
            merge_tap<2>(tap, start, out_width_, best, where);
          } else {
            merge_tap<0>(tap, start, out_width_, best, where, stride_);
          }
        }
      }
    }
  }
}

// The common 2x2 window with stride 2, one output pixel at a time with its four taps in
// registers: the general loop spends most of its time entering and leaving short inner loops.
void MaxPool2d::pool_2x2(const float* x, float* y, std::int32_t* arg) const {
  Index o = 0;
  for (Index c = 0; c < channels_; ++c) {
    for (Index oh = 0; oh < out_height_; ++oh) {
      const Index top = (c * height_ + 2 * oh) * width_;
      for (Index ow = 0; ow < out_width_; ++ow, ++o) {
        const Index a = top + 2 * ow;
        const Index taps[4] = {a, a + 1, a + width_, a + width_ + 1};
        Index best = a;
        float best_value = x[a];
        for (int t = 1; t < 4; ++t) {
          const float v = x[taps[t]];
          const bool take = (v > best_value) | (v != v);  // PyTorch's rule: a NaN wins, ties keep the first
          best_value = take ? v : best_value;
          best = take ? taps[t] : best;
        }
        y[o] = best_value;
        arg[o] = static_cast<std::int32_t>(best);
      }
    }
  }
}

const Matrix& MaxPool2d::backward(ParameterArena& /*arena*/, const Matrix& grad_output) {
  const Index n = grad_output.rows();
  const Index per_sample = channels_ * out_height_ * out_width_;
  if (n != output_.rows() || grad_output.cols() != per_sample) {
    throw std::logic_error("max_pool2d: gradient shape does not match the last forward");
  }
  grad_input_.setZero(n, channels_ * height_ * width_);
  for (Index s = 0; s < n; ++s) {
    const float* g = grad_output.row(s).data();
    float* dx = grad_input_.row(s).data();
    const std::int32_t* arg = argmax_.data() + s * per_sample;
    for (Index o = 0; o < per_sample; ++o) dx[arg[o]] += g[o];
  }
  return grad_input_;
}

std::size_t MaxPool2d::bytes_per_sample(const Shape& input) const {
  // Output, input gradient and the argmax of every output element.
  const auto out = static_cast<std::size_t>(output_shape(input).features());
  return sizeof(float) * (static_cast<std::size_t>(input.features()) + out) + sizeof(std::int32_t) * out;
}

}  // namespace regimen::nn
