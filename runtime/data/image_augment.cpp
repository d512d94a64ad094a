#include "runtime/data/image_augment.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "runtime/data/image_ops.hpp"
#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::data {
namespace {

// Keeps augmentation draws apart from the shuffling stream, which is Random(seed).fork(epoch).
constexpr std::uint64_t kAugmentSalt = 0x61756775'6d656e74ULL;  // "augment"

// Flips, shifts and erasing cost well under a microsecond per image, less than waking a thread
// on a busy machine; noise (one normal per pixel, a few microseconds per image) is worth
// splitting once each thread gets this many images.
constexpr Index kMinNoisyRowsPerThread = 16;

void require_probability(const char* name, double value) {
  require_finite(name, value);
  require(value >= 0.0 && value <= 1.0, name, "in [0, 1]", value);
}

// The largest shift at strength s. The epsilon keeps 0.7 * 10 = 7 from rounding down to 6.
Index max_shift(Index shift, double strength) {
  return static_cast<Index>(std::floor(strength * static_cast<double>(shift) + 1e-9));
}

}  // namespace

ImageAugment::ImageAugment(ImageAugmentOptions options) : options_(options) {
  require_probability("flip", options_.flip);
  require(options_.shift >= 0, "shift", "a whole number >= 0", static_cast<double>(options_.shift));
  require_non_negative("noise", options_.noise);
  require_probability("erase", options_.erase);
}

std::string ImageAugment::describe() const {
  std::string parts;
  const auto add = [&](const char* name, double value) {
    if (value != 0.0) parts += (parts.empty() ? "" : ", ") + std::string(name) + "=" + format_number(value);
  };
  add("flip", options_.flip);
  add("shift", static_cast<double>(options_.shift));
  add("noise", options_.noise);
  add("erase", options_.erase);
  return "image(" + parts + ")";
}

void ImageAugment::check_data(const Dataset& dataset) const {
  const ImageShape shape = dataset.image_shape();
  if (shape.empty()) {
    throw InvalidArgument("the training data '" + dataset.source() +
                          "' holds no images (image augmentation needs data.idx or data.fashion_mnist)");
  }
  if (shape.size() != dataset.features()) {
    throw InvalidArgument("the training data has " + std::to_string(dataset.features()) +
                          " features, not the " + std::to_string(shape.size()) + " of a " + shape.describe() +
                          " image");
  }
  if (options_.shift >= std::min(shape.height, shape.width)) {
    throw InvalidArgument("shift must be smaller than the image (" + shape.describe() + "), got " +
                          std::to_string(options_.shift));
  }
}

Random ImageAugment::stream(std::uint64_t seed, std::int64_t epoch, Index position) {
  return Random(seed ^ kAugmentSalt).fork(static_cast<std::uint64_t>(epoch)).fork(static_cast<std::uint64_t>(position));
}

void ImageAugment::apply_one(std::span<float> image, const ImageShape& shape, double strength, Random& rng,
                             std::span<float> scratch) const {
  if (strength == 0.0) return;
  const double flip = std::min(1.0, strength * options_.flip);
  if (flip > 0.0 && rng.uniform() < flip) flip_horizontal(image, shape);
  if (const Index m = max_shift(options_.shift, strength); m > 0) {
    const auto span = static_cast<std::uint64_t>(2 * m + 1);
    const Index dy = static_cast<Index>(rng.below(span)) - m;
    const Index dx = static_cast<Index>(rng.below(span)) - m;
    if (dy != 0 || dx != 0) translate(image, shape, dy, dx, scratch);
  }
  if (const double sigma = strength * options_.noise; sigma > 0.0) add_gaussian_noise(image, sigma, rng);
  const double erase = std::min(1.0, strength * options_.erase);
  if (erase > 0.0 && rng.uniform() < erase) {
    if (const std::optional<Rect> rect = draw_erase_rect(shape, rng)) fill_rect(image, shape, *rect, 0.0f);
  }
}

void ImageAugment::apply(Matrix& batch, std::span<const Index> positions, const ImageShape& shape,
                         std::uint64_t seed, std::int64_t epoch, double strength,
                         std::vector<float>& workspace) const {
  // Everything that can throw is checked here: an exception cannot leave an OpenMP region.
  require_non_negative("strength", strength);
  const Index rows = batch.rows(), features = batch.cols();
  if (static_cast<Index>(positions.size()) != rows) {
    throw InvalidArgument("augment: " + std::to_string(positions.size()) + " positions for a batch of " +
                          std::to_string(rows) + " rows");
  }
  if (shape.empty() || shape.size() != features) {
    throw InvalidArgument("augment: a batch of " + std::to_string(features) + " features is not a " +
                          shape.describe() + " image");
  }
  if (strength == 0.0) return;
  const int threads = options_.noise > 0.0 ? static_cast<int>(std::clamp<Index>(
                                                 rows / kMinNoisyRowsPerThread, 1, omp_get_max_threads()))
                                           : 1;
  const auto needed = static_cast<std::size_t>(threads * features);
  if (workspace.size() < needed) workspace.resize(needed);
  float* scratch_base = workspace.data();
  float* data = batch.data();
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (Index i = 0; i < rows; ++i) {
    Random rng = stream(seed, epoch, positions[static_cast<std::size_t>(i)]);
    std::span<float> scratch(scratch_base + omp_get_thread_num() * features, static_cast<std::size_t>(features));
    apply_one(std::span<float>(data + i * features, static_cast<std::size_t>(features)), shape, strength, rng, scratch);
  }
}

}  // namespace regimen::data
