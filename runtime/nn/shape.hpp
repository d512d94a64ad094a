#pragma once
// The shape of one sample as it flows between layers: either flat features, or an image of
// channels x height x width. Either way a batch is a row-major matrix with one sample per row;
// an image sample's row holds its channels one after another, each plane row by row (PyTorch's
// NCHW order), so a flatten is free and a linear layer after it sees PyTorch's feature order.
#include <string>

#include "runtime/tensor.hpp"

namespace regimen::nn {

/// Flat features ({n, 1, 1}, image = false) or an image ({c, h, w}, image = true).
struct Shape {
  Index channels = 0;  ///< the feature count of a flat shape
  Index height = 1;
  Index width = 1;
  bool image = false;

  /// `features` flat features.
  static Shape flat(Index features) { return {features, 1, 1, false}; }
  /// An image of `channels` planes of height x width.
  static Shape image_of(Index channels, Index height, Index width) { return {channels, height, width, true}; }

  /// Floats per sample.
  Index features() const { return channels * height * width; }
  /// Pixels per channel plane (1 for a flat shape).
  Index plane() const { return height * width; }
  /// "128" for flat features, "32x14x14" for an image.
  std::string describe() const {
    if (!image) return std::to_string(channels);
    return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
  }
  bool operator==(const Shape&) const = default;
};

}  // namespace regimen::nn
