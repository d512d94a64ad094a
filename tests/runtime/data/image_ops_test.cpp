// The pixel transforms of augmentation, against images written out by hand.
#include "runtime/data/image_ops.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using regimen::Index;
using regimen::Random;
using regimen::data::ImageShape;
using regimen::data::Rect;

namespace {

// A 2-channel 3x4 image whose pixel (c, y, x) holds 100c + 10y + x + 1: every value unique and
// none 0, so a padded pixel is told apart from a moved one.
std::vector<float> numbered(const ImageShape& shape) {
  std::vector<float> image(static_cast<std::size_t>(shape.size()));
  for (Index c = 0; c < shape.channels; ++c)
    for (Index y = 0; y < shape.height; ++y)
      for (Index x = 0; x < shape.width; ++x)
        image[static_cast<std::size_t>((c * shape.height + y) * shape.width + x)] =
            static_cast<float>(100 * c + 10 * y + x + 1);
  return image;
}

float at(const std::vector<float>& image, const ImageShape& shape, Index c, Index y, Index x) {
  return image[static_cast<std::size_t>((c * shape.height + y) * shape.width + x)];
}

const ImageShape kShape{2, 3, 4};

}  // namespace

TEST_CASE("ImageOps: a horizontal flip mirrors every row of every channel", "[data]") {
  std::vector<float> image = numbered(kShape);
  regimen::data::flip_horizontal(image, kShape);
  // Channel 0, row 0 was 1 2 3 4; channel 1, row 2 was 121 122 123 124.
  CHECK(std::vector<float>(image.begin(), image.begin() + 4) == std::vector<float>{4, 3, 2, 1});
  CHECK(std::vector<float>(image.end() - 4, image.end()) == std::vector<float>{124, 123, 122, 121});
  regimen::data::flip_horizontal(image, kShape);
  CHECK(image == numbered(kShape));
}

TEST_CASE("ImageOps: translate moves the content and pads with 0", "[data]") {
  const auto [dy, dx] = GENERATE(table<Index, Index>(
      {{0, 0}, {1, 0}, {0, 1}, {-1, 0}, {0, -2}, {1, -1}, {-2, 3}, {2, 2}, {3, 0}, {0, -4}, {-7, 9}}));
  INFO("dy = " << dy << ", dx = " << dx);
  const std::vector<float> original = numbered(kShape);
  std::vector<float> image = original;
  std::vector<float> scratch(static_cast<std::size_t>(kShape.size()), -1.0f);
  regimen::data::translate(image, kShape, dy, dx, scratch);
  // Oracle: out(c, y, x) = in(c, y - dy, x - dx) where that lies inside the image, else 0.
  for (Index c = 0; c < kShape.channels; ++c)
    for (Index y = 0; y < kShape.height; ++y)
      for (Index x = 0; x < kShape.width; ++x) {
        const Index sy = y - dy, sx = x - dx;
        const bool inside = sy >= 0 && sy < kShape.height && sx >= 0 && sx < kShape.width;
        CHECK(at(image, kShape, c, y, x) == (inside ? at(original, kShape, c, sy, sx) : 0.0f));
      }
}

TEST_CASE("ImageOps: translate by (1, -1) gives the hand-written image", "[data]") {
  const ImageShape shape{1, 3, 3};
  std::vector<float> image{1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> scratch(9);
  regimen::data::translate(image, shape, 1, -1, scratch);
  CHECK(image == std::vector<float>{0, 0, 0, 2, 3, 0, 5, 6, 0});
}

TEST_CASE("ImageOps: fill_rect sets exactly the rectangle in every channel", "[data]") {
  std::vector<float> image = numbered(kShape);
  regimen::data::fill_rect(image, kShape, Rect{1, 1, 2, 2}, 0.0f);
  for (Index c = 0; c < kShape.channels; ++c)
    for (Index y = 0; y < kShape.height; ++y)
      for (Index x = 0; x < kShape.width; ++x) {
        const bool inside = y >= 1 && y < 3 && x >= 1 && x < 3;
        CHECK(at(image, kShape, c, y, x) == (inside ? 0.0f : static_cast<float>(100 * c + 10 * y + x + 1)));
      }
}

TEST_CASE("ImageOps: an erase rectangle has torchvision's area and aspect bounds", "[data]") {
  // torchvision's get_params on a 28x28 image: area a in [0.02, 0.33] * 784 = [15.68, 258.72],
  // aspect r in [0.3, 3.3], h = round(sqrt(a r)) < 28, w = round(sqrt(a / r)) < 28. Rounding
  // moves h*w off a; the exact range of h*w over that domain, found by evaluating the formula on
  // a 2001 x 2001 grid of (a, log r), is [12, 275].
  const ImageShape shape{1, 28, 28};
  Random rng(5);
  int drawn = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto rect = regimen::data::draw_erase_rect(shape, rng);
    if (!rect) continue;
    ++drawn;
    INFO("rect " << rect->top << "," << rect->left << " " << rect->height << "x" << rect->width);
    CHECK(rect->height * rect->width >= 12);
    CHECK(rect->height * rect->width <= 275);
    CHECK(rect->height < 28);
    CHECK(rect->width < 28);
    CHECK(rect->top >= 0);
    CHECK(rect->left >= 0);
    CHECK(rect->top + rect->height <= 28);
    CHECK(rect->left + rect->width <= 28);
  }
  // An attempt fails only when h or w reaches 28 (a large area at an extreme aspect): 0.68% of
  // the same grid. Ten failures in a row have probability 0.0068^10 ~ 2e-22, so every draw
  // finds a rectangle.
  CHECK(drawn == 5000);
}

TEST_CASE("ImageOps: gaussian noise has the requested mean and standard deviation", "[data]") {
  // N = 200 * 785 draws of sigma * Z. The sample mean has standard deviation sigma / sqrt(N) =
  // 0.0025 sigma and the sample standard deviation about sigma / sqrt(2N) = 0.0018 sigma, so
  // bounds of 0.0125 sigma and 0.009 sigma are 5 standard deviations: a false failure has odds
  // below 1e-6. An odd length checks the unpaired last pixel too.
  const double sigma = 0.3;
  std::vector<float> image(785);
  Random rng(11);
  double sum = 0.0, squares = 0.0;
  std::size_t n = 0;
  for (int k = 0; k < 200; ++k) {
    std::fill(image.begin(), image.end(), 0.0f);
    regimen::data::add_gaussian_noise(image, sigma, rng);
    for (const float v : image) {
      sum += v;
      squares += static_cast<double>(v) * v;
      ++n;
    }
    CHECK(image.back() != 0.0f);
  }
  const double mean = sum / static_cast<double>(n);
  const double stddev = std::sqrt(squares / static_cast<double>(n) - mean * mean);
  CHECK(std::abs(mean) < 0.0125 * sigma);
  CHECK(std::abs(stddev / sigma - 1.0) < 0.009);
}
