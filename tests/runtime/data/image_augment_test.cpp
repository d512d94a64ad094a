// Image augmentation of whole batches: what each option does at strength 1, strength scaling
// (0 = identity), option checks, and determinism: a sample's draws depend on (seed, epoch,
// position) only, not on the batch's order or the thread count.
#include "runtime/data/image_augment.hpp"

#include <omp.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <set>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "runtime/data/idx.hpp"
#include "runtime/data/image_ops.hpp"
#include "runtime/error.hpp"

using Catch::Equals;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::data::ImageAugment;
using regimen::data::ImageAugmentOptions;
using regimen::data::ImageShape;

namespace {

const ImageShape kShape{1, 6, 6};

// `rows` images whose pixels are 1..36 plus 100 times the row: unique and never 0.
Matrix numbered_batch(Index rows) {
  Matrix batch(rows, kShape.size());
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < kShape.size(); ++j) batch(i, j) = static_cast<float>(100 * i + j + 1);
  return batch;
}

std::vector<Index> iota(Index n) {
  std::vector<Index> positions(static_cast<std::size_t>(n));
  std::iota(positions.begin(), positions.end(), Index{0});
  return positions;
}

Matrix augmented(const ImageAugment& augment, Matrix batch, const std::vector<Index>& positions, double strength,
                 std::uint64_t seed = 1, std::int64_t epoch = 0) {
  std::vector<float> workspace;
  augment.apply(batch, positions, kShape, seed, epoch, strength, workspace);
  return batch;
}

ImageAugment everything() { return ImageAugment({.flip = 0.5, .shift = 2, .noise = 0.1, .erase = 0.5}); }

bool same(const Matrix& a, const Matrix& b) { return a.rows() == b.rows() && a.cols() == b.cols() && a == b; }

}  // namespace

TEST_CASE("ImageAugment: strength 0 leaves every sample untouched", "[data]") {
  const Matrix batch = numbered_batch(16);
  CHECK(same(augmented(everything(), batch, iota(16), 0.0), batch));
  CHECK(same(augmented(ImageAugment({}), batch, iota(16), 1.0), batch));
}

TEST_CASE("ImageAugment: flip = 1 mirrors every image", "[data]") {
  const Matrix batch = numbered_batch(4);
  const Matrix out = augmented(ImageAugment({.flip = 1.0}), batch, iota(4), 1.0);
  for (Index i = 0; i < 4; ++i)
    for (Index y = 0; y < 6; ++y)
      for (Index x = 0; x < 6; ++x) CHECK(out(i, y * 6 + x) == batch(i, y * 6 + 5 - x));
}

TEST_CASE("ImageAugment: strength scales the flip probability", "[data]") {
  // flip = 0.8 at strength 0.5 flips with probability 0.4. Over N = 4000 samples the flipped
  // share has standard deviation sqrt(0.4 * 0.6 / N) = 0.0077; 0.04 is 5 of them.
  const Index n = 4000;
  const Matrix batch = numbered_batch(n);
  const Matrix out = augmented(ImageAugment({.flip = 0.8}), batch, iota(n), 0.5);
  Index flipped = 0;
  for (Index i = 0; i < n; ++i) flipped += out(i, 0) != batch(i, 0);
  CHECK(std::abs(static_cast<double>(flipped) / static_cast<double>(n) - 0.4) < 0.04);
}

// The offsets by which `out` translated each image of `batch`, each checked to be exactly the
// zero-padded translation (image_ops.hpp) by that offset. Offsets must be within 2: the centre
// pixel (2, 2), whose new place tells the offset, then stays inside the 6x6 image.
std::set<std::pair<Index, Index>> offsets_of(const Matrix& batch, const Matrix& out) {
  std::set<std::pair<Index, Index>> offsets;
  for (Index i = 0; i < batch.rows(); ++i) {
    const float centre = batch(i, 2 * 6 + 2);
    Index found = -1;
    for (Index j = 0; j < kShape.size(); ++j)
      if (out(i, j) == centre) found = j;
    REQUIRE(found >= 0);
    const Index dy = found / 6 - 2, dx = found % 6 - 2;
    offsets.insert({dy, dx});
    std::vector<float> expected(batch.row(i).data(), batch.row(i).data() + kShape.size());
    std::vector<float> scratch(expected.size());
    regimen::data::translate(expected, kShape, dy, dx, scratch);
    CHECK(std::vector<float>(out.row(i).data(), out.row(i).data() + kShape.size()) == expected);
  }
  return offsets;
}

