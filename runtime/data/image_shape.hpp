#pragma once
// The layout of an image sample: its features are `channels` planes of height x width pixels,
// each plane row by row (channel-major, as an IDX file or a PyTorch CHW tensor stores them).
#include <string>

#include "runtime/tensor.hpp"

namespace regimen::data {

/// Channels, height and width of an image; all 0 when samples are not images.
struct ImageShape {
  Index channels = 0;
  Index height = 0;
  Index width = 0;

  /// True when the samples are not known to be images.
  bool empty() const { return channels <= 0 || height <= 0 || width <= 0; }
  /// Features per sample: channels * height * width.
  Index size() const { return channels * height * width; }
  /// "1x28x28" for messages.
  std::string describe() const {
    return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
  }
  bool operator==(const ImageShape&) const = default;
};

}  // namespace regimen::data
