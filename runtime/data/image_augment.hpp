#pragma once
// Random image augmentation of training batches: horizontal flip, translation with zero
// padding, additive gaussian noise and random erasing (Zhong et al. 2017), every magnitude and
// probability scaled by a strength s (a hyperparameter that a run may schedule):
//
//   1. flip      with probability min(1, s*flip), mirror left to right;
//   2. shift     m = floor(s*shift): dy, dx uniform integers in [-m, m], zero padding;
//   3. noise     add (s*noise) * N(0, 1) to every feature (no clipping, as Keras' GaussianNoise);
//   4. erase     with probability min(1, s*erase), set a rectangle of 2%..33% of the image area,
//                aspect ratio 0.3..3.3, to 0 (torchvision's RandomErasing(value=0)).
//
// At s = 0 a sample is left untouched. Each sample draws from its own stream, a pure function
// of (seed, epoch, the sample's position in the dataset): a sample is augmented the same way
// whatever the batch it falls in, the batch size, the thread count or a resume at that epoch.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/data/image_shape.hpp"
#include "runtime/random.hpp"
#include "runtime/tensor.hpp"

namespace regimen::data {

/// What an ImageAugment does at strength 1; all off by default.
struct ImageAugmentOptions {
  double flip = 0.0;   ///< probability of a horizontal flip, in [0, 1]
  Index shift = 0;     ///< largest translation in pixels along each axis, >= 0
  double noise = 0.0;  ///< standard deviation of the additive noise, in feature units, >= 0
  double erase = 0.0;  ///< probability of erasing a rectangle, in [0, 1]
};

/// An immutable augmentation policy; the caller owns the workspace, so one policy can serve
/// several runs.
class ImageAugment {
 public:
  /// Throws InvalidArgument naming a bad option: "flip must be in [0, 1], got 1.5".
  explicit ImageAugment(ImageAugmentOptions options);

  const ImageAugmentOptions& options() const { return options_; }
  /// "image(flip=0.5, shift=2, noise=0.1, erase=0.25)", the options that are on.
  std::string describe() const;

  /// Throws InvalidArgument unless `dataset`'s samples are images (data.idx, Fashion-MNIST) of
  /// its width, and a shift is smaller than the image.
  void check_data(const Dataset& dataset) const;

  /// The random stream of the sample at `position` in `epoch`.
  static Random stream(std::uint64_t seed, std::int64_t epoch, Index position);

  /// Augments one image in place at `strength` (finite, >= 0) with the draws of `rng`;
  /// `scratch` holds at least shape.size() floats.
  void apply_one(std::span<float> image, const ImageShape& shape, double strength, Random& rng,
                 std::span<float> scratch) const;

  /// Augments every row of `batch` (one image of `shape` each), row i with the stream of
  /// positions[i]. With noise, rows are split over the OpenMP threads; `workspace` grows to
  /// one image per thread on the first call and is reused after. Throws InvalidArgument for a strength that is
  /// not finite or < 0 ("strength must be >= 0, got -1"), or mismatched sizes.
  void apply(Matrix& batch, std::span<const Index> positions, const ImageShape& shape, std::uint64_t seed,
             std::int64_t epoch, double strength, std::vector<float>& workspace) const;

 private:
  ImageAugmentOptions options_;
};

}  // namespace regimen::data