std::set<std::pair<Index, Index>> all_offsets_within(Index m) {
  std::set<std::pair<Index, Index>> all;
  for (Index dy = -m; dy <= m; ++dy)
    for (Index dx = -m; dx <= m; ++dx) all.insert({dy, dx});
  return all;
}

TEST_CASE("ImageAugment: shift = 2 translates by every offset in [-2, 2] and no other", "[data]") {
  // 25 offsets equally likely: one is missed by 2000 samples with probability 25 * (24/25)^2000,
  // about 1e-34.
  const Matrix batch = numbered_batch(2000);
  CHECK(offsets_of(batch, augmented(ImageAugment({.shift = 2}), batch, iota(2000), 1.0)) == all_offsets_within(2));
}

TEST_CASE("ImageAugment: strength scales the largest shift, rounding down", "[data]") {
  // shift = 4: floor(0.5 * 4) = 2, floor(0.7 * 4) = floor(2.8) = 2, floor(0.3 * 4) = 1.
  const Matrix batch = numbered_batch(2000);
  CHECK(offsets_of(batch, augmented(ImageAugment({.shift = 4}), batch, iota(2000), 0.5)) == all_offsets_within(2));
  CHECK(offsets_of(batch, augmented(ImageAugment({.shift = 4}), batch, iota(2000), 0.7)) == all_offsets_within(2));
  CHECK(offsets_of(batch, augmented(ImageAugment({.shift = 4}), batch, iota(2000), 0.3)) == all_offsets_within(1));
}

TEST_CASE("ImageAugment: erase = 1 zeroes one rectangle per image", "[data]") {
  const ImageShape shape{1, 28, 28};
  const Index n = 200;
  Matrix batch = Matrix::Ones(n, shape.size());
  std::vector<float> workspace;
  ImageAugment({.erase = 1.0}).apply(batch, iota(n), shape, 3, 0, 1.0, workspace);
  for (Index i = 0; i < n; ++i) {
    Index top = 28, bottom = -1, left = 28, right = -1, zeros = 0;
    for (Index y = 0; y < 28; ++y)
      for (Index x = 0; x < 28; ++x)
        if (batch(i, y * 28 + x) == 0.0f) {
          ++zeros;
          top = std::min(top, y), bottom = std::max(bottom, y);
          left = std::min(left, x), right = std::max(right, x);
        }
    // A filled rectangle: its bounding box holds only zeros. Area bounds: image_ops_test.cpp.
    REQUIRE(zeros > 0);
    CHECK(zeros == (bottom - top + 1) * (right - left + 1));
    CHECK(zeros >= 12);
    CHECK(zeros <= 275);
  }
}

TEST_CASE("ImageAugment: noise adds the requested standard deviation, scaled by strength", "[data]") {
  // noise = 0.2 at strength 0.5: sigma 0.1. N = 2000 * 36 = 72000 draws; the sample standard
  // deviation's own is sigma / sqrt(2N) = 0.0026 sigma, so 0.015 sigma is over 5 of them.
  const Index n = 2000;
  const Matrix batch = Matrix::Zero(n, kShape.size());
  const Matrix out = augmented(ImageAugment({.noise = 0.2}), batch, iota(n), 0.5);
  const double mean = static_cast<double>(out.cast<double>().mean());
  const double variance = (out.cast<double>().array() - mean).square().mean();
  CHECK(std::abs(std::sqrt(variance) / 0.1 - 1.0) < 0.015);
  CHECK(std::abs(mean) < 0.1 * 5.0 / std::sqrt(72000.0));
}

TEST_CASE("ImageAugment: same seed, epoch and positions give identical batches", "[data]") {
  const Matrix batch = numbered_batch(32);
  const Matrix a = augmented(everything(), batch, iota(32), 1.0, 7, 2);
  CHECK(same(a, augmented(everything(), batch, iota(32), 1.0, 7, 2)));
  CHECK_FALSE(same(a, batch));
  CHECK_FALSE(same(a, augmented(everything(), batch, iota(32), 1.0, 8, 2)));
  CHECK_FALSE(same(a, augmented(everything(), batch, iota(32), 1.0, 7, 3)));
}

