#include "runtime/data/image_ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "runtime/data/ziggurat.hpp"

namespace regimen::data {

void flip_horizontal(std::span<float> image, const ImageShape& shape) {
  const Index rows = shape.channels * shape.height;
  for (Index r = 0; r < rows; ++r) {
    float* row = image.data() + r * shape.width;
    std::reverse(row, row + shape.width);
  }
}

void translate(std::span<float> image, const ImageShape& shape, Index dy, Index dx, std::span<float> scratch) {
  const Index H = shape.height, W = shape.width;
  std::memcpy(scratch.data(), image.data(), sizeof(float) * static_cast<std::size_t>(shape.size()));
  std::fill(image.begin(), image.begin() + shape.size(), 0.0f);
  // Destination columns [x0, x1) read source columns [x0 - dx, x1 - dx); the rest stay 0.
  const Index x0 = std::clamp<Index>(dx, 0, W), x1 = std::clamp<Index>(W + dx, 0, W);
  const Index y0 = std::clamp<Index>(dy, 0, H), y1 = std::clamp<Index>(H + dy, 0, H);
  if (x1 <= x0 || y1 <= y0) return;
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(x1 - x0);
  for (Index c = 0; c < shape.channels; ++c) {
    const Index plane = c * H * W;
    for (Index y = y0; y < y1; ++y)
      std::memcpy(image.data() + plane + y * W + x0, scratch.data() + plane + (y - dy) * W + (x0 - dx), bytes);
  }
}

void fill_rect(std::span<float> image, const ImageShape& shape, const Rect& rect, float value) {
  for (Index c = 0; c < shape.channels; ++c) {
    float* plane = image.data() + c * shape.height * shape.width;
    for (Index y = rect.top; y < rect.top + rect.height; ++y) {
      float* row = plane + y * shape.width + rect.left;
      std::fill(row, row + rect.width, value);
    }
  }
}

std::optional<Rect> draw_erase_rect(const ImageShape& shape, Random& rng) {
  constexpr double kMinArea = 0.02, kMaxArea = 0.33, kMinAspect = 0.3, kMaxAspect = 3.3;
  const double area = static_cast<double>(shape.height * shape.width);
  const double log_min = std::log(kMinAspect), log_max = std::log(kMaxAspect);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double erase_area = area * (kMinArea + (kMaxArea - kMinArea) * rng.uniform());
    const double aspect = std::exp(log_min + (log_max - log_min) * rng.uniform());
    // nearbyint rounds half to even, as Python's round() does.
    const auto h = static_cast<Index>(std::nearbyint(std::sqrt(erase_area * aspect)));
    const auto w = static_cast<Index>(std::nearbyint(std::sqrt(erase_area / aspect)));
    if (!(h < shape.height && w < shape.width)) continue;
    const auto top = static_cast<Index>(rng.below(static_cast<std::uint64_t>(shape.height - h + 1)));
    const auto left = static_cast<Index>(rng.below(static_cast<std::uint64_t>(shape.width - w + 1)));
    return Rect{top, left, h, w};
  }
  return std::nullopt;
}

void add_gaussian_noise(std::span<float> image, double sigma, Random& rng) {
  for (float& pixel : image) pixel += static_cast<float>(sigma * ziggurat_normal(rng));
}

}  // namespace regimen::data
