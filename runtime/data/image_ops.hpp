#pragma once
// The pixel transforms of image augmentation (image_augment.hpp), each on one image in place,
// with its parameters given: the random policy that picks them lives elsewhere, so each
// transform is tested against a hand-made expected image.
//
// An image is `shape.size()` floats, channel-major (image_shape.hpp); every transform applies
// the same geometry to every channel.
#include <optional>
#include <span>

#include "runtime/data/image_shape.hpp"
#include "runtime/random.hpp"

namespace regimen::data {

/// Mirrors the image left to right: pixel (y, x) takes the value of (y, width-1-x).
void flip_horizontal(std::span<float> image, const ImageShape& shape);

/// Moves the content `dy` pixels down and `dx` pixels right (negative: up, left); pixels that
/// come from outside the image are 0 (Keras RandomTranslation with fill_mode="constant").
/// `scratch` holds at least shape.size() floats. |dy| >= height or |dx| >= width gives all 0.
void translate(std::span<float> image, const ImageShape& shape, Index dy, Index dx, std::span<float> scratch);

/// A rectangle of pixels: rows [top, top + height), columns [left, left + width).
struct Rect {
  Index top = 0, left = 0, height = 0, width = 0;
};

/// Sets every pixel of `rect` (in every channel) to `value`; rect must lie inside the image.
void fill_rect(std::span<float> image, const ImageShape& shape, const Rect& rect, float value);

/// Draws the rectangle of random erasing (Zhong et al. 2017, "Random Erasing Data
/// Augmentation"), exactly as torchvision's RandomErasing.get_params: up to 10 attempts of
///   area   = H*W * uniform(0.02, 0.33)
///   aspect = exp(uniform(log 0.3, log 3.3))
///   h = round(sqrt(area * aspect)), w = round(sqrt(area / aspect))
/// keeping the first with h < H and w < W, placed uniformly (top in [0, H-h], left in [0, W-w]).
/// nullopt when every attempt failed (the image is then left as it is).
std::optional<Rect> draw_erase_rect(const ImageShape& shape, Random& rng);

/// Adds sigma * N(0, 1) to every pixel (ziggurat.hpp).
void add_gaussian_noise(std::span<float> image, double sigma, Random& rng);

}  // namespace regimen::data