TEST_CASE("ImageAugment: a sample's draws follow its position, not its row in the batch", "[data]") {
  // Reverse the batch and its positions: each sample must come out as it did in order.
  const Index n = 24;
  const Matrix batch = numbered_batch(n);
  const Matrix forward = augmented(everything(), batch, iota(n), 1.0);
  const Matrix reversed_batch = batch.colwise().reverse();
  std::vector<Index> reversed_positions = iota(n);
  std::reverse(reversed_positions.begin(), reversed_positions.end());
  const Matrix backward = augmented(everything(), reversed_batch, reversed_positions, 1.0);
  CHECK(same(backward.colwise().reverse(), forward));
}

TEST_CASE("ImageAugment: one thread and two threads give identical batches", "[data]") {
  const int before = omp_get_max_threads();
  const Matrix batch = numbered_batch(64);  // with noise, 32 rows per thread: split over both
  omp_set_num_threads(1);
  const Matrix one = augmented(everything(), batch, iota(64), 1.0);
  omp_set_num_threads(2);
  const Matrix two = augmented(everything(), batch, iota(64), 1.0);
  omp_set_num_threads(before);
  CHECK(same(one, two));
}

TEST_CASE("ImageAugment: the workspace is allocated once and reused", "[data]") {
  Matrix batch = numbered_batch(16);
  std::vector<float> workspace;
  everything().apply(batch, iota(16), kShape, 1, 0, 1.0, workspace);
  const float* first = workspace.data();
  const std::size_t size = workspace.size();
  everything().apply(batch, iota(16), kShape, 1, 1, 1.0, workspace);
  CHECK(workspace.data() == first);
  CHECK(workspace.size() == size);
}

TEST_CASE("ImageAugment: options are checked with their names", "[data]") {
  using Catch::Matchers::Message;
  CHECK_THROWS_MATCHES(ImageAugment({.flip = 1.5}), InvalidArgument, Message("flip must be in [0, 1], got 1.5"));
  CHECK_THROWS_MATCHES(ImageAugment({.flip = -0.1}), InvalidArgument, Message("flip must be in [0, 1], got -0.1"));
  CHECK_THROWS_MATCHES(ImageAugment({.shift = -1}), InvalidArgument,
                       Message("shift must be a whole number >= 0, got -1"));
  CHECK_THROWS_MATCHES(ImageAugment({.noise = -0.5}), InvalidArgument, Message("noise must be >= 0, got -0.5"));
  CHECK_THROWS_MATCHES(ImageAugment({.erase = 2}), InvalidArgument, Message("erase must be in [0, 1], got 2"));
  CHECK_THROWS_MATCHES(ImageAugment({.noise = NAN}), InvalidArgument, Message("noise must be finite, got nan"));
  Matrix batch = numbered_batch(2);
  std::vector<float> workspace;
  CHECK_THROWS_MATCHES(everything().apply(batch, iota(2), kShape, 1, 0, -1.0, workspace), InvalidArgument,
                       Message("strength must be >= 0, got -1"));
}

TEST_CASE("ImageAugment: describe lists the options that are on", "[data]") {
  CHECK(everything().describe() == "image(flip=0.5, shift=2, noise=0.1, erase=0.5)");
  CHECK(ImageAugment({.shift = 3}).describe() == "image(shift=3)");
  CHECK(ImageAugment({}).describe() == "image()");
}

TEST_CASE("ImageAugment: check_data wants images of the data's width", "[data]") {
  using Catch::Matchers::Message;
  // An IDX file knows its image shape: two 2x3 images.
  regimen::data::testing::TempDir dir;
  regimen::data::testing::write_file(
      dir.file("images"), regimen::data::testing::idx_bytes(0x803, {2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  regimen::data::testing::write_file(dir.file("labels"), regimen::data::testing::idx_bytes(0x801, {2}, {0, 1}));
  const regimen::data::Dataset images = regimen::data::read_idx(dir.file("images"), dir.file("labels"));
  CHECK(images.image_shape() == ImageShape{1, 2, 3});
  CHECK_NOTHROW(ImageAugment({.shift = 1}).check_data(images));
  CHECK_THROWS_MATCHES(ImageAugment({.shift = 2}).check_data(images), InvalidArgument,
                       Message("shift must be smaller than the image (1x2x3), got 2"));

  auto table = std::make_shared<regimen::data::Table>();
  table->features = Matrix::Zero(3, 4);
  table->targets = Matrix::Zero(3, 1);
  table->source = "numbers.csv";
  CHECK_THROWS_MATCHES(ImageAugment({}).check_data(regimen::data::Dataset(table)), InvalidArgument,
                       Message("the training data 'numbers.csv' holds no images (image augmentation needs "
                               "data.idx or data.fashion_mnist)"));
}
