#include "runtime/data/fashion_mnist.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <chrono>

#include "runtime/error.hpp"

using Catch::Contains;
using regimen::DataError;
using regimen::Matrix;
using regimen::data::FashionMnist;
using regimen::data::kFashionMnistRoot;
using regimen::data::load_fashion_mnist;

namespace {

// Not minCoeff()/maxCoeff(): with AVX-512, GCC 12 raises a false -Wmaybe-uninitialized in them.
float min_of(const Matrix& m) { return *std::min_element(m.data(), m.data() + m.size()); }
float max_of(const Matrix& m) { return *std::max_element(m.data(), m.data() + m.size()); }

/// Loaded once: the suite should pay for the 60000 images only one time.
const FashionMnist& fashion() {
  static const FashionMnist loaded = load_fashion_mnist();
  return loaded;
}

/// The first `n` bytes of a gzipped file after `skip` bytes, read with zlib directly (the oracle).
std::vector<unsigned char> raw_bytes(const std::string& name, unsigned skip, unsigned n) {
  gzFile file = gzopen((std::string(kFashionMnistRoot) + "/" + name).c_str(), "rb");
  REQUIRE(file != nullptr);
  std::vector<unsigned char> bytes(skip + n);
  const int got = gzread(file, bytes.data(), skip + n);
  gzclose(file);
  REQUIRE(got == static_cast<int>(skip + n));
  return {bytes.begin() + skip, bytes.end()};
}

}  // namespace

TEST_CASE("FashionMnist: loads 60000 + 10000 images of 784 pixels in 10 classes", "[data]") {
  const auto start = std::chrono::steady_clock::now();
  const FashionMnist& data = fashion();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Decompression dominates (about 0.5 s here); the bound is loose for sanitizer builds and busy
  // machines.
  INFO("Fashion-MNIST loaded in " << seconds << " s");
  CHECK(seconds < 10.0);
  CHECK(data.train.size() == 60000);
  CHECK(data.test.size() == 10000);
  CHECK(data.train.features() == 784);
  CHECK(data.test.features() == 784);
  CHECK(data.train.target_columns() == 1);
  CHECK(data.train.classes() == 10);
  CHECK(data.test.classes() == 10);
  CHECK_THAT(data.train.source(), Contains("train-images-idx3-ubyte.gz"));
}

TEST_CASE("FashionMnist: pixels and labels match the raw files", "[data]") {
  const FashionMnist& data = fashion();
  Matrix x, y;
  const std::vector<Eigen::Index> first = {0, 1, 2, 3, 4, 5, 6, 7};
  data.train.gather(first, x, y);
  const auto labels = raw_bytes("train-labels-idx1-ubyte.gz", 8, 8);
  for (Eigen::Index i = 0; i < 8; ++i)
    CHECK(y(i, 0) == static_cast<float>(labels[static_cast<std::size_t>(i)]));
  const auto pixels = raw_bytes("train-images-idx3-ubyte.gz", 16, 784);
  for (Eigen::Index j = 0; j < 784; ++j) {
    CHECK(x(0, j) == static_cast<float>(pixels[static_cast<std::size_t>(j)]) / 255.0f);
  }
  const std::vector<Eigen::Index> last = {9999};
  data.test.gather(last, x, y);
  const auto test_label = raw_bytes("t10k-labels-idx1-ubyte.gz", 8 + 9999, 1);
  CHECK(y(0, 0) == static_cast<float>(test_label[0]));
}

TEST_CASE("FashionMnist: the training classes are balanced, 6000 each", "[data]") {
  const FashionMnist& data = fashion();
  Matrix x, y;
  std::vector<Eigen::Index> all(60000);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<Eigen::Index>(i);
  data.train.gather(all, x, y);
  std::array<int, 10> counts{};
  for (Eigen::Index i = 0; i < y.rows(); ++i) ++counts[static_cast<std::size_t>(y(i, 0))];
  for (const int count : counts) CHECK(count == 6000);
  CHECK(min_of(x) == 0.0f);
  CHECK(max_of(x) == 1.0f);
}

TEST_CASE("FashionMnist: a missing directory says what to install", "[data]") {
  REQUIRE_THROWS_AS(load_fashion_mnist("/nonexistent/fashion"), DataError);
  REQUIRE_THROWS_WITH(
      load_fashion_mnist("/nonexistent/fashion"),
      Contains("/nonexistent/fashion/train-images-idx3-ubyte.gz: Fashion-MNIST file not found") &&
          Contains("apt-get install dataset-fashion-mnist"));
}
